#!/bin/sh
# Runs the sidecar's supervisor (supervisor/, a Go program) from a checkout, outside the image:
# builds it when its binary is missing or older than its sources, then execs it with the same
# arguments and environment. The image runs the binary itself (Dockerfile); `--help` lists the
# variables. The binary goes to CW_SUPERVISOR_BIN (default supervisor/bin/cwagent-supervisor
# beside this script); two starts at once each build into a temporary file and rename it over
# the binary, so neither runs half a file.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$here/supervisor
bin=${CW_SUPERVISOR_BIN:-$src/bin/cwagent-supervisor}

fail() {
  printf 'cloudwatch-agent: error: %s\n' "$*" >&2
  exit 78
}

# True when the binary is missing or a Go source or go.mod is newer than it.
stale() {
  [ -x "$bin" ] || return 0
  newer=$(find "$src" -path "$src/bin" -prune -o -type f \( -name '*.go' -o -name go.mod \) -newer "$bin" -print | head -n 1)
  [ -n "$newer" ]
}

build() {
  command -v go >/dev/null 2>&1 ||
    fail "cannot build the supervisor ($src): go is not installed (apt-get install golang-go, or run the image)."
  mkdir -p "$(dirname "$bin")" || fail "cannot create $(dirname "$bin")."
  # Go's build cache lives in HOME; without a writable one (tests run with a fake HOME) it goes
  # beside the binary.
  if [ -z "${GOCACHE-}" ]; then
    GOCACHE=$(go env GOCACHE 2>/dev/null) || GOCACHE=
    if [ -z "$GOCACHE" ] || [ "$GOCACHE" = off ] || ! mkdir -p "$GOCACHE" 2>/dev/null; then
      GOCACHE=$(dirname "$bin")/.gocache
    fi
    export GOCACHE
  fi
  tmp=$(mktemp "$bin.XXXXXX") || fail "cannot create a temporary file beside $bin."
  if ! (cd "$src" && CGO_ENABLED=0 go build -trimpath -ldflags=-s -o "$tmp" .) >&2; then
    rm -f "$tmp"
    fail "cannot build the supervisor ($src): see go's message above."
  fi
  chmod 0755 "$tmp"
  mv -f "$tmp" "$bin"
}

if stale; then build; fi

# The template beside this script, as the image has it beside the binary.
CW_CONFIG_TEMPLATE=${CW_CONFIG_TEMPLATE:-$here/config.template.json}
export CW_CONFIG_TEMPLATE
exec "$bin" "$@"
