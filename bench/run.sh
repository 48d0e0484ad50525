#!/usr/bin/env bash
# Reproduces docs/performance.md: builds release, seeds a data set on SQLite and on
# PostgreSQL (plus a small PostgreSQL one for the scaling target), reads each into the page
# cache, starts the server on each, runs every scenario and the anchors, and writes the
# results into docs/performance.md.
#
#   bash bench/run.sh                    # 1,000,000 tickets (seeding takes a while)
#   TICKETS=100000 bash bench/run.sh     # a smaller data set
#
# Knobs: TICKETS, SMALL_TICKETS (10000), WORKSPACES (100), CONCURRENCY (32), MAIL_MESSAGES
# (1000 messages waiting in a Dovecot folder for the mail_intake scenario),
# SECONDS_PER_SCENARIO (10), SUSTAINED_SECONDS (60), JOB_HISTORY (1000000 finished jobs in
# the queue's history before the sustained run), PG_ADMIN_URL, BACKENDS ("sqlite postgres"),
# REUSE=1 to keep an already seeded data set of the same size. SCENARIOS=a,b measures only
# those, prints them and leaves docs/performance.md alone (no anchors, no small data set),
# e.g. the web pages with 100,000 tickets in the large workspace (it holds half of TICKETS):
#   TICKETS=200000 SCENARIOS=web_list,web_ticket,list_filtered bash bench/run.sh
# `sustained` among SCENARIOS runs the write flood with a worker (see below); `mail_intake`
# the IMAP intake on a fresh database (its figures are printed, for the hand-written part).
set -euo pipefail
cd "$(dirname "$0")/.."

TICKETS=${TICKETS:-1000000}
SMALL_TICKETS=${SMALL_TICKETS:-10000}
WORKSPACES=${WORKSPACES:-100}
CONCURRENCY=${CONCURRENCY:-32}
SECONDS_PER_SCENARIO=${SECONDS_PER_SCENARIO:-10}
SUSTAINED_SECONDS=${SUSTAINED_SECONDS:-60}
JOB_HISTORY=${JOB_HISTORY:-1000000}
MAIL_MESSAGES=${MAIL_MESSAGES:-1000}
PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
BACKENDS=${BACKENDS:-"sqlite postgres"}
WORK=target/bench
PORT=18080
mkdir -p "$WORK"

cargo build --release -p helpdesk -p helpdesk-bench
BIN=target/release/helpdesk
BENCH=target/release/helpdesk-bench

export HELPDESK_JWT_SECRET=bench-secret-bench-secret-bench-secret-0
export HELPDESK_RATE_LIMIT_PER_IP=1000000000
export HELPDESK_RATE_LIMIT_PER_ACCOUNT=1000000000
# The load posts messages far faster than a person: lift the per-author and per-ticket limits.
export HELPDESK_RATE_LIMIT_MESSAGES_PER_AUTHOR=1000000000
export HELPDESK_RATE_LIMIT_MESSAGES_PER_TICKET=1000000000
# No hourly mail cap (0): the load sends far more than a workspace's people would.
export HELPDESK_MAIL_PER_HOUR=0
export HELPDESK_LOG_FILTER=warn
export HELPDESK_BIND=127.0.0.1:$PORT
# The API is measured on its own: the jobs it queues (one dispatch per ticket event) wait
# for a worker, as they would for workers on other machines.
export HELPDESK_JOBS_IN_PROCESS=false
unset REDIS_URL

pg_base=${PG_ADMIN_URL%/*}

wait_health() {
  for _ in $(seq 1 2000); do
    curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && return 0
    sleep 0.005
  done
  echo "server did not answer /health" >&2
  return 1
}

# seed NAME DATABASE_URL TICKETS: seed unless REUSE=1 and the data set exists.
seed() {
  local name=$1 url=$2 n=$3 marker="$WORK/$1.seeded"
  if [ "${REUSE:-0}" = 1 ] && [ -f "$marker" ] && [ "$(cat "$marker")" = "$n" ]; then
    echo "bench: reusing $name ($n tickets)"
    return
  fi
  case $url in
    sqlite://*) rm -f "${url#sqlite://}" "${url#sqlite://}-wal" "${url#sqlite://}-shm" ;;
    postgres://*)
      local db=${url##*/}
      psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" ;;
  esac
  echo "bench: seeding $name with $n tickets"
  local t0=$(date +%s)
  "$BENCH" seed --database-url "$url" --tickets "$n" --workspaces "$WORKSPACES"
  echo "bench: seeded $name in $(( $(date +%s) - t0 )) s"
  echo "$n" > "$marker"
}

