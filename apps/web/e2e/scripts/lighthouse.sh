#!/usr/bin/env bash
# Lighthouse (desktop preset, Debian chromium) on the sign-in page, the console's ticket
# list and a ticket page: the median of 3 runs of performance and accessibility each.
# Starts a release server on a fresh SQLite data dir with a small realistic data set.
#
#   bash apps/web/e2e/scripts/lighthouse.sh        # prints one line per page
#
# Needs: target/release/helpdesk (cargo build --release -p helpdesk), npm ci in apps/web/e2e.
set -euo pipefail
E2E="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "$E2E/../../.." && pwd)"
BIN="${HELPDESK_BIN:-$ROOT/target/release/helpdesk}"
PORT="${PORT:-18091}"
BASE="http://127.0.0.1:$PORT"
DATA="$(mktemp -d)"
RUNS="${RUNS:-3}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"

cleanup() { [[ -n "${PID:-}" ]] && kill "$PID" 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT
(cd "$DATA" && HELPDESK_BIND="127.0.0.1:$PORT" HELPDESK_DATA_DIR="$DATA" HELPDESK_LOG_FILTER=warn \
  HELPDESK_RATE_LIMIT_PER_IP=100000 HELPDESK_RATE_LIMIT_PER_ACCOUNT=100000 "$BIN" serve >"$DATA/log" 2>&1) &
PID=$!
for _ in $(seq 1 100); do curl -sf "$BASE/health" >/dev/null && break; sleep 0.2; done

json() { python3 -c "import sys, json; print(json.load(sys.stdin)$1)"; }
api() { curl -sf -H 'content-type: application/json' "$@"; }
ADMIN=$(api -X POST "$BASE/api/v1/auth/register" -d '{"workspace_name":"Lakeside IT","admin_email":"ada@lakeside.test","admin_password":"secure-pass","admin_name":"Ada Admin"}' | json "['access_token']")
AUTH=(-H "Authorization: Bearer $ADMIN")
BOB=$(api "${AUTH[@]}" -X POST "$BASE/api/v1/users" -d '{"email":"bob@northwind.test","name":"Bob Martin","role":"CUSTOMER","password":"password-1"}' | json "['id']")
for i in $(seq 1 40); do
  api "${AUTH[@]}" -X POST "$BASE/api/v1/tickets" -d "{\"subject\":\"Printer $i shows PC Load Letter\",\"description\":\"Tray $i asks for letter paper.\",\"requester_id\":\"$BOB\",\"priority\":\"HIGH\"}" >/dev/null
done
api "${AUTH[@]}" -X POST "$BASE/api/v1/tickets/1/messages" -d '{"body":"Please load A4 paper in tray 2.\n> Tray 1 asks for letter paper.","internal":false}' >/dev/null
api "${AUTH[@]}" -X POST "$BASE/api/v1/tickets/1/messages" -d '{"body":"Driver default is Letter; fix the GPO.","internal":true}' >/dev/null

# Sign in through the form for the session cookie.
JAR="$DATA/jar"
CSRF=$(curl -s -c "$JAR" "$BASE/login" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//; s/"//')
curl -s -b "$JAR" -c "$JAR" -o /dev/null --data-urlencode "csrf=$CSRF" --data-urlencode "email=ada@lakeside.test" \
  --data-urlencode "password=secure-pass" "$BASE/login"
COOKIE=$(awk '$6 == "hd_session" { print "hd_session=" $7 }' "$JAR")
[[ -n "$COOKIE" ]] || { echo "lighthouse: sign-in failed" >&2; exit 1; }

cd "$E2E"
measure() { # name url [cookie]
  local name=$1 url=$2 headers=()
  [[ -n "${3:-}" ]] && headers=(--extra-headers "{\"Cookie\":\"$3\"}")
  local perf=() a11y=()
  for run in $(seq 1 "$RUNS"); do
    npx --no-install lighthouse "$url" --preset=desktop --quiet --output=json --output-path="$DATA/lh.json" \
      --only-categories=performance,accessibility --chrome-flags="--headless=new --no-sandbox" "${headers[@]}" >/dev/null 2>&1
    perf+=("$(json "['categories']['performance']['score']" <"$DATA/lh.json")")
    a11y+=("$(json "['categories']['accessibility']['score']" <"$DATA/lh.json")")
  done
  python3 - "$name" "${perf[*]}" "${a11y[*]}" <<'PY'
import statistics, sys
name, perf, a11y = sys.argv[1], [float(x) for x in sys.argv[2].split()], [float(x) for x in sys.argv[3].split()]
print(f"{name:12} performance {round(statistics.median(perf) * 100)} (runs {', '.join(str(round(p * 100)) for p in perf)}), "
      f"accessibility {round(statistics.median(a11y) * 100)}")
PY
}
measure "sign-in" "$BASE/login"
measure "ticket list" "$BASE/tickets" "$COOKIE"
measure "ticket page" "$BASE/tickets/1" "$COOKIE"
