#!/bin/sh
# Renders the CloudWatch agent's JSON config from config.template.json and environment
# variables, writes it where the agent reads it in container mode, starts the agent and stays
# beside it as its supervisor.
#
#   sh entrypoint.sh                 validate, render, write, start the agent, supervise it
#   sh entrypoint.sh --print-config  validate and print the JSON it would write now (with the
#                                    leftover entries below); writes and starts nothing
#   sh entrypoint.sh --cleanup-once  one removal pass over the leftover files, then exit
#
# Every value that ends up in the JSON is checked against a strict character set first,
# so nothing ever needs escaping: a bad value stops the container with a message naming
# the variable, never a broken JSON or an injected key. POSIX sh and awk only (no jq).
#
# Before starting the agent it also checks where credentials and the region come from:
# off AWS (no ECS task, no Kubernetes service-account role, no EC2 instance metadata) a missing
# AWS_REGION stops the container and a missing credentials file is said in one line.
#
# Leftovers (docs/agent.md, "Outages: leftover files"). A family's wildcard entry follows only
# its newest file, so after an outage across a rotation the older files would never be read.
# At every start each file of a family but the newest (a "leftover") gets an entry of its own
# for its exact path, auto_removal false: the agent reads it on from the offset kept in its
# state folder. Then the supervisor
#   - deletes a leftover once the agent's saved offset has reached its size and it has not been
#     modified for LEFTOVER_QUIET_SECONDS; never the newest file, never a name it did not match;
#   - restarts the agent with a new config when a leftover that no entry covers makes no
#     progress for a few seconds (a rotation before the agent's first scan); the state folder
#     makes the restart safe;
#   - on SIGTERM or SIGINT waits, at most STOP_WAIT_SECONDS, until the agent's saved offsets
#     have reached the end of every family file, then stops the agent with SIGTERM; SIGHUP is
#     passed on. It exits with the agent's status, also when the agent exits by itself.
set -eu
LC_ALL=C
export LC_ALL

readonly EX_CONFIG=78
readonly DEFAULT_LOG_GROUP_NAME=/app/logs
readonly DEFAULT_LOG_FILES=app
readonly DEFAULT_LOG_STREAM_HOST='{local_hostname}'
readonly DEFAULT_LOGS_DIR=/logs
# The agent's file_state_folder on Linux (translator/translate/logs/util/file_state_folder.go).
readonly DEFAULT_STATE_DIR=/opt/aws/amazon-cloudwatch-agent/logs/state
readonly DEFAULT_STOP_WAIT_SECONDS=20
readonly DEFAULT_LEFTOVER_QUIET_SECONDS=10
readonly CONFIG_FILE_NAME=cwagent.json
# The supervisor makes one pass a second. A leftover no entry covers that makes no progress for
# UNCOVERED_GRACE_SECONDS restarts the agent, at most once per RESTART_SPACING_SECONDS; a restart
# gives the agent AGENT_STOP_SECONDS to exit after SIGTERM, then kills it.
readonly CHECK_SECONDS=1
readonly UNCOVERED_GRACE_SECONDS=10
readonly RESTART_SPACING_SECONDS=20
readonly AGENT_STOP_SECONDS=25
# Off AWS the agent reads only this profile of the shared credentials file in its home.
readonly CREDENTIALS_PROFILE=AmazonCloudWatchAgent
# EC2 instance metadata: answers 200 (IMDSv1) or 401 (IMDSv2, no token) only on EC2.
readonly IMDS_URL=http://169.254.169.254/latest/meta-data/
readonly IMDS_TIMEOUT_SECONDS=2
# CloudWatch Logs accepts only these retention periods (days).
readonly RETENTION_CHOICES='1 3 5 7 14 30 60 90 120 150 180 365 400 545 731 1096 1827 2192 2557 2922 3288 3653'

