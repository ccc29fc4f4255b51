#!/usr/bin/env bash
# Runs the monthly job on the sample inbox (SampleData/inbox) on the embedded database, as cron
# would on the 2nd of each month, and shows what finance gets. Starts from a fresh state each time.
#
#   Scripts/run-sample.sh            outputs in out/sample/, database state in a temporary directory
#
# Between the runs it plays the bank: after the July batch is paid it answers with a result file
# in which one payment is returned (the enterprise's account was wrong; the corrected account
# arrives with the September export, and the October run pays it again).
set -euo pipefail
cd "$(dirname "$0")/.."

Scripts/bootstrap.sh
swift build --product settle 2>&1 | tail -1
settle=.build/debug/settle

# A state directory the postgres user can reach even when we run as root.
state=$(mktemp -d /tmp/settle-sample.XXXXXX)
chmod 755 "$state"
out=out/sample
rm -rf "$out"
mkdir -p "$out"
cleanup() { "$settle" db stop --state-dir "$state/state" >/dev/null 2>&1 || true; rm -rf "$state"; }
trap cleanup EXIT
"$settle" db start --state-dir "$state/state" >/dev/null
run() { echo; echo "\$ settle $*"; "$settle" "$@" --state-dir "$state/state" --log-format json 2>>"$out/settle.log"; }

# The platform's export of a month arrives after the month ends: the inbox receives one bundle
# before each monthly run.
inbox="$state/inbox"
mkdir -p "$inbox"
arrive() { echo; echo "(the platform's export for $1 arrives in the inbox)"; cp -r "SampleData/inbox/$1" "$inbox/"; }

arrive 2024-07
run cycle --as-of 2024-08-02 --inbox "$inbox" --out "$out" --verify-attachments
arrive 2024-08
run cycle --as-of 2024-09-02 --inbox "$inbox" --out "$out" --verify-attachments

# The bank answers for the July payments: all paid, except DF202407000003's (wrong account).
mkdir -p "$state/bank"
python3 - "$out/2024-07/payment-01/pain001.xml" "$state/bank/2024-07-results.csv" <<'PY'
import csv, sys
import xml.etree.ElementTree as ET
ns = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
with open(sys.argv[2], "w", encoding="utf-8", newline="") as out:
    writer = csv.writer(out)
    writer.writerow(["企业流水号", "状态", "说明"])
    for tx in ET.parse(sys.argv[1]).getroot().iterfind(".//p:CdtTrfTxInf", ns):
        payment = tx.find("p:PmtId/p:EndToEndId", ns).text
        note = tx.find("p:RmtInf/p:Ustrd", ns).text
        if note.endswith("DF202407000003"):
            writer.writerow([payment, "退回", "户名与账号不符"])
        else:
            writer.writerow([payment, "成功", ""])
PY
run reconcile "$state/bank/2024-07-results.csv" --out "$out"

arrive 2024-09
run cycle --as-of 2024-10-08 --inbox "$inbox" --out "$out" --verify-attachments
run cycle --as-of 2024-11-04 --inbox "$inbox" --out "$out" --verify-attachments
echo
echo "\$ settle cycle --as-of 2024-11-04   (again: nothing new)"
"$settle" cycle --as-of 2024-11-04 --inbox "$inbox" --out "$out" --state-dir "$state/state" --log-format json 2>>"$out/settle.log"
run status

echo
echo "Outputs for finance are in $out/:"
find "$out" -mindepth 2 -maxdepth 2 -type d | sort
