#!/usr/bin/env bash
# The whole test suite: `cargo test --workspace`, with the real PostgreSQL backend and the
# headless-Chromium browser test switched on when this machine can provide them.
#
#   bash scripts/test.sh            # what the README and CI run
#
# - PostgreSQL: uses SEPAKAT_TEST_DATABASE_URL if set; otherwise, when a server answers on
#   127.0.0.1:5432 (starting the local cluster if it is installed but stopped), uses
#   postgres://postgres@127.0.0.1:5432/test.
# - Browser: installs Debian's chromium and chromium-driver when missing and we are root.
# Set SEPAKAT_REQUIRE_BROWSER=1 / SEPAKAT_REQUIRE_POSTGRES=1 to fail instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromedriver >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing chromium and chromium-driver for the browser test"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if [ -z "${SEPAKAT_TEST_DATABASE_URL:-}" ]; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    export SEPAKAT_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:5432/test"
  fi
fi
if [ -n "${SEPAKAT_TEST_DATABASE_URL:-}" ]; then
  echo "PostgreSQL contract tests: on (${SEPAKAT_TEST_DATABASE_URL})"
elif [ "${SEPAKAT_REQUIRE_POSTGRES:-0}" = 1 ]; then
  echo "PostgreSQL is required but not reachable" >&2; exit 1
else
  echo "PostgreSQL contract tests: skipped (no server on 127.0.0.1:5432)"
fi

# Run the suite, then print one closing line with the totals over every test binary.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
cargo test --workspace "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
awk '/^test result:/ {
       for (i = 2; i <= NF; i++) {
         if ($i ~ /^passed;?$/)  passed  += $(i - 1)
         if ($i ~ /^failed;?$/)  failed  += $(i - 1)
         if ($i ~ /^ignored;?$/) skipped += $(i - 1)
       }
     }
     END { printf "total: %d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$log"
exit "$status"