say() { printf 'cloudwatch-agent: %s\n' "$*" >&2; }
fail() {
  say "error: $*"
  exit "$EX_CONFIG"
}
usage() {
  cat <<'EOF'
Usage: entrypoint.sh [--print-config | --cleanup-once | --help]

  (none)          validate, write the config, start the agent and supervise it
  --print-config  print the config it would write now (an entry per leftover file too)
  --cleanup-once  delete the leftover files the agent has uploaded to their end, then exit

Environment:
  LOG_GROUP_NAME     log group (default /app/logs; 1-512 of A-Z a-z 0-9 _ - / . #)
  LOG_FILES          comma-separated file base names (default app -> /logs/app.log.*)
  METRICS_FILES      optional: comma-separated base names of CloudWatch metrics (EMF) files, each its
                     own entry and stream (metrics -> /logs/metrics.log.*, stream metrics/<host>)
  LOG_STREAM_HOST    host part of the stream <app>/<host> (default {local_hostname})
  RETENTION_IN_DAYS  optional: 1 3 5 7 14 30 60 90 120 150 180 365 400 545 731 1096 1827 2192 2557 2922 3288 3653
  AWS_REGION         written to agent.region; required off AWS (on ECS, EKS, EC2 the agent finds it)
  LOGS_DIR           the application's logs folder, as the agent sees it (default /logs)
  STATE_DIR          the agent's state folder (default /opt/aws/amazon-cloudwatch-agent/logs/state)
  STOP_WAIT_SECONDS  on SIGTERM, how long at most to wait for the files' ends to be uploaded (default 20)
  LEFTOVER_QUIET_SECONDS  an uploaded leftover is deleted once unmodified this long (default 10)
  CW_CONFIG_DIR      where the config is written (default /etc/cwagentconfig)
  CW_AGENT_BIN       agent start binary (default /opt/aws/amazon-cloudwatch-agent/bin/start-amazon-cloudwatch-agent)
EOF
}

# --- validation: each function prints the accepted value or stops -------------------------

# True when $1 has only the characters of the bracket expression body $2 (C locale).
only_chars() {
  case $1 in
    *[!$2]*) return 1 ;;
    *) return 0 ;;
  esac
}

check_log_group_name() {
  value=$1
  if [ "${#value}" -gt 512 ]; then
    fail "LOG_GROUP_NAME is ${#value} characters long; CloudWatch allows at most 512."
  fi
  if ! only_chars "$value" 'A-Za-z0-9_./#-'; then
    fail "LOG_GROUP_NAME '$(printable "$value")' has a character CloudWatch does not allow; use only A-Z a-z 0-9 _ - / . # (e.g. /app/logs)."
  fi
  case $value in
    aws/*) fail "LOG_GROUP_NAME '$value' starts with 'aws/', which CloudWatch reserves for AWS services." ;;
  esac
  printf '%s' "$value"
}

# Checks base name $1 of variable $2 (LOG_FILES or METRICS_FILES).
check_file_base_name() {
  name=$1
  var=${2:-LOG_FILES}
  if [ -z "$name" ]; then
    fail "$var has an empty name; give comma-separated base names like 'app,worker'."
  fi
  if [ "${#name}" -gt 64 ] || ! only_chars "$name" 'A-Za-z0-9_-'; then
    fail "$var name '$(printable "$name")' is not a plain base name: use 1-64 of A-Z a-z 0-9 _ - (no dots, slashes or wildcards; 'app' collects /logs/app.log.*)."
  fi
  case $name in
    [!A-Za-z0-9]*) fail "$var name '$name' must start with a letter or digit." ;;
  esac
}

check_stream_host() {
  value=$1
  case $value in
    '{local_hostname}' | '{hostname}' | '{instance_id}' | '{ip_address}')
      printf '%s' "$value"
      return 0
      ;;
  esac
  if [ "${#value}" -gt 128 ] || ! only_chars "$value" 'A-Za-z0-9_.-'; then
    fail "LOG_STREAM_HOST '$(printable "$value")' must be {local_hostname}, {hostname}, {instance_id}, {ip_address} or 1-128 of A-Z a-z 0-9 _ - ."
  fi
  printf '%s' "$value"
}

check_retention() {
  value=$1
  for days in $RETENTION_CHOICES; do
    if [ "$value" = "$days" ]; then
      printf '%s' "$value"
      return 0
    fi
  done
  fail "RETENTION_IN_DAYS '$(printable "$value")' is not a CloudWatch retention period; use one of: $RETENTION_CHOICES (or leave it unset)."
}

check_region() {
  value=$1
  if [ "${#value}" -gt 64 ] || ! only_chars "$value" 'a-z0-9-'; then
    fail "AWS_REGION '$(printable "$value")' is not a region name like eu-west-1."
  fi
  case $value in
    [a-z][a-z]-*[a-z]-[0-9] | [a-z][a-z]-*[a-z]-[0-9][0-9]) printf '%s' "$value" ;;
    *) fail "AWS_REGION '$value' is not a region name like eu-west-1." ;;
  esac
}

# Prints the folder $2 (named by variable $1) without trailing slashes, or stops. With a third
# argument "file_path" it must also fit the agent's file_path: 1-256 of A-Z a-z 0-9 _ . / -
# (JSON-safe, no glob characters), and plain (no //, . or .. parts) so that the paths the
# agent's glob yields (cleaned by Go's filepath) are the same strings as the ones written here.
check_folder() {
  name=$1
  value=$2
  while :; do
    case $value in
      ?*/) value=${value%/} ;;
      *) break ;;
    esac
  done
  case $value in
    *"
