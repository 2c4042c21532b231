#!/usr/bin/env bash
# Stop the servers .ci/start-servers.sh started (by their recorded pids only).
# Idempotent: nothing running is not an error.
set -uo pipefail

ROOT=${SCRATCH:-/tmp}/smolgraph-ci

stop() {  # stop NAME PIDFILE SECONDS
  local name=$1 pidfile=$2 wait=$3 pid
  [ -f "$pidfile" ] || { echo "$name: not running"; return 0; }
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 $((wait * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    echo "$name: stopped (pid $pid)"
  else
    echo "$name: not running"
  fi
  rm -f "$pidfile"
}

stop oxigraph "$ROOT/oxigraph/oxigraph.pid" 5
stop virtuoso "$ROOT/virtuoso/virtuoso.pid" 10