# warm DATABASE_URL: reads the data set into the page cache before it is measured, so every
# run starts from the same state. A data set seeded minutes before (or beside the other
# backend's) is otherwise partly on disk: the bench machine's kernel pages out memory left
# untouched for a minute (DAMON reclaim), and the first scenarios would measure the disk.
warm() {
  local url=$1 t0=$(date +%s)
  case $url in
    sqlite://*)
      local file=${url#sqlite://}
      cat "$file" > /dev/null
      if [ -f "$file-wal" ]; then cat "$file-wal" > /dev/null; fi ;;
    postgres://*)
      # pg_prewarm's `read` mode reads every block of the tables, their TOAST and indexes
      # into the operating system's cache (shared_buffers is far smaller than the data).
      # A server without the extension (it ships with PostgreSQL's contrib) is measured as
      # it is.
      if ! psql "$url" -qAt -c "SET client_min_messages = warning" \
        -c "CREATE EXTENSION IF NOT EXISTS pg_prewarm" \
        -c "SELECT pg_prewarm(c.oid, 'read') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'i', 't', 'm') AND c.relpersistence = 'p'
              AND n.nspname IN ('public', 'pg_toast')" > /dev/null; then
        echo "bench: could not read ${url##*/} in with pg_prewarm; it is measured as it is cached"
        return
      fi ;;
  esac
  echo "bench: warmed ${url##*/} in $(( $(date +%s) - t0 )) s"
}

# measure NAME DATABASE_URL TICKETS ANCHORS(0|1) [extra run args…]
measure() {
  local name=$1 url=$2 n=$3 anchors=$4; shift 4
  local data="$WORK/data-$name"
  mkdir -p "$data"
  warm "$url"
  # A first start applies any migration; the second is the cold start that is measured.
  DATABASE_URL=$url HELPDESK_DATA_DIR=$data "$BIN" serve > "$WORK/$name.log" 2>&1 &
  local pid=$!
  wait_health; kill "$pid"; wait "$pid" || true
  local t0=$(date +%s%N)
  DATABASE_URL=$url HELPDESK_DATA_DIR=$data "$BIN" serve >> "$WORK/$name.log" 2>&1 &
  pid=$!
  wait_health
  local cold=$(( ($(date +%s%N) - t0) / 1000000 ))
  sleep 2
  echo "bench: $name: cold start ${cold} ms"
  "$BENCH" run --base-url "http://127.0.0.1:$PORT" --database-url "$url" --tickets "$n" --workspaces "$WORKSPACES" \
    --concurrency "$CONCURRENCY" --seconds "$SECONDS_PER_SCENARIO" \
    --server-pid "$pid" --cold-start-ms "$cold" --out "$WORK/$name.json" --skip-anchors "$@"
  kill "$pid"; wait "$pid" || true
  # The anchors run on a quiet machine: server and worker stopped.
  if [ "$anchors" = 1 ]; then
    "$BENCH" anchors --database-url "$url" --results "$WORK/$name.json" --seconds "$SECONDS_PER_SCENARIO"
  fi
}

# sustained NAME DATABASE_URL TICKETS [OUT]: the write flood with jobs running — on SQLite
# the server's in-process worker (the embedded default), on PostgreSQL a separate
# `helpdesk worker` process (the production topology) woken by LISTEN/NOTIFY. The queue is
# readied first: the earlier scenarios' backlog dropped, the history filled to JOB_HISTORY.
sustained() {
  local name=$1 url=$2 n=$3 out=${4:-}
  local data="$WORK/data-$name"
  mkdir -p "$data"
  "$BENCH" queue-prep --database-url "$url" --history "$JOB_HISTORY"
  warm "$url"
  local pid wpid
  case $url in
    sqlite://*)
      DATABASE_URL=$url HELPDESK_DATA_DIR=$data HELPDESK_JOBS_IN_PROCESS=true "$BIN" serve >> "$WORK/$name.log" 2>&1 &
      pid=$!; wpid=$pid ;;
    *)
      DATABASE_URL=$url HELPDESK_DATA_DIR=$data "$BIN" serve >> "$WORK/$name.log" 2>&1 &
      pid=$!
      DATABASE_URL=$url HELPDESK_DATA_DIR=$data "$BIN" worker >> "$WORK/$name-worker.log" 2>&1 &
      wpid=$! ;;
  esac
  wait_health
  "$BENCH" sustained --base-url "http://127.0.0.1:$PORT" --database-url "$url" --tickets "$n" \
    --workspaces "$WORKSPACES" --concurrency "$CONCURRENCY" --seconds "$SUSTAINED_SECONDS" \
    --worker-pid "$wpid" ${out:+--out "$out"}
  kill "$pid"; wait "$pid" || true
  if [ "$wpid" != "$pid" ]; then kill "$wpid"; wait "$wpid" || true; fi
}