"*) fail "$name spans several lines." ;;
    /?*) ;;
    *) fail "$name '$(printable "$value")' must be an absolute folder other than /, like /logs." ;;
  esac
  if [ "${3-}" = file_path ]; then
    if [ "${#value}" -gt 256 ] || ! only_chars "$value" 'A-Za-z0-9_./-'; then
      fail "$name '$(printable "$value")' may hold only A-Z a-z 0-9 _ . / - (at most 256): it goes into the agent's file paths."
    fi
    case $value/ in
      *//* | */./* | */../*) fail "$name '$value' must be a plain path (no //, /./ or /../ parts)." ;;
    esac
  fi
  printf '%s' "$value"
}

# Prints $2 (named by $1) when it is a whole number of seconds from 0 to $3, or stops.
check_seconds() {
  case $2 in
    '' | *[!0-9]*) fail "$1 '$(printable "$2")' is not a whole number of seconds (0 to $3)." ;;
  esac
  value=$2
  while :; do
    case $value in
      0?*) value=${value#0} ;; # no octal: 010 is ten seconds
      *) break ;;
    esac
  done
  if [ "${#value}" -gt 6 ] || [ "$value" -gt "$3" ]; then
    fail "$1 '$2' is more than $3 seconds."
  fi
  printf '%s' "$value"
}

# The value as one visible line, for error messages (newlines and controls shown as '?').
printable() {
  printf '%s' "$1" | tr -c '[:print:]' '?' | cut -c1-80
}

# --- where credentials and the region come from ----------------------------------------------

# Prints the AWS platform that gives the agent its credentials and region: from the variables
# ECS, Kubernetes IAM roles (IRSA, EKS Pod Identity) and the agent itself set, else from EC2
# instance metadata; "none" off AWS.
aws_platform() {
  if [ -n "${ECS_CONTAINER_METADATA_URI_V4:-}${ECS_CONTAINER_METADATA_URI:-}${AWS_CONTAINER_CREDENTIALS_RELATIVE_URI:-}" ]; then
    printf 'ECS'
  elif [ -n "${AWS_WEB_IDENTITY_TOKEN_FILE:-}${AWS_CONTAINER_CREDENTIALS_FULL_URI:-}" ] || [ "${RUN_WITH_IRSA:-}" = True ]; then
    printf 'Kubernetes with an IAM role'
  elif [ "${RUN_IN_AWS:-}" = True ] || instance_metadata_answers; then
    printf 'EC2'
  else
    printf 'none'
  fi
}

# True when the EC2 instance metadata service answers within the timeout: 200 (IMDSv1) or 401
# (IMDSv2 refuses a request without a token; wget cannot PUT for one). Other answers from that
# address are not EC2: Azure's and Google's metadata services answer 400 and 403 there, and so
# may a network's interceptor. Off AWS this costs at most IMDS_TIMEOUT_SECONDS, once, at start-up.
# Proxies are bypassed: a proxy would answer for the address.
instance_metadata_answers() {
  command -v wget >/dev/null 2>&1 && command -v timeout >/dev/null 2>&1 || return 1
  answer=$(http_proxy='' HTTP_PROXY='' timeout "$IMDS_TIMEOUT_SECONDS" wget -S -O /dev/null "$IMDS_URL" 2>&1) || :
  case $answer in
    *'HTTP/1.'[01]' 200'* | *'HTTP/1.'[01]' 401'*) return 0 ;;
    *) return 1 ;;
  esac
}

# Prints what is wrong with the shared credentials file $1, or nothing when the agent can use it.
credentials_problem() {
  file=$1
  if [ ! -e "$file" ]; then
    printf 'there is no %s' "$file"
  elif [ -d "$file" ]; then
    printf '%s is a folder (Docker creates one when the file it should mount is missing)' "$file"
  elif [ ! -r "$file" ]; then
    printf '%s is not readable by uid %s' "$file" "$(id -u)"
  elif ! grep -Eq "^[[:space:]]*\\[[[:space:]]*${CREDENTIALS_PROFILE}[[:space:]]*\\]" "$file"; then
    printf '%s has no [%s] profile' "$file" "$CREDENTIALS_PROFILE"
  fi
}

# Sets PLATFORM. Off AWS: stops when AWS_REGION is missing (the agent cannot start without a
# region there) and says in one line when no credentials file is usable (the agent starts, but
# every upload fails). Instance metadata is only asked when something is missing.
check_aws_access() {
  credentials_file=${HOME:-/root}/.aws/credentials
  problem=$(credentials_problem "$credentials_file")
  PLATFORM=
  if [ -n "$REGION" ] && [ -z "$problem" ]; then
    return 0
  fi
  PLATFORM=$(aws_platform)
  if [ "$PLATFORM" != none ]; then
    return 0
  fi
  if [ -z "$REGION" ]; then
    fail "AWS_REGION is not set, and off AWS (no ECS task, no Kubernetes IAM role, no EC2 instance metadata found) the agent cannot find its region; set AWS_REGION, e.g. AWS_REGION=eu-west-1."
  fi
  if [ -n "$problem" ]; then
    say "warning: no AWS credentials: $problem, and off AWS (no ECS task, no Kubernetes IAM role, no EC2 instance metadata found) the agent reads only that file. It starts, but every upload fails until $credentials_file has an [$CREDENTIALS_PROFILE] profile (with docker compose: add -f deploy/compose/aws-credentials.yml)."
  fi
}

