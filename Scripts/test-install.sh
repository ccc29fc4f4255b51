#!/usr/bin/env bash
# Installs settle into a temporary root as a fresh Debian 12 server would get it (Scripts/install.sh),
# checks the schedule files, then runs the monthly cycle as the `settle` user from `/` on a sample
# bundle dropped into the installed inbox, and uninstalls. Part of Scripts/test.sh; needs root.
#
#   Scripts/test-install.sh [BINARY]      default .build/debug/settle
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/debug/settle}
root=$(mktemp -d /tmp/settle-install.XXXXXX)
chmod 755 "$root"
settle="$root/usr/local/bin/settle"
as_settle() { (cd / && runuser -u settle -- env SETTLE_CONFIG="$root/etc/settle/settlement.toml" \
    SETTLE_STATE_DIR="$root/var/lib/settle/state" "$settle" "$@"); }
cleanup() {
    as_settle db stop >/dev/null 2>&1 || true
    rm -rf "$root"
}
trap cleanup EXIT
fail() { echo "test-install: FAILED: $*" >&2; exit 1; }

Scripts/install.sh --root "$root" --binary "$binary" >/dev/null
"$settle" --version | grep -q "commit $(git rev-parse HEAD | cut -c1-12)\|commit $(git rev-parse HEAD)" \
    || fail "settle --version does not name the commit: $("$settle" --version)"
[ "$(stat -c %U:%a "$root/var/lib/settle")" = "settle:750" ] || fail "/var/lib/settle owner or mode"
[ "$(stat -c %U "$root/var/log/settle")" = "settle" ] || fail "/var/log/settle owner"
# cron reads /etc/cron.d files whose names pass run-parts' rules (no dot).
run-parts --list "$root/etc/cron.d" | grep -q '/settle$' || fail "cron would skip $root/etc/cron.d/settle"
grep -Eq '^[0-9]+ [0-9]+ [0-9]+ \* \*  settle  ' "$root/etc/cron.d/settle" || fail "cron line"
if command -v systemd-analyze >/dev/null; then
    out=$(systemd-analyze verify --man=no "$root/etc/systemd/system/settle-cycle.timer" \
        "$root/etc/systemd/system/settle-cycle.service" 2>&1 | grep -v "is not executable\|No such file" || true)
    [ -z "$out" ] || fail "systemd-analyze: $out"
fi
# Installing again keeps an edited configuration.
echo "# edited" >> "$root/etc/settle/settlement.toml"
Scripts/install.sh --root "$root" --binary "$binary" >/dev/null
grep -q "# edited" "$root/etc/settle/settlement.toml" || fail "a second install overwrote the configuration"

# The monthly job as the settle user, from /, on a bundle dropped into the inbox.
cp -r SampleData/inbox/2024-07 "$root/var/lib/settle/inbox/"
chown -R settle:settle "$root/var/lib/settle/inbox"
as_settle cycle --as-of 2024-08-02 --verify-attachments --log-format json >/dev/null 2>&1 \
    || fail "the first cycle as settle failed"
[ -s "$root/var/lib/settle/out/2024-07/review-01/decisions.csv" ] || fail "no review outputs"
as_settle cycle --as-of 2024-08-09 --log-format json >/dev/null 2>&1 || fail "the second cycle failed"
[ -s "$root/var/lib/settle/out/2024-07/payment-01/pain001.xml" ] || fail "no payment files"
[ "$(stat -c %U "$root/var/lib/settle/out/2024-07/payment-01/pain001.xml")" = "settle" ] || fail "output owner"
as_settle status | grep -q "disbursed" || fail "status after the cycles"
as_settle db stop >/dev/null

Scripts/uninstall.sh --root "$root" >/dev/null
[ ! -e "$settle" ] || fail "uninstall left the binary"
[ -s "$root/var/lib/settle/out/2024-07/review-01/decisions.csv" ] || fail "uninstall removed data"
echo "test-install: 1 passed, 0 failed"
