#!/usr/bin/env bash
# Builds the demo image (demo-fastify/Dockerfile) and the agent sidecar image
# (cloudwatch-agent/Dockerfile) and runs them for real: the demo alone, the sidecar alone on the
# demo's logs volume, then docker-compose.yml. docs/agent.md "The container test" says what it
# proves and what it does not.
#
#   npm run test:containers            Debian with podman (as CI): base images made locally
#   CONTAINERS_TEST_ENGINE=docker CONTAINERS_TEST_BASES=public npm run test:containers
#                                      a laptop with Docker and a registry: the public bases
#
# CONTAINERS_TEST_ENGINE  podman (default) or docker
# CONTAINERS_TEST_BASES   local (default): Debian bookworm roots with this machine's Node and
#                         npm, and with golang-go for the supervisor's build stage (mmdebstrap),
#                         and a busybox from Debian's busybox-static, made here; public: the
#                         images the Dockerfiles name (pulled by the engine)
# CONTAINERS_TEST_DEBUG   a folder: the compose run's API console and the stand-in agent's
#                         record (its config, events, uploads) are copied there
# The agent binary is always a stand-in (containers/stand-in-agent/): the real one talks to AWS.
# The stand-in is a shell script, so its base image is a busybox (the official agent image has no
# shell, and neither has the sidecar's final stage of its own); the checks that run a shell in
# the sidecar image use that busybox.
#
# With podman everything lives in a private store in a temporary folder (images, containers,
# volumes, networks), removed at the end; with docker the run's containers, volumes and images
# carry its own names and are removed at the end. Prints one line per check and a summary;
# exits 1 when a check fails.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
HERE=$ROOT/containers
ENGINE=${CONTAINERS_TEST_ENGINE:-podman}
BASES=${CONTAINERS_TEST_BASES:-local}
case $ENGINE in podman | docker) ;; *)
  echo "CONTAINERS_TEST_ENGINE must be podman or docker, got '$ENGINE'" >&2
  exit 2
  ;;
esac
case $BASES in local | public) ;; *)
  echo "CONTAINERS_TEST_BASES must be local or public, got '$BASES'" >&2
  exit 2
  ;;
esac

RUN=cwtest$$
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cw-containers.XXXXXX")
STARTED_AT=$SECONDS
PASSED=0
FAILED=()