# --- file families and the agent's state folder ---------------------------------------------

# Sets FILES to the files of family $1 in LOGS_DIR, oldest first, separated by spaces: regular
# files (not links) named <name>.log.<suffix> with a period suffix pino-cloudwatch-file writes.
# Their names sort by period and pathname expansion sorts (C locale), so the last is the newest.
# (No name can hold a space or a glob character: LOGS_DIR and the base names are checked.)
list_family() {
  FILES=
  for file in "$LOGS_DIR/$1.log."*; do
    if [ ! -f "$file" ] || [ -h "$file" ]; then
      continue
    fi
    # Daily, hourly and sub-hour periods: <day>[_<hour>[-<minute>-<second>]].
    case ${file#"$LOGS_DIR/$1.log."} in
      [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] | \
        [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]_[0-9][0-9] | \
        [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]_[0-9][0-9]-[0-9][0-9]-[0-9][0-9])
        FILES="$FILES $file"
        ;;
    esac
  done
  FILES=${FILES# }
}

# Splits FILES into NEWEST (the last) and LEFTOVERS (all the others).
split_newest() {
  LEFTOVERS=
  NEWEST=
  for file in $FILES; do
    [ -z "$NEWEST" ] || LEFTOVERS="$LEFTOVERS $NEWEST"
    NEWEST=$file
  done
  LEFTOVERS=${LEFTOVERS# }
}

# Sets SAVED to the offset up to which the agent has uploaded file $1, from its state folder, or
# to nothing when it has none. The agent's state file for a path is named after the path with
# /, space and : replaced by _ (internal/state/state.go); its first line is the offset, its second
# the path, its third the byte ranges done (internal/state/range.go). A third line other than
# 0-<offset> (gaps, with max_persist_state) does not count as uploaded.
saved_offset() {
  SAVED=
  rest=$1
  escaped=
  while :; do
    case $rest in
      */*)
        escaped="$escaped${rest%%/*}_"
        rest=${rest#*/}
        ;;
      *)
        escaped=$escaped$rest
        break
        ;;
    esac
  done
  [ -f "$STATE_DIR/$escaped" ] || return 0
  state_offset=
  state_path=
  state_ranges=
  {
    IFS= read -r state_offset || :
    IFS= read -r state_path || :
    IFS= read -r state_ranges || :
  } <"$STATE_DIR/$escaped" 2>/dev/null || return 0
  case $state_offset in
    '' | *[!0-9]*) return 0 ;;
  esac
  [ "$state_path" = "$1" ] || return 0
  case $state_ranges in
    '' | "0-$state_offset") SAVED=$state_offset ;;
  esac
}

# Sets SIZE (bytes) and MTIME (epoch seconds) of file $1; fails when it is gone.
file_stat() {
  info=$(stat -c '%s %Y' -- "$1" 2>/dev/null) || return 1
  SIZE=${info% *}
  MTIME=${info#* }
}

# True when the agent has uploaded file $1 to its end (its saved offset is its size; an empty
# file has nothing to upload). Sets SAVED, SIZE and MTIME.
uploaded_to_end() {
  SAVED=
  SIZE=
  MTIME=
  file_stat "$1" || return 1
  saved_offset "$1"
  [ "$SIZE" = 0 ] || [ "$SAVED" = "$SIZE" ]
}

# Deletes leftover $1, uploaded to its end, unless it was modified less than LEFTOVER_QUIET
# seconds before NOW (then a later pass does). Failures are said once per file.
remove_if_quiet() {
  [ $((NOW - MTIME)) -ge "$LEFTOVER_QUIET" ] || return 0
  if rm -f -- "$1" 2>/dev/null && [ ! -e "$1" ]; then
    say "removed $1: the agent uploaded it to its end ($SIZE bytes)"
  else
    case " $REMOVE_FAILED " in
      *" $1 "*) ;;
      *)
        REMOVE_FAILED="$REMOVE_FAILED $1"
        say "warning: cannot remove $1 (uploaded to its end); give uid $(id -u) write access to $LOGS_DIR."
        ;;
    esac
  fi
}

now() { date +%s; }

