#!/usr/bin/env bash
# Runs the monthly job on the sample inbox (SampleData/inbox) on the embedded database, as cron
# would on the 2nd of each month, and shows what finance gets. Starts from a fresh state each time.
#
#   Scripts/run-sample.sh            outputs in out/sample/, database state in a temporary directory
#
# Between the runs finance releases each prepared payment batch (`settle approve`, a second person)
# and the bank answers: after the July batch is paid it sends an ISO 20022 pain.002 status report in
# which one payment is rejected (the enterprise's account was wrong; the corrected account arrives
# with the September export, and the October run pays it again).
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

# Finance releases July's payment batch: a second person, the files unchanged since they were written.
run approve --month 2024-07 --payment 1 --by 财务复核-王 --note "对照报告核对无误" --out "$out"

# The bank answers for the July payments with an ISO 20022 pain.002 status report: all accepted,
# except DF202407000003's (wrong account: rejected with reason AC04).
mkdir -p "$state/bank"
python3 - "$out/outbox/2024-07-payment-01/pain001.xml" "$state/bank/2024-07-status.xml" <<'PY'
import sys
import xml.etree.ElementTree as ET
ns = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
root = ET.parse(sys.argv[1]).getroot()
msg = root.find(".//p:GrpHdr/p:MsgId", ns).text
rows = []
for tx in root.iterfind(".//p:CdtTrfTxInf", ns):
    payment = tx.find("p:PmtId/p:EndToEndId", ns).text
    note = tx.find("p:RmtInf/p:Ustrd", ns).text
    if note.endswith("DF202407000003"):
        rows.append(f"<TxInfAndSts><OrgnlEndToEndId>{payment}</OrgnlEndToEndId><TxSts>RJCT</TxSts>"
                    "<StsRsnInf><Rsn><Cd>AC04</Cd></Rsn><AddtlInf>户名与账号不符</AddtlInf></StsRsnInf></TxInfAndSts>")
    else:
        rows.append(f"<TxInfAndSts><OrgnlEndToEndId>{payment}</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts>")
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>'
              '<GrpHdr><MsgId>BANK-2024-08-12-1</MsgId><CreDtTm>2024-08-12T10:00:00</CreDtTm></GrpHdr>'
              f'<OrgnlGrpInfAndSts><OrgnlMsgId>{msg}</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId>'
              '<GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>'
              f'<OrgnlPmtInfAndSts><OrgnlPmtInfId>{msg}-1</OrgnlPmtInfId>' + "".join(rows) +
              '</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>\n')
PY
run reconcile "$state/bank/2024-07-status.xml" --out "$out"

arrive 2024-09
run cycle --as-of 2024-10-08 --inbox "$inbox" --out "$out" --verify-attachments
for batch in 2024-07:2 2024-08:1; do
    run approve --month "${batch%%:*}" --payment "${batch##*:}" --by 财务复核-王 --out "$out"
done
run cycle --as-of 2024-11-04 --inbox "$inbox" --out "$out" --verify-attachments
echo
echo "\$ settle cycle --as-of 2024-11-04   (again: nothing new)"
"$settle" cycle --as-of 2024-11-04 --inbox "$inbox" --out "$out" --state-dir "$state/state" --log-format json 2>>"$out/settle.log"
run status
run audit verify

echo
echo "Outputs for finance are in $out/:"
find "$out" -mindepth 2 -maxdepth 2 -type d | sort
