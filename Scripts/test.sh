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
SETTLE_TEST_DATABASE_URL=$(.build/debug/settle db url --admin --state-dir "$state/state")
export SETTLE_TEST_DATABASE_URL
export SETTLE_TEST_BINARY="$PWD/.build/debug/settle"

# The official ISO 20022 pain.001.001.03 schema, to validate the bank file against. It is not
# committed: it comes from a public package (sepaxml on PyPI ships the ISO schemas) into .build/.
xsd=.build/iso20022/pain.001.001.03.xsd
if [ ! -f "$xsd" ]; then
    fetch=$(mktemp -d)
    if python3 -m pip download --quiet --no-deps --disable-pip-version-check sepaxml==2.7.0 -d "$fetch" >/dev/null 2>&1; then
        mkdir -p .build/iso20022
        python3 - "$fetch" "$xsd" <<'PY'
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/sepaxml-*.whl")[0]
with zipfile.ZipFile(wheel) as z, open(sys.argv[2], "wb") as out:
    out.write(z.read("sepaxml/schemas/pain.001.001.03.xsd"))
PY
    else
        echo "warning: could not fetch the ISO 20022 schema; the schema test will fail" >&2
    fi
    rm -rf "$fetch"
fi
[ -f "$xsd" ] && export SETTLE_TEST_PAIN001_XSD="$PWD/$xsd"

swift test --skip-build

# The install on a fresh server (a temporary root), and the cycle as the settle user.
if [ "$(id -u)" -eq 0 ]; then
    Scripts/test-install.sh .build/debug/settle 2>/dev/null
else
    echo "test-install: skipped (needs root)"
fi

echo "lint: swift format lint --strict"
swift format lint --strict --recursive Package.swift Sources Tests
echo "test.sh: all passed"