# Deletes the leftovers of every family that the agent has uploaded to their end (and that are
# quiet), before a config is written: they need no entry any more.
remove_uploaded() {
  NOW=$(now)
  for name in $APPS; do
    list_family "$name"
    split_newest
    for file in $LEFTOVERS; do
      if uploaded_to_end "$file"; then remove_if_quiet "$file"; fi
    done
  done
}

# --- rendering ------------------------------------------------------------------------------

# Sets ITEMS to the collect_list entries as <family>|<file_path>|<auto_removal>, separated by
# spaces: one wildcard entry per family, then one exact entry per leftover on disk now (every
# file of a family but the newest), and COVERED to those leftovers.
plan_entries() {
  ITEMS=
  COVERED=
  for name in $APPS; do
    ITEMS="$ITEMS $name|$LOGS_DIR/$name.log.*|true"
  done
  for name in $APPS; do
    list_family "$name"
    split_newest
    for file in $LEFTOVERS; do
      ITEMS="$ITEMS $name|$file|false"
      COVERED="$COVERED $file"
    done
  done
  ITEMS=${ITEMS# }
  COVERED=${COVERED# }
}

# Prints the template with the collect_list item repeated once per entry of ITEMS and the
# placeholders filled in. Optional values that are empty drop their whole line; the template
# puts such lines where removing them leaves valid JSON (checked by the tests).
render() {
  awk -v entries="$ITEMS" -v group="$GROUP" -v host="$STREAM_HOST" \
    -v retention="$RETENTION" -v region="$REGION" '
    function replace(text, from, to,   at, out) {
      out = ""
      while ((at = index(text, from)) > 0) {
        out = out substr(text, 1, at - 1) to
        text = substr(text, at + length(from))
      }
      return out text
    }
    # Returns the filled line, or the marker DROP when an optional value is empty.
    function fill(line, app, file_path, auto_removal) {
      if (index(line, "{{RETENTION_IN_DAYS}}")) {
        if (retention == "") return "\001DROP"
        line = replace(line, "\"{{RETENTION_IN_DAYS}}\"", retention)
      }
      if (index(line, "{{AWS_REGION}}")) {
        if (region == "") return "\001DROP"
        line = replace(line, "{{AWS_REGION}}", region)
      }
      line = replace(line, "\"{{AUTO_REMOVAL}}\"", auto_removal)
      line = replace(line, "{{FILE_PATH}}", file_path)
      line = replace(line, "{{LOG_GROUP_NAME}}", group)
      line = replace(line, "{{LOG_STREAM_HOST}}", host)
      return replace(line, "{{APP}}", app)
    }
    function emit(line) { if (line != "\001DROP") print line }
    BEGIN { count = split(entries, entry, " "); state = "head"; items = 0 }
    state == "head" {
      emit(fill($0, "", "", ""))
      if ($0 ~ /"collect_list": *\[ *$/) state = "item"
      next
    }
    state == "item" && $0 ~ /^ *\] *,? *$/ {
      for (e = 1; e <= count; e++) {
        split(entry[e], part, "|")
        for (i = 1; i <= items; i++) {
          line = fill(item[i], part[1], part[2], part[3])
          if (i == items && e < count) line = line ","
          emit(line)
        }
      }
      print
      state = "tail"
      next
    }
    state == "item" { item[++items] = $0; next }
    { emit(fill($0, "", "", "")) }
  ' "$TEMPLATE"
}

# Writes CONFIG to the config folder through a temporary file, so the agent never reads half.
# The temporary file gets a fresh random name created exclusively (mktemp: O_EXCL, mode 0600),
# so a file or symlink planted in the config folder is never written through; rename() (mv -T)
# replaces the config's directory entry itself, never the target of a link planted there.
write_config() {
  tmp=$(mktemp "$CONFIG_DIR/.$CONFIG_FILE_NAME.XXXXXX" 2>/dev/null) || fail "cannot create a temporary file in $CONFIG_DIR."
  if ! printf '%s\n' "$CONFIG" >"$tmp" || ! chmod 0644 "$tmp"; then
    rm -f "$tmp"
    fail "cannot write $tmp."
  fi
  mv -fT "$tmp" "$CONFIG_DIR/$CONFIG_FILE_NAME" || {
    rm -f "$tmp"
    fail "cannot write $CONFIG_DIR/$CONFIG_FILE_NAME."
  }
}

# Plans the entries for the files on disk now, renders them and writes the config.
prepare_config() {
  remove_uploaded
  plan_entries
  CONFIG=$(render)
  write_config
}

# Says, per leftover entry of the config, where the agent takes it up.
say_leftovers() {
  for file in $COVERED; do
    uploaded_to_end "$file" || :
    say "catching up $file, left over from before this start: the agent has uploaded ${SAVED:-0} of its ${SIZE:-?} bytes; removed once uploaded to its end"
  done
}

# --- the supervisor -------------------------------------------------------------------------
#
# The agent runs as a child. A ticker subshell sends USR1 every CHECK_SECONDS, which interrupts
# `wait` (a trapped signal makes it return above 128), so one loop both waits for the agent's exit
# and makes a pass each second; the trap handlers only set flags, the loop acts on them.

TICK=0
SIGNALLED=0
STOPPING=0
FORCE_STOP=0
AGENT_TOLD_TO_STOP=0
STOP_DEADLINE=0
UNCOVERED=
REMOVE_FAILED=
LAST_RESTART=0
AGENT_PID=
TICKER_PID=

on_tick() { TICK=1; }

# SIGTERM/SIGINT: wait for the uploads (bounded), then stop the agent; a second one stops it now.
on_stop() {
  SIGNALLED=1
  if [ "$STOPPING" = 1 ]; then
    FORCE_STOP=1
    return 0
  fi
  STOPPING=1
  STOP_DEADLINE=$(($(now) + STOP_WAIT))
  say "$1: waiting up to ${STOP_WAIT}s for the agent to upload every file of $APPS_LIST to its end, then stopping it ($1 again stops it at once)"
}

on_hup() {
  SIGNALLED=1
  [ -z "$AGENT_PID" ] || kill -s HUP "$AGENT_PID" 2>/dev/null || :
}

launch_agent() {
  "$AGENT_BIN" &
  AGENT_PID=$!
}

# Exits with the agent's status $1.
finish() {
  [ -z "$TICKER_PID" ] || kill "$TICKER_PID" 2>/dev/null || :
  if [ "$STOPPING" = 0 ]; then
    say "the agent exited with status $1"
  fi
  exit "$1"
}

# One pass while the agent runs: removes the leftovers uploaded to their end and notes, in
# UNCOVERED (<file>=<saved offset>=<since>), the leftovers no entry of the config covers, with
# the time since which their saved offset has not moved.
leftover_pass() {
  uncovered_now=
  for name in $APPS; do
    list_family "$name"
    split_newest
    for file in $LEFTOVERS; do
      if uploaded_to_end "$file"; then
        remove_if_quiet "$file"
        continue
      fi
      [ -n "$SIZE" ] || continue # gone meanwhile
      case " $COVERED " in
        *" $file "*) continue ;;
      esac
      since=$NOW
      for entry in $UNCOVERED; do
        case $entry in
          "$file=${SAVED:-none}="*) since=${entry##*=} ;;
        esac
      done
      uncovered_now="$uncovered_now $file=${SAVED:-none}=$since"
    done
  done
  UNCOVERED=${uncovered_now# }
}

# True when a leftover no entry covers has made no progress for UNCOVERED_GRACE_SECONDS and the
# last restart is far enough back; sets STUCK to those files.
restart_due() {
  STUCK=
  for entry in $UNCOVERED; do
    [ $((NOW - ${entry##*=})) -ge "$UNCOVERED_GRACE_SECONDS" ] || continue
    STUCK="$STUCK ${entry%%=*}"
  done
  STUCK=${STUCK# }
  [ -n "$STUCK" ] && [ $((NOW - LAST_RESTART)) -ge "$RESTART_SPACING_SECONDS" ]
}

# Stops the agent (SIGTERM; SIGKILL after AGENT_STOP_SECONDS), writes a config for the files on
# disk now and starts it again. The agent's state folder makes it go on where it stopped.
restart_agent() {
  say "restarting the agent to read $STUCK: no entry of its config covers them (they rotated before its first scan, or were never the newest file at one)"
  kill -s TERM "$AGENT_PID" 2>/dev/null || :
  waited=0
  while :; do
    status=0
    wait "$AGENT_PID" || status=$?
    if [ "$TICK" = 1 ] || [ "$SIGNALLED" = 1 ]; then
      [ "$TICK" = 0 ] || waited=$((waited + CHECK_SECONDS))
      TICK=0
      SIGNALLED=0
      if [ "$waited" -ge "$AGENT_STOP_SECONDS" ]; then
        kill -s KILL "$AGENT_PID" 2>/dev/null || :
      fi
      continue
    fi
    break
  done
  # Told to stop meanwhile: the agent has stopped, nothing is left to wait for.
  [ "$STOPPING" = 0 ] || finish "$status"
  LAST_RESTART=$NOW
  UNCOVERED=
  prepare_config
  say_leftovers
  launch_agent
}

# True when the agent's saved offsets have reached the end of every file of every family (the
# newest ones and the leftovers); sets BEHIND to a description of the others.
all_uploaded() {
  BEHIND=
  for name in $APPS; do
    list_family "$name"
    for file in $FILES; do
      uploaded_to_end "$file" && continue
      [ -n "$SIZE" ] || continue # gone meanwhile
      BEHIND="$BEHIND, $file (${SAVED:-0} of $SIZE bytes)"
    done
  done
  BEHIND=${BEHIND#, }
  [ -z "$BEHIND" ]
}

# One pass of the loop: while stopping, stop the agent once everything is uploaded, the wait is
# over or a second signal came; otherwise handle the leftovers.
pass() {
  [ "$AGENT_TOLD_TO_STOP" = 0 ] || return 0
  NOW=$(now)
  if [ "$STOPPING" = 1 ]; then
    stop_now=0
    if [ "$FORCE_STOP" = 1 ]; then
      stop_now=1
    elif all_uploaded; then
      say "every file is uploaded to its end; stopping the agent"
      stop_now=1
    elif [ "$NOW" -ge "$STOP_DEADLINE" ]; then
      say "warning: stopping the agent after ${STOP_WAIT}s with these not uploaded to their end: $BEHIND (with the logs and state volumes kept, they are read on at the next start)"
      stop_now=1
    fi
    if [ "$stop_now" = 1 ]; then
      AGENT_TOLD_TO_STOP=1
      kill -s TERM "$AGENT_PID" 2>/dev/null || :
      return 0
    fi
  fi
  leftover_pass
  if [ "$STOPPING" = 0 ] && restart_due; then
    restart_agent
  fi
}

# Set before the agent starts, so that a signal at any moment is handled.
set_traps() {
  trap on_tick USR1
  trap 'on_stop SIGTERM' TERM
  trap 'on_stop SIGINT' INT
  trap on_hup HUP
}

supervise() {
  (
    while sleep "$CHECK_SECONDS"; do
      kill -s USR1 "$$" 2>/dev/null || exit 0
    done
  ) &
  TICKER_PID=$!
  while :; do
    status=0
    wait "$AGENT_PID" || status=$?
    if [ "$TICK" = 1 ] || [ "$SIGNALLED" = 1 ]; then
      TICK=0
      SIGNALLED=0
      pass
      continue
    fi
    finish "$status"
  done
}

# --cleanup-once: one removal pass, saying what it keeps and why.
cleanup_once() {
  NOW=$(now)
  removed=0
  kept=0
  for name in $APPS; do
    list_family "$name"
    split_newest
    for file in $LEFTOVERS; do
      if ! uploaded_to_end "$file"; then
        [ -n "$SIZE" ] || continue
        if [ -z "$SAVED" ]; then
          say "kept $file: the agent has no saved offset for it in $STATE_DIR"
        else
          say "kept $file: the agent has uploaded $SAVED of its $SIZE bytes"
        fi
        kept=$((kept + 1))
      elif [ $((NOW - MTIME)) -lt "$LEFTOVER_QUIET" ]; then
        say "kept $file: uploaded to its end, but modified less than ${LEFTOVER_QUIET}s ago"
        kept=$((kept + 1))
      else
        remove_if_quiet "$file"
        if [ -e "$file" ]; then kept=$((kept + 1)); else removed=$((removed + 1)); fi
      fi
    done
  done
  say "cleanup: $removed leftover file(s) removed, $kept kept (the newest file of each family is never touched)"
}

# --- main -----------------------------------------------------------------------------------

MODE=run
case ${1-} in
  '') ;;
  --print-config) MODE=print ;;
  --cleanup-once) MODE=cleanup ;;
  -h | --help)
    usage
    exit 0
    ;;
  *)
    usage >&2
    fail "unknown argument '$(printable "$1")'."
    ;;
esac
if [ "$#" -gt 1 ]; then
  fail "expected at most one argument."
fi

TEMPLATE=${CW_CONFIG_TEMPLATE:-$(dirname "$0")/config.template.json}
CONFIG_DIR=${CW_CONFIG_DIR:-/etc/cwagentconfig}
AGENT_BIN=${CW_AGENT_BIN:-/opt/aws/amazon-cloudwatch-agent/bin/start-amazon-cloudwatch-agent}

[ -r "$TEMPLATE" ] || fail "config template '$TEMPLATE' is missing (set CW_CONFIG_TEMPLATE)."

# Empty counts as unset: compose files pass "${VAR:-}" through as an empty string.
GROUP=$(check_log_group_name "${LOG_GROUP_NAME:-$DEFAULT_LOG_GROUP_NAME}")
STREAM_HOST=$(check_stream_host "${LOG_STREAM_HOST:-$DEFAULT_LOG_STREAM_HOST}")
RETENTION=
if [ -n "${RETENTION_IN_DAYS:-}" ]; then RETENTION=$(check_retention "$RETENTION_IN_DAYS"); fi
REGION=
if [ -n "${AWS_REGION:-}" ]; then REGION=$(check_region "$AWS_REGION"); fi
LOGS_DIR=$(check_folder LOGS_DIR "${LOGS_DIR:-$DEFAULT_LOGS_DIR}" file_path)
STATE_DIR=$(check_folder STATE_DIR "${STATE_DIR:-$DEFAULT_STATE_DIR}")
STOP_WAIT=$(check_seconds STOP_WAIT_SECONDS "${STOP_WAIT_SECONDS:-$DEFAULT_STOP_WAIT_SECONDS}" 600)
LEFTOVER_QUIET=$(check_seconds LEFTOVER_QUIET_SECONDS "${LEFTOVER_QUIET_SECONDS:-$DEFAULT_LEFTOVER_QUIET_SECONDS}" 86400)

# LOG_FILES, then METRICS_FILES: split on commas, trim blanks around each name, refuse empties and
# duplicates (also across the two). Each name is a family with its own entry and stream; APPS holds
# them all, METRICS the metrics (EMF) families among them.
APPS=
APPS_LIST=
METRICS=
add_families() {
  var=$1
  files=$2
  case $files in
    *"
"*) fail "$var '$(printable "$files")' spans several lines; give comma-separated base names like 'app,worker'." ;;
  esac
  rest=$files,
  while [ -n "$rest" ]; do
    name=${rest%%,*}
    rest=${rest#*,}
    while :; do
      case $name in
        ' '* | '	'*) name=${name#?} ;;
        *' ' | *'	') name=${name%?} ;;
        *) break ;;
      esac
    done
    check_file_base_name "$name" "$var"
    case " $METRICS " in
      *" $name "*) fail "$var lists '$name' twice." ;;
    esac
    case " $APPS " in
      *" $name "*)
        [ "$var" = LOG_FILES ] || fail "METRICS_FILES lists '$name', which LOG_FILES lists too: EMF lines must have a stream of their own, apart from the application's logs."
        fail "$var lists '$name' twice."
        ;;
    esac
    APPS=${APPS:+$APPS }$name
    APPS_LIST=${APPS_LIST:+$APPS_LIST, }$name
    if [ "$var" = METRICS_FILES ]; then METRICS=${METRICS:+$METRICS }$name; fi
  done
}
add_families LOG_FILES "${LOG_FILES:-$DEFAULT_LOG_FILES}"
if [ -n "${METRICS_FILES:-}" ]; then add_families METRICS_FILES "$METRICS_FILES"; fi

