#!/bin/sh
# Renders the CloudWatch agent's JSON config from config.template.json and environment
# variables, writes it where the agent reads it in container mode, then execs the agent
# (so it is PID 1 and receives SIGTERM itself).
#
#   sh entrypoint.sh                 validate, render, write, start the agent
#   sh entrypoint.sh --print-config  validate and print the rendered JSON only; writes and
#                                    starts nothing (works outside the image too)
#
# Every value that ends up in the JSON is checked against a strict character set first,
# so nothing ever needs escaping: a bad value stops the container with a message naming
# the variable, never a broken JSON or an injected key. POSIX sh and awk only (no jq).
#
# Before starting the agent it also checks where credentials and the region will come from:
# off AWS (no ECS task, no Kubernetes service-account role, no EC2 instance metadata) a missing
# AWS_REGION stops the container and a missing credentials file is said in one line.
set -eu
LC_ALL=C
export LC_ALL

readonly EX_CONFIG=78
readonly DEFAULT_LOG_GROUP_NAME=/app/logs
readonly DEFAULT_LOG_FILES=app
readonly DEFAULT_LOG_STREAM_HOST='{local_hostname}'
readonly LOG_DIR=/logs
readonly CONFIG_FILE_NAME=cwagent.json
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
Usage: entrypoint.sh [--print-config | --help]

Environment:
  LOG_GROUP_NAME     log group (default /app/logs; 1-512 of A-Z a-z 0-9 _ - / . #)
  LOG_FILES          comma-separated file base names (default app -> /logs/app.log.*)
  LOG_STREAM_HOST    host part of the stream <app>/<host> (default {local_hostname})
  RETENTION_IN_DAYS  optional: 1 3 5 7 14 30 60 90 120 150 180 365 400 545 731 1096 1827 2192 2557 2922 3288 3653
  AWS_REGION         written to agent.region; required off AWS (on ECS, EKS, EC2 the agent finds it)
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

check_file_base_name() {
  name=$1
  if [ -z "$name" ]; then
    fail "LOG_FILES has an empty name; give comma-separated base names like 'app,worker'."
  fi
  if [ "${#name}" -gt 64 ] || ! only_chars "$name" 'A-Za-z0-9_-'; then
    fail "LOG_FILES name '$(printable "$name")' is not a plain base name: use 1-64 of A-Z a-z 0-9 _ - (no dots, slashes or wildcards; 'app' collects /logs/app.log.*)."
  fi
  case $name in
    [!A-Za-z0-9]*) fail "LOG_FILES name '$name' must start with a letter or digit." ;;
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

# --- rendering ------------------------------------------------------------------------------

# Prints the template with the collect_list item repeated once per file family and the
# placeholders filled in. Optional values that are empty drop their whole line; the template
# puts such lines where removing them leaves valid JSON (checked by the tests).
render() {
  awk -v apps="$APPS" -v group="$GROUP" -v host="$STREAM_HOST" \
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
    function fill(line, app) {
      if (index(line, "{{RETENTION_IN_DAYS}}")) {
        if (retention == "") return "\001DROP"
        line = replace(line, "\"{{RETENTION_IN_DAYS}}\"", retention)
      }
      if (index(line, "{{AWS_REGION}}")) {
        if (region == "") return "\001DROP"
        line = replace(line, "{{AWS_REGION}}", region)
      }
      line = replace(line, "{{LOG_GROUP_NAME}}", group)
      line = replace(line, "{{LOG_STREAM_HOST}}", host)
      return replace(line, "{{APP}}", app)
    }
    function emit(line) { if (line != "\001DROP") print line }
    BEGIN { count = split(apps, app, " "); state = "head"; items = 0 }
    state == "head" {
      emit(fill($0, ""))
      if ($0 ~ /"collect_list": *\[ *$/) state = "item"
      next
    }
    state == "item" && $0 ~ /^ *\] *,? *$/ {
      for (a = 1; a <= count; a++) {
        for (i = 1; i <= items; i++) {
          line = fill(item[i], app[a])
          if (i == items && a < count) line = line ","
          emit(line)
        }
      }
      print
      state = "tail"
      next
    }
    state == "item" { item[++items] = $0; next }
    { emit(fill($0, "")) }
  ' "$TEMPLATE"
}

# --- main -----------------------------------------------------------------------------------

MODE=run
case ${1-} in
  '') ;;
  --print-config) MODE=print ;;
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
STATE_DIR=/opt/aws/amazon-cloudwatch-agent/logs/state

[ -r "$TEMPLATE" ] || fail "config template '$TEMPLATE' is missing (set CW_CONFIG_TEMPLATE)."

# Empty counts as unset: compose files pass "${VAR:-}" through as an empty string.
GROUP=$(check_log_group_name "${LOG_GROUP_NAME:-$DEFAULT_LOG_GROUP_NAME}")
STREAM_HOST=$(check_stream_host "${LOG_STREAM_HOST:-$DEFAULT_LOG_STREAM_HOST}")
RETENTION=
if [ -n "${RETENTION_IN_DAYS:-}" ]; then RETENTION=$(check_retention "$RETENTION_IN_DAYS"); fi
REGION=
if [ -n "${AWS_REGION:-}" ]; then REGION=$(check_region "$AWS_REGION"); fi

# LOG_FILES: split on commas, trim blanks around each name, refuse empties and duplicates.
APPS=
files=${LOG_FILES:-$DEFAULT_LOG_FILES}
case $files in
  *"
"*) fail "LOG_FILES '$(printable "$files")' spans several lines; give comma-separated base names like 'app,worker'." ;;
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
  check_file_base_name "$name"
  case " $APPS " in
    *" $name "*) fail "LOG_FILES lists '$name' twice." ;;
  esac
  APPS=${APPS:+$APPS }$name
done

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
tmp="$CONFIG_DIR/.$CONFIG_FILE_NAME.tmp"
trap 'rm -f "$tmp"' EXIT
printf '%s\n' "$CONFIG" >"$tmp" || fail "cannot write $tmp."
mv -f "$tmp" "$CONFIG_DIR/$CONFIG_FILE_NAME" || fail "cannot write $CONFIG_DIR/$CONFIG_FILE_NAME."
trap - EXIT

say "config written to $CONFIG_DIR/$CONFIG_FILE_NAME (region: ${REGION:-found by the agent on $PLATFORM}, retention: ${RETENTION:-unchanged})"
for name in $APPS; do
  say "collecting $LOG_DIR/$name.log.* -> log group $GROUP, stream $name/$STREAM_HOST; each file is deleted once uploaded (auto_removal)"
done
for other in "$CONFIG_DIR"/*; do
  if [ -f "$other" ] && [ "$other" != "$CONFIG_DIR/$CONFIG_FILE_NAME" ]; then
    say "note: $other is read and merged by the agent too"
  fi
done
[ -d "$LOG_DIR" ] || say "warning: $LOG_DIR does not exist; mount the application's logs volume there."
if [ -r /proc/self/mountinfo ] && ! awk -v dir="$STATE_DIR" '$5 == dir { found = 1 } END { exit !found }' /proc/self/mountinfo; then
  say "warning: $STATE_DIR is not a volume; after a restart the agent re-sends files it already uploaded."
fi

exec "$AGENT_BIN"
