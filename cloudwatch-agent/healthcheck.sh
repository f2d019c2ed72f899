#!/bin/sh
# Container health: the agent process runs and its rendered config is in place.
# Used by docker-compose.yml, the ECS task definition and the Kubernetes probes.
set -eu
config=${CW_CONFIG_DIR:-/etc/cwagentconfig}/cwagent.json
if [ ! -s "$config" ]; then
  echo "unhealthy: $config is missing" >&2
  exit 1
fi
if ! pidof amazon-cloudwatch-agent >/dev/null; then
  echo "unhealthy: amazon-cloudwatch-agent is not running" >&2
  exit 1
fi