# The template must let each entry have its own file_path and auto_removal.
case $(cat "$TEMPLATE") in
  *'{{FILE_PATH}}'*) ;;
  *) fail "template '$TEMPLATE' has no {{FILE_PATH}} placeholder in its collect_list item." ;;
esac
case $(cat "$TEMPLATE") in
  *'"{{AUTO_REMOVAL}}"'*) ;;
  *) fail "template '$TEMPLATE' has no \"{{AUTO_REMOVAL}}\" placeholder in its collect_list item." ;;
esac

if [ "$MODE" = cleanup ]; then
  cleanup_once
  exit 0
fi

plan_entries
CONFIG=$(render)
case $CONFIG in
  *'{{'*) fail "template '$TEMPLATE' has a placeholder this script does not know." ;;
esac

if [ "$MODE" = print ]; then
  printf '%s\n' "$CONFIG"
  exit 0
fi

check_aws_access

mkdir -p "$CONFIG_DIR" || fail "cannot create $CONFIG_DIR."
set_traps
prepare_config

say "config written to $CONFIG_DIR/$CONFIG_FILE_NAME (region: ${REGION:-found by the agent on $PLATFORM}, retention: ${RETENTION:-unchanged})"
for name in $APPS; do
  case " $METRICS " in
    *" $name "*) what=' (CloudWatch metrics, EMF)' ;;
    *) what= ;;
  esac
  say "collecting $LOGS_DIR/$name.log.*$what -> log group $GROUP, stream $name/$STREAM_HOST; each file is deleted once uploaded (auto_removal)"
done
say_leftovers
for other in "$CONFIG_DIR"/*; do
  if [ -f "$other" ] && [ "$other" != "$CONFIG_DIR/$CONFIG_FILE_NAME" ]; then
    say "note: $other is read and merged by the agent too"
  fi
done
[ -d "$LOGS_DIR" ] || say "warning: $LOGS_DIR does not exist; mount the application's logs volume there."
if [ -r /proc/self/mountinfo ] && ! awk -v dir="$STATE_DIR" '$5 == dir { found = 1 } END { exit !found }' /proc/self/mountinfo; then
  say "warning: $STATE_DIR is not a volume; after a restart the agent re-sends files it already uploaded."
fi

launch_agent
supervise