# mail_intake BACKEND: MAIL_MESSAGES messages in a Dovecot folder become tickets, on a fresh
# database, with the worker in the server's process; prints the times.
mail_intake() {
  case $1 in
    sqlite) "$BENCH" mail-intake --messages "$MAIL_MESSAGES" | tee -a "$WORK/mail-intake.txt" ;;
    postgres)
      psql "$PG_ADMIN_URL" -qc "drop database if exists helpdesk_bench_mail with (force)"
      psql "$PG_ADMIN_URL" -qc "create database helpdesk_bench_mail"
      "$BENCH" mail-intake --messages "$MAIL_MESSAGES" --database-url "$pg_base/helpdesk_bench_mail" \
        | tee -a "$WORK/mail-intake.txt" ;;
  esac
}

if [ -n "${SCENARIOS:-}" ]; then
  if [ "$SCENARIOS" = mail_intake ]; then
    for backend in $BACKENDS; do mail_intake "$backend"; done
    exit 0
  fi
  others=$(echo ",$SCENARIOS," | sed 's/,sustained,/,/; s/,mail_intake,/,/; s/^,//; s/,$//')
  for backend in $BACKENDS; do
    case $backend in
      sqlite) url="sqlite://$PWD/$WORK/bench-sqlite.db" ;;
      postgres) url="$pg_base/helpdesk_bench" ;;
      *) echo "unknown backend $backend" >&2; exit 2 ;;
    esac
    seed "$backend" "$url" "$TICKETS"
    if [ -n "$others" ]; then
      measure "$backend-only" "$url" "$TICKETS" 0 --scenarios "$others"
    fi
    case ",$SCENARIOS," in *,sustained,*) sustained "$backend-only" "$url" "$TICKETS" ;; esac
    case ",$SCENARIOS," in *,mail_intake,*) mail_intake "$backend" ;; esac
  done
  exit 0
fi

results=()
small=()
for backend in $BACKENDS; do
  case $backend in
    sqlite)
      url="sqlite://$PWD/$WORK/bench-sqlite.db"
      seed sqlite "$url" "$TICKETS"
      measure sqlite "$url" "$TICKETS" 1
      sustained sqlite "$url" "$TICKETS" "$WORK/sqlite.json"
      mail_intake sqlite
      results+=(--results "$WORK/sqlite.json") ;;
    postgres)
      url="$pg_base/helpdesk_bench"
      seed postgres "$url" "$TICKETS"
      measure postgres "$url" "$TICKETS" 1
      sustained postgres "$url" "$TICKETS" "$WORK/postgres.json"
      mail_intake postgres
      results+=(--results "$WORK/postgres.json")
      small_url="$pg_base/helpdesk_bench_small"
      seed postgres-small "$small_url" "$SMALL_TICKETS"
      measure postgres-small "$small_url" "$SMALL_TICKETS" 0 --scenarios list_filtered
      small=(--small-postgres "$WORK/postgres-small.json") ;;
    *) echo "unknown backend $backend" >&2; exit 2 ;;
  esac
done

"$BENCH" report "${results[@]}" "${small[@]}" --out docs/performance.md
echo "bench: wrote docs/performance.md"
