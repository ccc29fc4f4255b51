#!/usr/bin/env bash
# Kills settle at random moments (SIGKILL, as a power cut would) while it runs the monthly cycle on
# the sample inbox, runs each step again until it completes, then checks that nothing was lost or
# paid twice: `settle check` (every account from its entries), `settle audit verify` (the chain and
# every published file), no unpublished output, and the same decisions as an uninterrupted run.
# Not part of the tests (it takes minutes); run it after changing a stage.
#
#   Scripts/kill-test.sh [KILLS_PER_STEP]     default 4
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-4}
swift build --product settle 2>&1 | tail -1
settle=$PWD/.build/debug/settle
work=$(mktemp -d /tmp/settle-kill.XXXXXX)
chmod 755 "$work"
trap '"$settle" db stop --state-dir "$work/killed/state" >/dev/null 2>&1 || true; "$settle" db stop --state-dir "$work/clean/state" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

steps=("cycle --as-of 2024-08-02" "cycle --as-of 2024-09-02" "approve --month 2024-07 --payment 1 --by 复核人"
       "cycle --as-of 2024-10-08" "cycle --as-of 2024-11-04")
# approve takes no --inbox: each step gets the options it knows.
play() {  # play NAME KILLS
    local name=$1 limit=$2 dir="$work/$1"
    mkdir -p "$dir/inbox"
    cp -r SampleData/inbox/2024-0{7,8,9} "$dir/inbox/"
    "$settle" db start --state-dir "$dir/state" >/dev/null
    local total=0
    for step in "${steps[@]}"; do
        local extra=(--out "$dir/out" --state-dir "$dir/state" --log-format json)
        [[ $step == cycle* ]] && extra+=(--inbox "$dir/inbox")
        for attempt in $(seq 1 "$limit"); do
            delay=$(awk -v r=$RANDOM 'BEGIN { printf "%.3f", 0.01 + (r % 300) / 1000 }')
            # shellcheck disable=SC2086
            if timeout -s KILL "$delay" "$settle" $step "${extra[@]}" >/dev/null 2>&1; then break; fi
            total=$((total + 1))
        done
        # shellcheck disable=SC2086
        "$settle" $step "${extra[@]}" >>"$dir/log" 2>&1 || {
            code=$?
            [ $code -eq 5 ] || { echo "kill-test: $step failed ($code)"; tail -3 "$dir/log"; exit 1; }
        }
    done
    echo "$name: $total runs killed at random moments"
}
play clean 0
play killed "$kills"
dir="$work/killed"
"$settle" check --state-dir "$dir/state" || { echo "kill-test: FAILED: settle check"; exit 1; }
"$settle" audit verify --state-dir "$dir/state" || { echo "kill-test: FAILED: audit verify"; exit 1; }
"$settle" status --state-dir "$dir/state" | grep -q UNPUBLISHED && { echo "kill-test: FAILED: unpublished outputs"; exit 1; }
for month in 2024-07 2024-08 2024-09; do
    cmp -s "$work/clean/out/$month/review-01/decisions.csv" "$dir/out/$month/review-01/decisions.csv" \
        || { echo "kill-test: FAILED: $month decisions differ from the uninterrupted run"; exit 1; }
done
paid() { psql "$("$settle" db url --state-dir "$1/state")" -tAc \
    "SELECT count(*) || ' ' || coalesce(sum(amount), 0) FROM ledger_entries WHERE kind IN ('payment', 'supplement', 'repayment')"; }
[ "$(paid "$work/clean")" = "$(paid "$dir")" ] || { echo "kill-test: FAILED: payments differ: $(paid "$work/clean") vs $(paid "$dir")"; exit 1; }
echo "kill-test: 1 passed, 0 failed (payments: $(paid "$dir"))"
