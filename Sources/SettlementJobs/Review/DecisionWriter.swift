import Foundation
import SettlementCore
import SettlementStore

/// Writes a page of decisions to the store: decisions, findings, the keys they hold, the live
/// claims (whose primary key refuses a second holder) and the ledger reservations.
struct DecisionWriter {
    let connection: Connection
    let runID: Int64
    let month: BatchMonth
    let accountIDs: [AccountKey: Int64]

    func write(_ page: [(seq: Int, line: Int, decision: Decision)]) throws {
        guard !page.isEmpty else { return }
        let run = String(runID)
        try connection.copyIn(
            """
            COPY decisions (run_id, seq, line, request_id, revision, order_no, enterprise_uscc, enterprise_name,
                enterprise_type, city_code, shop_id, provider_name, voucher_year, status, codes, invoice_total,
                contract_amount, requested, entitlement, payable, remaining_after, cut_by_balance, categories,
                drops_earlier_claims) FROM STDIN
            """
        ) { writer in
            for (seq, line, d) in page {
                try writer.write([
                    run, String(seq), String(line), d.requestID, String(d.revision), d.orderNumber, d.enterpriseUSCC,
                    d.enterpriseName, d.enterpriseType, d.cityCode, d.shopID, d.providerName, String(d.voucherYear),
                    d.status.rawValue, d.codes, String(d.invoiceTotal.value), String(d.contractAmount.value),
                    String(d.requested.value), String(d.entitlement.value), String(d.payable.value),
                    String(d.remainingAfter.value), String(d.cutByBalance.value),
                    d.categories.joined(separator: "\u{1F}"), d.dropsEarlierClaims ? "t" : "f",
                ])
            }
        }
        try connection.copyIn("COPY findings (run_id, request_id, code, severity, detail) FROM STDIN") { writer in
            for (_, _, d) in page {
                for finding in d.findings {
                    try writer.write([run, d.requestID, finding.code.rawValue, finding.severity.name, finding.detail])
                }
            }
        }
        try connection.copyIn("COPY decision_claims (run_id, request_id, kind, key) FROM STDIN") { writer in
            for (_, _, d) in page {
                for key in d.claims { try writer.write([run, d.requestID, key.kind.rawValue, key.value]) }
            }
        }
        try writeClaims(page.map(\.decision))
        try writeLedger(page.map(\.decision))
    }

    /// Drops the claims of earlier revisions, then takes the new ones. A key already held by
    /// another request is refused by the database, whatever the code above believed.
    func writeClaims(_ decisions: [Decision]) throws {
        let dropping = decisions.filter(\.dropsEarlierClaims).map(\.requestID)
        if !dropping.isEmpty {
            try connection.execute(
                "DELETE FROM claims WHERE request_id = ANY($1::text[]) AND run_id <> $2",
                [PostgresArray.text(dropping), String(runID)])
        }
        let claiming = decisions.filter { !$0.claims.isEmpty }
        guard !claiming.isEmpty else { return }
        try connection.execute(
            "CREATE TEMP TABLE IF NOT EXISTS page_claims (kind text, key text, request_id text, revision bigint) ON COMMIT DROP"
        )
        try connection.execute("TRUNCATE page_claims")
        var expected = 0
        try connection.copyIn("COPY page_claims (kind, key, request_id, revision) FROM STDIN") { writer in
            for d in claiming {
                for key in d.claims {
                    try writer.write([key.kind.rawValue, key.value, d.requestID, String(d.revision)])
                    expected += 1
                }
            }
        }
        let stored = try connection.execute(
            """
            INSERT INTO claims (kind, key, request_id, revision, month, run_id)
            SELECT kind, key, request_id, revision, $1::text, $2::bigint FROM page_claims
            ON CONFLICT (kind, key) DO UPDATE
               SET revision = EXCLUDED.revision, month = EXCLUDED.month, run_id = EXCLUDED.run_id
             WHERE claims.request_id = EXCLUDED.request_id
            """, [month.description, String(runID)])
        guard stored == expected else {
            throw SettleError(
                .unexpected,
                "claims refused by the database: \(expected - stored) keys are already held by other requests")
        }
    }

    func writeLedger(_ decisions: [Decision]) throws {
        let entries = decisions.filter { $0.reservation > .zero || $0.overpayment > .zero }
        guard !entries.isEmpty else { return }
        try connection.copyIn(
            "COPY ledger_entries (run_id, account_id, month, request_id, revision, kind, amount, note) FROM STDIN"
        ) { writer in
            for d in entries {
                guard let account = accountIDs[d.account] else {
                    throw SettleError(.unexpected, "no voucher account for \(d.account.uscc)/\(d.account.year)")
                }
                if case .owe(let amount, let kind) = d.adjustment, amount > .zero {
                    let note =
                        kind == .payment && d.history == .none
                        ? nil
                        : "\(kind.rawValue): payable \(d.payable.yuanText), reached before \(d.previouslyPaid.yuanText)"
                    try writer.write([
                        String(runID), String(account), month.description, d.requestID, String(d.revision),
                        "reservation", String(d.reservation.value), note,
                    ])
                }
                if d.overpayment > .zero {
                    try writer.write([
                        String(runID), String(account), month.description, d.requestID, String(d.revision),
                        "overpayment", String(d.overpayment.value),
                        "reached \(d.previouslyPaid.yuanText), now payable \(d.payable.yuanText): recover the difference",
                    ])
                }
            }
        }
    }
}

/// Text arrays for `$1::text[]` parameters and `text[]` COPY cells: every element double-quoted,
/// backslashes and quotes escaped, built in one pass over the UTF-8 bytes (ingest writes one per line).
enum PostgresArray {
    static func text(_ values: [String]) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            for byte in value.utf8 {
                if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\"") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}
