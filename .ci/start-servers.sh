#!/usr/bin/env bash
# Start the two real SPARQL servers the remote tests talk to, on 127.0.0.1 only:
#   Oxigraph server  http://127.0.0.1:${OXIGRAPH_PORT:-17878}   (query /query, update /update, GSP /store)
#   Virtuoso 7       http://127.0.0.1:${VIRT_HTTP_PORT:-18890}/sparql  (SQL port ${VIRT_SQL_PORT:-11111})
# Idempotent: a server that is already up is left alone. Files live under
# ${SCRATCH:-/tmp}/smolgraph-ci. Exports nothing: the caller sets
#   SMOLGRAPH_TEST_OXIGRAPH=http://127.0.0.1:17878
#   SMOLGRAPH_TEST_VIRTUOSO=http://127.0.0.1:18890/sparql
# Stop them with .ci/stop-servers.sh.
set -euo pipefail

ROOT=${SCRATCH:-/tmp}/smolgraph-ci
OX_DIR=$ROOT/oxigraph
VIRT_DIR=$ROOT/virtuoso
OX_PORT=${OXIGRAPH_PORT:-17878}
HTTP_PORT=${VIRT_HTTP_PORT:-18890}
SQL_PORT=${VIRT_SQL_PORT:-11111}
HERE=$(cd "$(dirname "$0")" && pwd)
OXIGRAPH=${OXIGRAPH_BIN:-}
if [ -z "$OXIGRAPH" ]; then
  # The active environment's first (pip install oxigraph puts it beside python).
  for candidate in "$(command -v oxigraph || true)" "$(dirname "$(command -v python3 || echo /x/x)")/oxigraph" "$HERE/../../venv/bin/oxigraph"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then OXIGRAPH=$candidate; break; fi
  done
fi

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_oxigraph() {
  mkdir -p "$OX_DIR"
  if alive "$OX_DIR/oxigraph.pid" && curl -fs -o /dev/null "http://127.0.0.1:$OX_PORT/query?query=ASK%7B%7D"; then
    echo "oxigraph: already up on 127.0.0.1:$OX_PORT"; return 0
  fi
  if curl -fs -o /dev/null "http://127.0.0.1:$OX_PORT/query?query=ASK%7B%7D"; then
    echo "oxigraph: 127.0.0.1:$OX_PORT already answers, but not from a server started here ($OX_DIR); using it" >&2; return 0
  fi
  [ -n "$OXIGRAPH" ] || { echo "oxigraph: binary not found (pip install oxigraph, or set OXIGRAPH_BIN)" >&2; return 1; }
  # In memory: every CI run starts from an empty store.
  "$OXIGRAPH" serve --bind "127.0.0.1:$OX_PORT" >"$OX_DIR/stdout.log" 2>&1 &
  echo $! >"$OX_DIR/oxigraph.pid"
  for _ in $(seq 1 100); do                       # <= 10 s
    if curl -fs -o /dev/null "http://127.0.0.1:$OX_PORT/query?query=ASK%7B%7D"; then
      echo "oxigraph: up on 127.0.0.1:$OX_PORT (pid $(cat "$OX_DIR/oxigraph.pid"))"; return 0
    fi
    alive "$OX_DIR/oxigraph.pid" || { cat "$OX_DIR/stdout.log" >&2; return 1; }
    sleep 0.1
  done
  echo "oxigraph: did not answer within 10 s" >&2; return 1
}

start_virtuoso() {
  if alive "$VIRT_DIR/virtuoso.pid" && curl -fs -o /dev/null "http://127.0.0.1:$HTTP_PORT/sparql?query=ASK%7B%7D"; then
    echo "virtuoso: already up on 127.0.0.1:$HTTP_PORT"; return 0
  fi
  if ! alive "$VIRT_DIR/virtuoso.pid" && curl -fs -o /dev/null "http://127.0.0.1:$HTTP_PORT/sparql?query=ASK%7B%7D"; then
    echo "virtuoso: 127.0.0.1:$HTTP_PORT already answers, but not from a server started here ($VIRT_DIR); using it" >&2; return 0
  fi
  if ! command -v virtuoso-t >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends virtuoso-opensource-7-bin >/dev/null
  fi
  if alive "$VIRT_DIR/virtuoso.pid"; then          # up but not answering: start again
    kill -TERM "$(cat "$VIRT_DIR/virtuoso.pid")" 2>/dev/null || true; sleep 2
  fi
  rm -rf "$VIRT_DIR"; mkdir -p "$VIRT_DIR"
  cat >"$VIRT_DIR/virtuoso.ini" <<INI
[Database]
DatabaseFile = $VIRT_DIR/virtuoso.db
ErrorLogFile = $VIRT_DIR/virtuoso.log
LockFile = $VIRT_DIR/virtuoso.lck
TransactionFile = $VIRT_DIR/virtuoso.trx
xa_persistent_file = $VIRT_DIR/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = $VIRT_DIR/virtuoso-temp.db
TransactionFile = $VIRT_DIR/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:$SQL_PORT
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = ., $VIRT_DIR
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000
MaxQueryMem = 1G
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:$HTTP_PORT
ServerRoot = $VIRT_DIR
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
INI
  ( cd "$VIRT_DIR" && exec virtuoso-t +foreground +configfile "$VIRT_DIR/virtuoso.ini" >"$VIRT_DIR/stdout.log" 2>&1 ) &
  echo $! >"$VIRT_DIR/virtuoso.pid"               # exec => virtuoso-t's own pid
  for _ in $(seq 1 300); do                       # <= 60 s
    if curl -fs -o /dev/null "http://127.0.0.1:$HTTP_PORT/sparql?query=ASK%7B%7D"; then
      # The anonymous SPARQL user may update (and use the Graph Store Protocol);
      # isql-vt exits 0 on SQL errors, so the probe below is the real check.
      isql-vt "127.0.0.1:$SQL_PORT" dba dba exec='GRANT SPARQL_UPDATE TO "SPARQL";' >/dev/null
      curl -fs -o /dev/null --data-urlencode 'update=CLEAR SILENT GRAPH <urn:ci:probe>' \
           "http://127.0.0.1:$HTTP_PORT/sparql" || { echo "virtuoso: update not permitted" >&2; return 1; }
      echo "virtuoso: up on 127.0.0.1:$HTTP_PORT (sql $SQL_PORT, pid $(cat "$VIRT_DIR/virtuoso.pid"))"; return 0
    fi
    alive "$VIRT_DIR/virtuoso.pid" || { cat "$VIRT_DIR/stdout.log" "$VIRT_DIR/virtuoso.log" >&2 2>/dev/null; return 1; }
    sleep 0.2
  done
  echo "virtuoso: did not answer within 60 s" >&2; return 1
}

mkdir -p "$ROOT"
start_oxigraph
start_virtuoso
