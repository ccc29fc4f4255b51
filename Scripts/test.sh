#!/usr/bin/env bash
# The project's test command: bootstrap, build, run every test against a throwaway embedded
# PostgreSQL cluster, then lint. Cleans up its cluster whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

Scripts/bootstrap.sh
swift build --build-tests

# A throwaway state directory that the postgres user can reach when we run as root.
state=$(mktemp -d /tmp/settle-test.XXXXXX)
chmod 755 "$state"
cleanup() {
    .build/debug/settle db stop --state-dir "$state/state" >/dev/null 2>&1 || true
    rm -rf "$state"
}
trap cleanup EXIT

.build/debug/settle db start --state-dir "$state/state"
SETTLE_TEST_DATABASE_URL=$(.build/debug/settle db url --state-dir "$state/state")
export SETTLE_TEST_DATABASE_URL
export SETTLE_TEST_BINARY="$PWD/.build/debug/settle"

swift test --skip-build

echo "lint: swift format lint --strict"
swift format lint --strict --recursive Package.swift Sources Tests
echo "test.sh: all passed"
