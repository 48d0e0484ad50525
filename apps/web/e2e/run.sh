#!/usr/bin/env bash
# Runs the browser tests and prints one line: `browser tests: N passed, N failed`.
# Works from any directory. Extra arguments go to `playwright test` (e.g. a spec file
# or `-g 'title'`). The full Playwright output goes to $E2E_LOG (default:
# apps/web/e2e/playwright.log). Exit code: Playwright's.
# Env: HELPDESK_URL (use a running server), HELPDESK_BIN (binary to start),
# CHROMIUM_PATH (browser; default /usr/bin/chromium).
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$DIR"
LOG="${E2E_LOG:-$DIR/playwright.log}"

# Debian's chromium; never `npx playwright install` (no downloads here).
if [[ -z "${CHROMIUM_PATH:-}" && ! -x /usr/bin/chromium ]]; then
  SUDO=""
  if [[ "$(id -u)" -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
npm ci --no-audit --no-fund --loglevel=error >/dev/null

rc=0
NO_COLOR=1 npx --no-install playwright test "$@" >"$LOG" 2>&1 || rc=$?

# List reporter summary lines: "  5 passed (12.3s)", "  1 failed".
clean="$(sed -e 's/\x1b\[[0-9;]*m//g' "$LOG")"
passed="$(grep -E '^[[:space:]]+[0-9]+ passed' <<<"$clean" | tail -n1 | grep -Eo '[0-9]+' | head -n1 || true)"
failed="$(grep -E '^[[:space:]]+[0-9]+ failed' <<<"$clean" | tail -n1 | grep -Eo '[0-9]+' | head -n1 || true)"

if [[ "$rc" -ne 0 ]]; then
  # Details on stderr; stdout keeps the single summary line.
  {
    echo "playwright exited with $rc; full output: $LOG"
    tail -n 60 <<<"$clean"
  } >&2
fi

echo "browser tests: ${passed:-0} passed, ${failed:-0} failed"
exit "$rc"
