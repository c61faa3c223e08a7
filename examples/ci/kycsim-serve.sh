#!/usr/bin/env bash
# CI without containers: one kycsim in the background for the whole job, the tests against it, kycsim
# stopped at the end, whatever happens. kycsim's settings come from the environment (KYCSIM_PORT,
# KYCSIM_HOST, KYCSIM_CONTROL_TOKEN...; the clock is manual unless KYCSIM_SPEED says otherwise).
#
#   examples/ci/kycsim-serve.sh pytest -n 4
set -euo pipefail
port="${KYCSIM_PORT:-8000}"
KYCSIM_PORT="$port" KYCSIM_SPEED="${KYCSIM_SPEED:-manual}" kycsim serve --log-level warning &
kycsim_pid=$!
trap 'kill "$kycsim_pid" 2>/dev/null; wait "$kycsim_pid" 2>/dev/null || true' EXIT
kycsim wait --url "http://127.0.0.1:$port" --timeout 30
KYCSIM_URL="http://127.0.0.1:$port" "$@"