say() { printf '%s\n' "$*"; }
section() { printf '\n== %s (at %ss)\n' "$*" "$((SECONDS - STARTED_AT))"; }
pass() {
  PASSED=$((PASSED + 1))
  printf '  ok    %s\n' "$1"
}
failed() {
  FAILED+=("$1")
  printf '  FAIL  %s\n' "$1"
  if [ -n "${2-}" ]; then printf '%s\n' "$2" | sed 's/^/        /' | head -n 40; fi
}
# check <description> <command...>: passes when the command succeeds; its output is shown
# on failure only.
check() {
  local what=$1 out
  shift
  if out=$("$@" 2>&1); then pass "$what"; else failed "$what" "$out"; fi
}
summary() {
  local total=$((PASSED + ${#FAILED[@]}))
  printf '\n== containers test: %s of %s checks passed in %ss (engine %s, bases %s)\n' \
    "$PASSED" "$total" "$((SECONDS - STARTED_AT))" "$ENGINE" "$BASES"
  for what in "${FAILED[@]}"; do printf '   failed: %s\n' "$what"; done
}
# Stops the test: a step the later ones need went wrong.
die() {
  failed "$1" "${2-}"
  exit 1
}

need() {
  command -v "$1" >/dev/null || die "$1 is installed" "$1 is missing: ${2:-apt-get install $1}"
}

eng() { "$ENGINE" "$@"; }

# --- the engine, in a private store -----------------------------------------------------------

COMPOSE_STARTED=
API_PID=
PRIVATE_STORE=
cleanup() {
  local status=$?
  set +e
  if [ -n "$COMPOSE_STARTED" ]; then compose down --volumes --remove-orphans --timeout 5 >/dev/null 2>&1; fi
  eng ps -aq --filter "name=^$RUN-" 2>/dev/null | xargs -r "$ENGINE" rm -f >/dev/null 2>&1
  eng volume ls -q 2>/dev/null | grep "^$RUN" | xargs -r "$ENGINE" volume rm -f >/dev/null 2>&1
  eng images -q "cw-containers-test/*:$RUN" 2>/dev/null | sort -u | xargs -r "$ENGINE" rmi -f >/dev/null 2>&1
  if [ -n "$API_PID" ]; then kill "$API_PID" 2>/dev/null && wait "$API_PID" 2>/dev/null; fi
  if [ -n "$PRIVATE_STORE" ]; then
    # Whatever else the private store holds (build cache, base images), then the store itself.
    podman rm -af >/dev/null 2>&1
    podman rmi -af >/dev/null 2>&1
    podman volume rm -af >/dev/null 2>&1
    grep -F " $WORK/" /proc/mounts | cut -d ' ' -f 2 | sort -r | xargs -r -n 1 umount -l 2>/dev/null
  fi
  rm -rf "$WORK" 2>/dev/null || rm -rf "$WORK" 2>/dev/null
  if [ "$status" != 0 ] && [ "${#FAILED[@]}" = 0 ]; then
    FAILED+=("the test stopped on an unexpected error (status $status): see the lines above")
  fi
  summary
  if [ "${#FAILED[@]}" -gt 0 ] || [ "$status" != 0 ]; then exit 1; fi
  exit 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

need "$ENGINE" "install podman (apt-get install podman) or Docker"
need curl
need node
BUILD_FLAGS=()
RUN_FLAGS=()
if [ "$ENGINE" = podman ]; then
  # Debian's podman with runc and no systemd. Containers get the limits this machine allows:
  # podman's defaults (nofile 1048576) are above its hard limits, and raising them is refused.
  nofile=$(ulimit -Hn)
  nproc=$(ulimit -Hu)
  [ "$nofile" = unlimited ] && nofile=1048576
  if [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; then nproc=32768; fi
  mkdir -p "$WORK/store" "$WORK/run" "$WORK/networks"
  cat >"$WORK/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
[network]
network_config_dir = "$WORK/networks"
EOF
  cat >"$WORK/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$WORK/store"
runroot = "$WORK/run"
EOF
  export CONTAINERS_CONF=$WORK/containers.conf CONTAINERS_STORAGE_CONF=$WORK/storage.conf
  PRIVATE_STORE=1
  # Docker's image format: the OCI format has no HEALTHCHECK.
  BUILD_FLAGS=(--format docker)
  # Podman times HEALTHCHECKs with systemd, which is not here: it says so on stderr at every
  # run and stop of such a container. The short-lived containers run without their
  # HEALTHCHECK; the two it is checked in run it with `podman healthcheck run`, and what podman
  # says about their timers goes to engine.log.
  RUN_FLAGS=(--no-healthcheck)
  [ "$BASES" = public ] || BUILD_FLAGS+=(--pull=never)
fi

DEMO_IMAGE=cw-containers-test/demo:$RUN
AGENT_IMAGE=cw-containers-test/agent:$RUN
AGENT_BASE=cw-containers-test/stand-in-agent-base:$RUN
LOGS_VOLUME=$RUN-logs
STATE_VOLUME=$RUN-state

# --- base images --------------------------------------------------------------------------------

section "base images ($BASES)"
DEMO_BUILD_ARGS=()
AGENT_BUILD_ARGS=(--build-arg "CW_AGENT_IMAGE=$AGENT_BASE")
# The stand-in agent's base (public: the busybox the sidecar's image was built on before it had
# no shell).
BUSYBOX_BASE=busybox:1.37.0-musl
if [ "$BASES" = local ]; then
  need mmdebstrap
  need apt-get
  need dpkg-deb
  node_version=$(node -p 'process.versions.node')
  NODE_BASE=cw-containers-test/node:$node_version-bookworm-slim-$RUN
  pinned=$(sed -n 's/^ARG NODE_IMAGE=node:\([^-]*\)-.*/\1/p' "$ROOT/demo-fastify/Dockerfile")
  if [ "$pinned" != "$node_version" ]; then
    say "  note: the demo pins Node $pinned; the local base has this machine's Node $node_version"
  fi
  node_bin=$(readlink -f "$(command -v node)")
  npm_dir=$(npm root -g)/npm
  ca_bundle=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}
  [ -d "$npm_dir" ] || die "npm found" "no npm in $npm_dir"
  [ -r "$ca_bundle" ] || die "CA bundle found" "cannot read $ca_bundle"
  # A bookworm root like node:<version>-bookworm-slim: minbase, Node and npm in /usr/local, the
  # user node (1000:1000). npm inside a build trusts the registry with this machine's CA bundle,
  # so the bundle goes in and NODE_EXTRA_CA_CERTS points at it, as on this machine. apt inside
  # a build reads the same mirror, with this machine's apt setting (Check-Valid-Until).
  t=$SECONDS
  if ! mmdebstrap --variant=minbase --aptopt='Acquire::Check-Valid-Until "false"' \
    --customize-hook='mkdir -p "$1/usr/local/bin" "$1/usr/local/lib/node_modules" "$1/etc/ssl/certs"' \
    --customize-hook="copy-in $node_bin /usr/local/bin" \
    --customize-hook="copy-in $npm_dir /usr/local/lib/node_modules" \
    --customize-hook="copy-in $ca_bundle /etc/ssl/certs" \
    --customize-hook='ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm"' \
    --customize-hook='ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"' \
    --customize-hook='chroot "$1" groupadd --gid 1000 node' \
    --customize-hook='chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node' \
    bookworm "$WORK/node-base.tar" \
    'deb http://deb.debian.org/debian bookworm main' \
    'deb http://deb.debian.org/debian bookworm-updates main' \
    'deb http://deb.debian.org/debian-security bookworm-security main' >"$WORK/mmdebstrap.log" 2>&1; then
    die "Debian bookworm root made with mmdebstrap" "$(tail -n 20 "$WORK/mmdebstrap.log")"
  fi
  if [ "$(basename "$ca_bundle")" != ca-certificates.crt ]; then
    extra=/etc/ssl/certs/$(basename "$ca_bundle")
  else
    extra=/etc/ssl/certs/ca-certificates.crt
  fi
  eng import --change "ENV NODE_EXTRA_CA_CERTS=$extra" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["node"]' "$WORK/node-base.tar" "$NODE_BASE" >>"$WORK/engine.log" 2>&1 ||
    die "node base imported" "$(tail -n 20 "$WORK/engine.log")"
  rm -f "$WORK/node-base.tar"
  pass "node base $NODE_BASE: Debian bookworm minbase + Node $node_version ($((SECONDS - t))s)"
  DEMO_BUILD_ARGS=(--build-arg "NODE_IMAGE=$NODE_BASE")

  # The supervisor's build stage: a bookworm root with Debian's golang-go (like golang:*-bookworm).
  t=$SECONDS
  GOLANG_BASE=cw-containers-test/golang:bookworm-$RUN
  if ! mmdebstrap --variant=minbase --include=golang-go --aptopt='Acquire::Check-Valid-Until "false"' \
    bookworm "$WORK/golang-base.tar" \
    'deb http://deb.debian.org/debian bookworm main' \
    'deb http://deb.debian.org/debian bookworm-updates main' \
    'deb http://deb.debian.org/debian-security bookworm-security main' >"$WORK/mmdebstrap-golang.log" 2>&1; then
    die "Debian bookworm root with golang-go made with mmdebstrap" "$(tail -n 20 "$WORK/mmdebstrap-golang.log")"
  fi
  eng import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    "$WORK/golang-base.tar" "$GOLANG_BASE" >>"$WORK/engine.log" 2>&1 ||
    die "golang base imported" "$(tail -n 20 "$WORK/engine.log")"
  rm -f "$WORK/golang-base.tar"
  pass "golang base $GOLANG_BASE: Debian bookworm minbase + golang-go ($((SECONDS - t))s)"
  AGENT_BUILD_ARGS+=(--build-arg "GOLANG_IMAGE=$GOLANG_BASE")

  # busybox: Debian's static build, its applets as links, root and nobody.
  t=$SECONDS
  mkdir -p "$WORK/busybox-deb" "$WORK/busybox-root"
  (cd "$WORK/busybox-deb" && apt-get download busybox-static >/dev/null 2>&1) ||
    die "busybox-static downloaded" "apt-get download busybox-static failed (apt-get update first)"
  dpkg-deb -x "$WORK"/busybox-deb/busybox-static_*.deb "$WORK/busybox-deb/x"
  bb_version=$(dpkg-deb -f "$WORK"/busybox-deb/busybox-static_*.deb Version | sed 's/^[0-9]*://; s/[^A-Za-z0-9_.-]/-/g')
  (
    cd "$WORK/busybox-root"
    mkdir -p bin etc tmp root home
    chmod 1777 tmp
    chmod 0700 root
    cp "$WORK/busybox-deb/x/bin/busybox" bin/busybox
    for applet in $(bin/busybox --list); do
      [ "$applet" = busybox ] || ln -sf busybox "bin/$applet"
    done
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >etc/passwd
    printf 'root:x:0:\nnogroup:x:65534:\n' >etc/group
    printf 'root:*::0:::::\nnobody:*::0:::::\n' >etc/shadow
    tar -c --numeric-owner --owner=0 --group=0 -f "$WORK/busybox-base.tar" .
  )
  BUSYBOX_BASE=cw-containers-test/busybox:$bb_version-$RUN
  eng import --change 'CMD ["sh"]' "$WORK/busybox-base.tar" "$BUSYBOX_BASE" >>"$WORK/engine.log" 2>&1 ||
    die "busybox base imported" "$(tail -n 20 "$WORK/engine.log")"
  pass "busybox base $BUSYBOX_BASE: Debian's busybox-static ($((SECONDS - t))s)"
fi

# The agent's base: the stand-in where the official image has the agent, and a CA bundle, on the
# busybox the stand-in's scripts need.
mkdir -p "$WORK/agent-base"
cp "$HERE/stand-in-agent/start-amazon-cloudwatch-agent" "$HERE/stand-in-agent/amazon-cloudwatch-agent" "$WORK/agent-base/"
cp "${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}" "$WORK/agent-base/ca-certificates.crt"
cat >"$WORK/agent-base/Dockerfile" <<EOF
FROM $BUSYBOX_BASE
COPY start-amazon-cloudwatch-agent amazon-cloudwatch-agent /opt/aws/amazon-cloudwatch-agent/bin/
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
EOF
if out=$(eng build "${BUILD_FLAGS[@]}" -t "$AGENT_BASE" "$WORK/agent-base" 2>&1); then
  pass "stand-in agent base $AGENT_BASE (containers/stand-in-agent)"
else
  die "stand-in agent base built" "$(tail -n 20 <<<"$out")"
fi

# --- the two images -----------------------------------------------------------------------------

section "build"
t=$SECONDS
if eng build "${BUILD_FLAGS[@]}" "${DEMO_BUILD_ARGS[@]}" -f "$ROOT/demo-fastify/Dockerfile" \
  -t "$DEMO_IMAGE" "$ROOT" >"$WORK/build-demo.log" 2>&1; then
  pass "demo image built from demo-fastify/Dockerfile ($((SECONDS - t))s)"
else
  die "demo image built from demo-fastify/Dockerfile" "$(tail -n 30 "$WORK/build-demo.log")"
fi
t=$SECONDS
if eng build "${BUILD_FLAGS[@]}" "${AGENT_BUILD_ARGS[@]}" -t "$AGENT_IMAGE" "$ROOT/cloudwatch-agent" \
  >"$WORK/build-agent.log" 2>&1; then
  pass "agent sidecar image built from cloudwatch-agent/Dockerfile ($((SECONDS - t))s)"
else
  die "agent sidecar image built from cloudwatch-agent/Dockerfile" "$(tail -n 30 "$WORK/build-agent.log")"
fi
for image in "$DEMO_IMAGE" "$AGENT_IMAGE"; do
  size=$(eng image inspect --format '{{.Size}}' "$image")
  say "  size  $image: $((size / 1000000)) MB"
done

# --- helpers ------------------------------------------------------------------------------------

free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}
http_status() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1" || :; }
# wait_for <seconds> <command...>: polls every 0.2 s.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}
healthz_ok() { [ "$(http_status "http://127.0.0.1:$1/healthz")" = 200 ]; }
equals() {
  if [ "$1" = "$2" ]; then return 0; fi
  printf 'expected: %s\n  actual: %s\n' "$2" "$1"
  return 1
}
contains() {
  if grep -qF -- "$2" <<<"$1"; then return 0; fi
  printf 'no "%s" in:\n%s\n' "$2" "$1"
  return 1
}
# The image's HEALTHCHECK command, run in container $2 (extra exec options before it: $3...).
run_healthcheck() {
  local image=$1 container=$2
  shift 2
  local test
  test=$(eng image inspect --format '{{json .Config.Healthcheck.Test}}' "$image")
  local -a command
  mapfile -d '' -t command < <(node -e '
    const test = JSON.parse(process.argv[1]);
    if (!Array.isArray(test) || test[0] !== "CMD") throw new Error("HEALTHCHECK is not CMD: " + process.argv[1]);
    process.stdout.write(test.slice(1).map((a) => a + "\0").join(""));' "$test")
  eng exec "$@" "$container" "${command[@]}"
}
# Lines of the console (pino-pretty-extras: "YYYY-MM-DD HH:MM:SS [LEVEL] ...") in a log text.
console_records() { grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} \[[A-Z]+\] ' || :; }
# cat of every app.log.* in the logs volume, oldest first, read by a throwaway container.
volume_lines() {
  eng run "${RUN_FLAGS[@]}" --rm --network none -v "$LOGS_VOLUME:/logs" --entrypoint /bin/sh "$AGENT_IMAGE" \
    -c 'for f in /logs/app.log.*; do [ -f "$f" ] && cat "$f"; done; :'
}

# --- the demo image -----------------------------------------------------------------------------

section "demo image"
eng volume create "$LOGS_VOLUME" >/dev/null
eng volume create "$STATE_VOLUME" >/dev/null
PORT=$(free_port)
eng run -d --name "$RUN-demo" -p "127.0.0.1:$PORT:5000" -v "$LOGS_VOLUME:/src/logs" "$DEMO_IMAGE" >/dev/null 2>>"$WORK/engine.log"
wait_for 30 healthz_ok "$PORT" || die "demo answers /healthz within 30 s" "$(eng logs "$RUN-demo" 2>&1 | tail -n 20)"
check "runs as the image's non-root user node (uid 1000)" \
  equals "$(eng exec "$RUN-demo" id -u):$(eng exec "$RUN-demo" id -un):$(eng image inspect --format '{{.Config.User}}' "$DEMO_IMAGE")" "1000:node:node"
check "tini is PID 1, node its child" \
  contains "$(eng exec "$RUN-demo" cat /proc/1/cmdline | tr '\0' ' ')" "/usr/bin/tini -- node dist/server.js"
check "GET / answers 200" equals "$(http_status "http://127.0.0.1:$PORT/")" 200
check "GET /healthz answers 200" equals "$(http_status "http://127.0.0.1:$PORT/healthz")" 200
check "the image's HEALTHCHECK command succeeds" run_healthcheck "$DEMO_IMAGE" "$RUN-demo"
if run_healthcheck "$DEMO_IMAGE" "$RUN-demo" -e PORT=1 >/dev/null 2>&1; then
  failed "the HEALTHCHECK command fails when nothing answers (PORT=1)"
else
  pass "the HEALTHCHECK command fails when nothing answers (PORT=1)"
fi
if [ "$ENGINE" = podman ]; then
  check "podman healthcheck run says healthy" podman healthcheck run "$RUN-demo"
fi

# Requests until the stop: SIGTERM reaches node through tini while requests come in.
for _ in $(seq 30); do http_status "http://127.0.0.1:$PORT/" >>"$WORK/codes"; echo >>"$WORK/codes"; done
(
  for _ in $(seq 400); do
    http_status "http://127.0.0.1:$PORT/" >>"$WORK/codes"
    echo >>"$WORK/codes"
  done
) &
load=$!
sleep 1
t=$SECONDS
eng stop -t 30 "$RUN-demo" >/dev/null 2>>"$WORK/engine.log"
wait "$load" || :
stop_seconds=$((SECONDS - t))
check "podman stop: the demo exits 0 (SIGTERM through tini), in ${stop_seconds}s" \
  equals "$(eng inspect --format '{{.State.ExitCode}}' "$RUN-demo")" 0
answered=$(grep -c '^200$' "$WORK/codes" || :)
console=$(eng logs "$RUN-demo" 2>&1)
file_lines=$(volume_lines)
check "every record on the console is in the files ($(console_records <<<"$console") records, $answered requests answered)" \
  equals "$(grep -c '' <<<"$file_lines")" "$(console_records <<<"$console")"
check "every answered request's route line is in the files" \
  node -e '
    const lines = require("fs").readFileSync(0, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const routes = lines.filter((l) => l.message === "GET /").length;
    if (routes < Number(process.argv[1])) throw new Error(`${routes} "GET /" lines for ${process.argv[1]} answers`);
    const last = lines[lines.length - 1];
    if (last.message !== "closed; exiting" || last.exit_code !== 0) throw new Error("last line: " + JSON.stringify(last));' \
  "$answered" <<<"$file_lines"
modes=$(eng run "${RUN_FLAGS[@]}" --rm --network none -v "$LOGS_VOLUME:/logs" --entrypoint /bin/sh "$AGENT_IMAGE" -c \
  'stat -c "%n %U(%u) %a" /logs /logs/app.log.*' | tr '\n' ' ')
# What auto_removal and the supervisor need: the sidecar's user reads every file and may delete
# it (write and search on the folder). Deleting for real is checked below (the leftover).
check "the sidecar's user (uid 1000), in a second container, reads the demo's files and may delete them: $modes" \
  eng run "${RUN_FLAGS[@]}" --rm --network none -v "$LOGS_VOLUME:/logs" --entrypoint /bin/sh "$AGENT_IMAGE" -c \
  '[ "$(id -u)" = 1000 ] && [ -w /logs ] && [ -x /logs ] && for f in /logs/app.log.*; do [ -f "$f" ] && [ -r "$f" ] || exit 1; done'

# --- the agent sidecar image --------------------------------------------------------------------

section "agent sidecar image"
# AWS_EC2_METADATA_DISABLED: the supervisor never probes 169.254.169.254 (these containers have
# no network anyway).
AGENT_ENV=(-e LOG_GROUP_NAME=/containers-test/app -e LOG_FILES=app -e AWS_REGION=eu-west-1 -e AWS_EC2_METADATA_DISABLED=true)
set +e
eng run "${RUN_FLAGS[@]}" --name "$RUN-badgroup" --network none -e 'LOG_GROUP_NAME=my app logs' "$AGENT_IMAGE" \
  >"$WORK/badgroup.out" 2>"$WORK/badgroup.err"
status=$?
set -e
check "a bad LOG_GROUP_NAME stops the container with status 78" equals "$status" 78
check "... and one line that names LOG_GROUP_NAME, nothing on stdout" \
  equals "$(wc -l <"$WORK/badgroup.err"):$(grep -c 'LOG_GROUP_NAME' "$WORK/badgroup.err"):$(wc -c <"$WORK/badgroup.out")" "1:1:0"

# A leftover from an earlier hour, written by the demo image's user, beside the demo's file.
LEFTOVER=/logs/app.log.2000-01-01_00
eng run "${RUN_FLAGS[@]}" --rm --network none -v "$LOGS_VOLUME:/src/logs" --entrypoint /bin/sh "$DEMO_IMAGE" -c \
  'for i in 1 2 3; do printf "{\"@timestamp\":\"2000-01-01T00:00:0%sZ\",\"message\":\"left over %s\"}\n" "$i" "$i"; done >/src/logs/app.log.2000-01-01_00'
expected_lines=$(volume_lines)
eng run -d --name "$RUN-agent" --network none -v "$LOGS_VOLUME:/logs" \
  -v "$STATE_VOLUME:/opt/aws/amazon-cloudwatch-agent/logs/state" "${AGENT_ENV[@]}" \
  -e LEFTOVER_QUIET_SECONDS=0 "$AGENT_IMAGE" >/dev/null 2>>"$WORK/engine.log"
wait_for 20 eng exec "$RUN-agent" test -s /tmp/stand-in-agent/start ||
  die "the supervisor starts the agent within 20 s" "$(eng logs "$RUN-agent" 2>&1 | tail -n 20)"
start=$(eng exec "$RUN-agent" cat /tmp/stand-in-agent/start)
check "PID 1 is the supervisor, the agent its child, both uid 1000, RUN_IN_CONTAINER=True" \
  node -e '
    const s = Object.fromEntries(process.argv[1].split("\n").map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
    const want = { uid: "1000", gid: "1000", ppid: "1", argc: "0", RUN_IN_CONTAINER: "True", HOME: "/home/cwagent" };
    for (const [k, v] of Object.entries(want)) if (s[k] !== v) throw new Error(`${k}=${s[k]}, expected ${v}`);
    if (!/^\/opt\/cwagent\/cwagent-supervisor\s*$/.test(s.pid1)) throw new Error("PID 1: " + s.pid1);' "$start"
check "PID 1 runs as uid 1000" equals "$(eng exec "$RUN-agent" stat -c %u /proc/1)" 1000
config=$(eng exec "$RUN-agent" cat /etc/cwagentconfig/cwagent.json)
check "/etc/cwagentconfig/cwagent.json: region, group, the family's wildcard and the leftover's entry, auto_removal false" \
  node -e '
    const c = JSON.parse(process.argv[1]);
    const got = JSON.stringify([c.agent.region, c.logs.logs_collected.files.collect_list.map((i) =>
      [i.file_path, i.log_group_name, i.log_stream_name, i.auto_removal])]);
    const want = JSON.stringify(["eu-west-1", [["/logs/app.log.*", "/containers-test/app", "app/{local_hostname}", false],
      [process.argv[2], "/containers-test/app", "app/{local_hostname}", false]]]);
    if (got !== want) throw new Error(`got ${got}\nwant ${want}`);' "$config" "$LEFTOVER"
check "the agent found that config in its folder, alone" \
  equals "$(eng exec "$RUN-agent" cat /tmp/stand-in-agent/config-listing)" "cwagent.json"
leftover_gone() { ! eng exec "$RUN-agent" test -e "$LEFTOVER"; }
check "the supervisor (uid 1000) deletes the demo user's leftover once uploaded" wait_for 20 leftover_gone
uploaded_all() {
  [ "$(eng exec "$RUN-agent" cat /tmp/stand-in-agent/uploaded-app.jsonl 2>/dev/null | sort)" = "$(sort <<<"$expected_lines")" ]
}
check "the stand-in agent uploaded every line of the demo's files and the leftover" wait_for 20 uploaded_all
check "the image's HEALTHCHECK command succeeds (cwagent-supervisor healthcheck)" run_healthcheck "$AGENT_IMAGE" "$RUN-agent"
if [ "$ENGINE" = podman ]; then
  check "podman healthcheck run says healthy" podman healthcheck run "$RUN-agent"
fi

eng kill -s HUP "$RUN-agent" >/dev/null
hup_noted() { eng exec "$RUN-agent" grep -qx 'signal HUP' /tmp/stand-in-agent/events; }
check "SIGHUP to the container is passed on to the agent, which goes on" wait_for 10 hup_noted
check "... the sidecar still runs" equals "$(eng inspect --format '{{.State.Running}}' "$RUN-agent")" true

# SIGTERM: the supervisor waits for the lines written last, then stops the agent.
newest=$(eng exec "$RUN-agent" sh -c 'ls /logs/app.log.* | tail -n 1')
eng run "${RUN_FLAGS[@]}" --rm --network none -v "$LOGS_VOLUME:/src/logs" --entrypoint /bin/sh "$DEMO_IMAGE" -c \
  "printf '{\"message\":\"written just before the stop\"}\n' >>/src/logs/${newest#/logs/}"
t=$SECONDS
eng stop -t 40 "$RUN-agent" >/dev/null 2>>"$WORK/engine.log"
stop_seconds=$((SECONDS - t))
check "podman stop: the sidecar exits 0, in ${stop_seconds}s" \
  equals "$(eng inspect --format '{{.State.ExitCode}}' "$RUN-agent")" 0
eng cp "$RUN-agent:/tmp/stand-in-agent" "$WORK/agent-record"
agent_log=$(eng logs "$RUN-agent" 2>&1)
check "the supervisor waited for the upload, then stopped the agent" \
  contains "$agent_log" "every file is uploaded to its end; stopping the agent"
check "SIGTERM reached the agent" equals "$(tail -n 1 "$WORK/agent-record/events")" "signal TERM"
check "the line written just before the stop was uploaded first" \
  grep -qF 'written just before the stop' "$WORK/agent-record/uploaded-app.jsonl"

set +e
eng run "${RUN_FLAGS[@]}" --name "$RUN-exit3" --network none "${AGENT_ENV[@]}" -e STAND_IN_EXIT=3 "$AGENT_IMAGE" \
  >/dev/null 2>"$WORK/exit3.err"
status=$?
set -e
check "an agent that exits by itself: the container exits with its status (3)" equals "$status" 3
check "... and says so" contains "$(cat "$WORK/exit3.err")" "the agent exited with status 3"

# --- docker-compose.yml -------------------------------------------------------------------------

section "docker-compose.yml"
if [ "$ENGINE" = podman ]; then
  need docker-compose
  # podman's Docker-compatible API, on a socket of this run, for Debian's docker-compose.
  podman system service --time=0 "unix://$WORK/podman.sock" >"$WORK/podman-service.log" 2>&1 &
  API_PID=$!
  export DOCKER_HOST=unix://$WORK/podman.sock
  wait_for 20 test -S "$WORK/podman.sock" || die "podman API socket up" "$(cat "$WORK/podman-service.log")"
  compose() { docker-compose -p "$RUN" -f "$ROOT/docker-compose.yml" -f "$HERE/compose.test.yml" "$@"; }
elif docker compose version >/dev/null 2>&1; then
  compose() { docker compose -p "$RUN" -f "$ROOT/docker-compose.yml" -f "$HERE/compose.test.yml" "$@"; }
else
  need docker-compose
  compose() { docker-compose -p "$RUN" -f "$ROOT/docker-compose.yml" -f "$HERE/compose.test.yml" "$@"; }
fi
API_PORT=$(free_port)
export API_PORT CONTAINERS_TEST_DEMO_IMAGE=$DEMO_IMAGE CONTAINERS_TEST_AGENT_IMAGE=$AGENT_IMAGE
COMPOSE_STARTED=1
if ! compose up -d --no-build >"$WORK/compose-up.log" 2>&1; then
  die "docker-compose up" "$(cat "$WORK/compose-up.log")"
fi
pass "docker-compose up: api and cloudwatch-agent started"
api=$(compose ps -q api)
agent=$(compose ps -q cloudwatch-agent)
wait_for 30 healthz_ok "$API_PORT" || die "api answers /healthz on :$API_PORT" "$(compose logs 2>&1 | tail -n 30)"
for _ in $(seq 20); do http_status "http://127.0.0.1:$API_PORT/" >>"$WORK/compose-codes"; echo >>"$WORK/compose-codes"; done
check "20 requests answered 200" equals "$(grep -c '^200$' "$WORK/compose-codes")" 20
route_lines_uploaded() {
  [ "$(eng exec "$agent" cat /tmp/stand-in-agent/uploaded-app.jsonl 2>/dev/null | grep -c '"message":"GET /"')" -ge 20 ]
}
check "the agent sidecar uploaded the api's lines from the shared volume" wait_for 20 route_lines_uploaded
t=$SECONDS
compose stop >"$WORK/compose-stop.log" 2>&1 || failed "docker-compose stop" "$(cat "$WORK/compose-stop.log")"
stop_seconds=$((SECONDS - t))
check "docker-compose stop: api exits 0, then the agent exits 0 (${stop_seconds}s)" \
  equals "$(eng inspect --format '{{.State.ExitCode}}' "$api") $(eng inspect --format '{{.State.ExitCode}}' "$agent")" "0 0"
check "the api stopped before the agent" node -e '
  const [api, agent] = process.argv.slice(1).map((t) => Date.parse(t));
  if (!(api <= agent)) throw new Error(`api finished ${process.argv[1]}, agent ${process.argv[2]}`);' \
  "$(eng inspect --format '{{.State.FinishedAt}}' "$api" | sed 's/ +0000 UTC$/Z/; s/ /T/')" \
  "$(eng inspect --format '{{.State.FinishedAt}}' "$agent" | sed 's/ +0000 UTC$/Z/; s/ /T/')"
eng cp "$agent:/tmp/stand-in-agent" "$WORK/compose-record"
api_console=$(eng logs "$api" 2>&1)
if [ -n "${CONTAINERS_TEST_DEBUG-}" ]; then
  printf '%s\n' "$api_console" >"$CONTAINERS_TEST_DEBUG/api-console"
  cp -r "$WORK/compose-record" "$CONTAINERS_TEST_DEBUG/"
fi
check "every record the api logged was uploaded to the app stream, its last line included" node -e '
  const uploaded = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const want = Number(process.argv[2]);
  if (uploaded.length !== want) throw new Error(`${uploaded.length} lines uploaded, ${want} records on the console`);
  const last = uploaded[uploaded.length - 1];
  if (last.message !== "closed; exiting") throw new Error("last: " + JSON.stringify(last));' \
  "$WORK/compose-record/uploaded-app.jsonl" "$(console_records <<<"$api_console")"
check "no CloudWatch metrics (EMF) line in the app stream" \
  equals "$(grep -c CloudWatchMetrics "$WORK/compose-record/uploaded-app.jsonl" || :)" 0
# With a metrics family in the compose file's agent config (METRICS_FILES), its stream too.
if grep -q '"file_path": "/logs/metrics.log.\*"' "$WORK/compose-record/cwagent.json"; then
  check "the metrics stream got EMF lines only" node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const other = lines.filter((l) => !Array.isArray(l._aws?.CloudWatchMetrics));
    if (lines.length === 0 || other.length > 0) throw new Error(`${lines.length} lines, not EMF: ${JSON.stringify(other[0])}`);' \
    "$WORK/compose-record/uploaded-metrics.jsonl"
fi
if compose down --volumes --timeout 5 >"$WORK/compose-down.log" 2>&1; then
  COMPOSE_STARTED=
  left=$(eng ps -aq --filter "name=^${RUN}_" | wc -l)$(eng volume ls -q | grep -c "^${RUN}_" || :)
  check "docker-compose down --volumes: no container or volume of the project left" equals "$left" "00"
else
  failed "docker-compose down" "$(cat "$WORK/compose-down.log")"
fi
