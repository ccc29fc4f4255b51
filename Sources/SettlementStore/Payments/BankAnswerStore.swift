import SettlementCore

/// The bank's answers about payment lines (paid / returned) as the store keeps them: a file is
/// first staged whole in a session table (`bank_file_lines`), checked there set-based, then applied
/// batch by batch. Every statement of reconciliation and of `settle resolve` is here.
public struct BankAnswerStore {
    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// What a bank answered about one payment line.
    public enum Status: String, Sendable {
        case paid, returned
    }

    /// A line of the staged file that cannot be applied.
    public struct BadLine: Sendable, Equatable {
        public let line: Int
        public let problem: String
    }

    /// A line that contradicts what the bank said before about the same payment.
    public struct Conflict: Sendable, Equatable {
        public let line: Int
        public let endToEndID: String
        public let recorded: Status
        public let claimed: Status
        /// The payment was already disputed (and not settled) before this file.
        public let alreadyDisputed: Bool
    }

    /// One line applied, for the run's `results.csv`.
    public struct AppliedLine: Sendable {
        public let line: Int
        public let endToEndID: String
        public let requestID: String
        public let amount: Fen
        public let status: Status
        public let detail: String
        /// The same answer had been recorded before: nothing changed.
        public let alreadyRecorded: Bool
    }

    // MARK: Staging

    /// Creates (or empties) the session table the file is staged into.
    public func beginStaging() throws {
        try connection.execute(
            """
            CREATE TEMP TABLE IF NOT EXISTS bank_file_lines (
                line integer PRIMARY KEY, end_to_end_id text NOT NULL, status text, detail text NOT NULL,
                problem text)
            """)
        try connection.execute("TRUNCATE bank_file_lines")
    }

    /// Streams the file's lines into the session table: (line, id, status or nil, detail, problem or nil).
    public func stage(_ body: (inout CopyWriter) throws -> Void) throws {
        try connection.copyIn("COPY bank_file_lines (line, end_to_end_id, status, detail, problem) FROM STDIN", body)
        try connection.execute("ANALYZE bank_file_lines")
    }

    /// Every staged line that cannot be applied: unreadable, naming no payment of this system, or
    /// naming a payment that another line of the file names too. At most `limit`, in line order,
    /// and how many there are in all. One pass over the staged lines.
    public func badLines(limit: Int) throws -> (lines: [BadLine], total: Int) {
        try connection.execute(
            """
            DROP TABLE IF EXISTS bank_file_bad;
            CREATE TEMP TABLE bank_file_bad AS
            SELECT f.line,
                   CASE WHEN f.problem IS NOT NULL THEN f.problem
                        WHEN EXISTS (SELECT 1 FROM payment_lines p JOIN disbursements d ON d.run_id = p.run_id
                                      WHERE p.end_to_end_id = f.end_to_end_id AND d.release_state = 'rejected')
                             THEN 'payment id ' || f.end_to_end_id || ' belongs to a payment batch that was rejected '
                                  || 'before release: the bank never received it' 
                        WHEN f.named > 1 THEN 'payment id ' || f.end_to_end_id || ' is named on ' || f.named
                                              || ' lines of the file (lines ' || f.first_line || ' and '
                                              || f.next_line || ' …)'
                        ELSE 'payment id ' || f.end_to_end_id || ' is not a payment of this system'
                   END AS problem
              FROM (SELECT l.*, count(*) OVER same AS named, min(l.line) OVER same AS first_line,
                           (array_agg(l.line) OVER same)[2] AS next_line
                      FROM bank_file_lines l
                    WINDOW same AS (PARTITION BY l.end_to_end_id ORDER BY l.line
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) f
             WHERE f.problem IS NOT NULL OR f.named > 1
                OR NOT EXISTS (SELECT 1 FROM payment_lines p JOIN disbursements d ON d.run_id = p.run_id
                                WHERE p.end_to_end_id = f.end_to_end_id AND d.release_state <> 'rejected')
            """)
        let total = try connection.queryRow("SELECT count(*) AS lines FROM bank_file_bad").int("lines")
        let lines = try connection.query(
            "SELECT line, problem FROM bank_file_bad ORDER BY line LIMIT $1", [String(limit)]
        ).rows.map { BadLine(line: try $0.int("line"), problem: try $0.text("problem")) }
        return (lines, total)
    }

    /// A payment batch that was prepared and never released, named by staged lines.
    public struct UnreleasedBatch: Sendable {
        public let month: String
        public let paymentNumber: Int
        public let lines: Int
    }

    /// The batches still prepared (待复核, never released by `approve`) whose payments the staged
    /// lines name: the bank should not have had their files.
    public func unreleasedBatches() throws -> [UnreleasedBatch] {
        try connection.query(
            """
            SELECT d.month, d.payment_no, count(*) AS lines
              FROM bank_file_lines f
              JOIN payment_lines p ON p.end_to_end_id = f.end_to_end_id
              JOIN disbursements d ON d.run_id = p.run_id
             WHERE d.release_state = 'prepared'
             GROUP BY d.month, d.payment_no ORDER BY d.month, d.payment_no
            """
        ).rows.map {
            UnreleasedBatch(
                month: try $0.text("month"), paymentNumber: try $0.int("payment_no"), lines: try $0.int("lines"))
        }
    }

    /// The disbursement run whose payment file had this `MsgId`.
    public func paymentRunOfMessage(_ messageID: String) throws -> Int64? {
        try connection.query("SELECT run_id FROM disbursements WHERE msg_id = $1", [messageID]).first?.int64("run_id")
    }

    /// Stages an answer for every payment line of a message (a status report without transactions).
    public func stageWholeMessage(_ messageID: String, status: Status, detail: String) throws {
        try connection.execute(
            """
            INSERT INTO bank_file_lines (line, end_to_end_id, status, detail)
            SELECT p.seq, p.end_to_end_id, $2, $3
              FROM payment_lines p JOIN disbursements d ON d.run_id = p.run_id WHERE d.msg_id = $1
            """, [messageID, status.rawValue, detail])
    }

    /// Staged lines naming a payment that is not part of the message `messageID`.
    public func linesOutside(message messageID: String) throws -> [BadLine] {
        try connection.query(
            """
            SELECT f.line, 'payment id ' || f.end_to_end_id || ' is not in message ' || $1 AS problem
              FROM bank_file_lines f
             WHERE NOT EXISTS (SELECT 1 FROM payment_lines p JOIN disbursements d ON d.run_id = p.run_id
                                WHERE p.end_to_end_id = f.end_to_end_id AND d.msg_id = $1)
             ORDER BY f.line
            """, [messageID]
        ).rows.map { BadLine(line: try $0.int("line"), problem: try $0.text("problem")) }
    }

    /// The staged lines' count.
    public func stagedCount() throws -> Int {
        try connection.queryRow("SELECT count(*) AS lines FROM bank_file_lines").int("lines")
    }

    /// The batch months the staged lines' payments belong to, in order.
    public func months() throws -> [BatchMonth] {
        try connection.query(
            """
            SELECT DISTINCT d.month FROM bank_file_lines f
              JOIN payment_lines p ON p.end_to_end_id = f.end_to_end_id
              JOIN disbursements d ON d.run_id = p.run_id
             ORDER BY d.month
            """
        ).rows.map { try $0.month("month") }
    }

    /// The months for which a file with this hash was applied already.
    public func appliedMonths(fileSHA256: String) throws -> Set<BatchMonth> {
        Set(
            try connection.query(
                "SELECT DISTINCT r.month FROM bank_results b JOIN runs r ON r.id = b.run_id WHERE b.file_sha256 = $1",
                [fileSHA256]
            ).rows.map { try $0.month("month") })
    }

    /// Lines whose answer differs from one recorded before for the same payment, or that name a
    /// payment whose answers are disputed and not yet settled.
    public func conflicts() throws -> [Conflict] {
        try connection.query(
            """
            SELECT f.line, f.end_to_end_id, coalesce(x.resolution, x.recorded_status, prior.status) AS recorded,
                   f.status AS claimed, x.end_to_end_id IS NOT NULL AND x.resolution IS NULL AS disputed
              FROM bank_file_lines f
              LEFT JOIN LATERAL (SELECT b.status FROM bank_results b WHERE b.end_to_end_id = f.end_to_end_id
                                  ORDER BY b.run_id DESC LIMIT 1) prior ON true
              LEFT JOIN payment_disputes x ON x.end_to_end_id = f.end_to_end_id
             WHERE (x.end_to_end_id IS NOT NULL AND x.resolution IS NULL)
                OR (prior.status IS NOT NULL AND prior.status <> f.status)
             ORDER BY f.line
            """
        ).rows.compactMap { row in
            guard let recorded = Status(rawValue: try row.text("recorded")),
                let claimed = Status(rawValue: try row.text("claimed"))
            else { return nil }
            return Conflict(
                line: try row.int("line"), endToEndID: try row.text("end_to_end_id"), recorded: recorded,
                claimed: claimed, alreadyDisputed: try row.bool("disputed"))
        }
    }

    /// Records the conflicts as disputes (a payment already disputed keeps its first record).
    public func openDisputes(_ conflicts: [Conflict], fileSHA256: String, fileName: String) throws {
        for conflict in conflicts where !conflict.alreadyDisputed {
            try connection.execute(
                """
                INSERT INTO payment_disputes (end_to_end_id, file_sha256, file_name, line, recorded_status, claimed_status)
                VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (end_to_end_id) DO NOTHING
                """,
                [
                    conflict.endToEndID, fileSHA256, fileName, String(conflict.line), conflict.recorded.rawValue,
                    conflict.claimed.rawValue,
                ])
        }
    }

    // MARK: Applying

    /// Records the staged answers of one batch's payments in run `runID` and, for each returned
    /// payment not returned before, a `return` entry that makes its amount owed again. Returns the
    /// requests that got a return.
    public func apply(month: BatchMonth, runID: Int64, fileSHA256: String) throws -> [String] {
        let parameters = [month.description, String(runID), fileSHA256]
        try connection.execute(
            """
            INSERT INTO bank_results (run_id, end_to_end_id, status, detail, file_sha256, line)
            SELECT $2::bigint, f.end_to_end_id, f.status, f.detail, $3, f.line
              FROM bank_file_lines f
              JOIN payment_lines p ON p.end_to_end_id = f.end_to_end_id
              JOIN disbursements d ON d.run_id = p.run_id AND d.month = $1
            """, parameters)
        return try Ledger(connection: connection).recordBankReturns(month: month, runID: runID)
    }

    /// The lines of one batch as applied by run `runID`, in line order, a page at a time.
    public func forEachApplied(month: BatchMonth, runID: Int64, _ body: (AppliedLine) throws -> Void) throws {
        try connection.forEachPage(
            """
            SELECT f.line, f.end_to_end_id, p.request_id, p.amount, f.status, f.detail,
                   EXISTS (SELECT 1 FROM bank_results b WHERE b.end_to_end_id = f.end_to_end_id AND b.run_id <> $2)
                       AS recorded_before
              FROM bank_file_lines f
              JOIN payment_lines p ON p.end_to_end_id = f.end_to_end_id
              JOIN disbursements d ON d.run_id = p.run_id AND d.month = $1
             ORDER BY f.line
            """, [month.description, String(runID)], pageSize: 5_000
        ) { rows in
            for row in rows {
                guard let status = Status(rawValue: try row.text("status")) else {
                    throw DatabaseError(message: "a bank answer with an unknown status", context: "bank results")
                }
                try body(
                    AppliedLine(
                        line: try row.int("line"), endToEndID: try row.text("end_to_end_id"),
                        requestID: try row.text("request_id"), amount: try row.fen("amount"), status: status,
                        detail: try row.text("detail"), alreadyRecorded: try row.bool("recorded_before")))
            }
        }
    }

    // MARK: Disputes settled by hand

    /// A payment line as `settle resolve` needs it.
    public struct Payment: Sendable {
        public let endToEndID: String
        public let month: BatchMonth
        public let requestID: String
        public let ledgerEntry: Int64
        public let amount: Fen
        /// The `return` entry that corrects the payment, and whether it is still live (owed).
        public let returnEntry: (id: Int64, live: Bool)?
        /// The open dispute about it: (answer recorded first, answer that contradicted it).
        public let openDispute: (recorded: Status, claimed: Status)?
    }

    public func payment(endToEndID: String) throws -> Payment? {
        guard
            let row = try connection.query(
                """
                SELECT d.month, p.request_id, p.ledger_entry, p.amount, t.id AS return_entry,
                       NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = t.id) AS return_live,
                       x.recorded_status, x.claimed_status
                  FROM payment_lines p
                  JOIN disbursements d ON d.run_id = p.run_id
                  LEFT JOIN ledger_entries t ON t.corrects = p.ledger_entry AND t.kind = 'return'
                  LEFT JOIN payment_disputes x ON x.end_to_end_id = p.end_to_end_id AND x.resolution IS NULL
                 WHERE p.end_to_end_id = $1
                """, [endToEndID]
            ).first
        else { return nil }
        var dispute: (Status, Status)?
        if let recorded = Status(rawValue: try row.optionalText("recorded_status") ?? ""),
            let claimed = Status(rawValue: try row.optionalText("claimed_status") ?? "")
        {
            dispute = (recorded, claimed)
        }
        var returnEntry: (Int64, Bool)?
        if let id = try row.optionalInt64("return_entry") { returnEntry = (id, try row.bool("return_live")) }
        return Payment(
            endToEndID: endToEndID, month: try row.month("month"), requestID: try row.text("request_id"),
            ledgerEntry: try row.int64("ledger_entry"), amount: try row.fen("amount"), returnEntry: returnEntry,
            openDispute: dispute)
    }

    /// Records the settlement of a dispute: the answer now taken as the bank's, who settled it and why.
    public func resolve(_ payment: Payment, as status: Status, by person: String, reason: String, runID: Int64) throws {
        try connection.execute(
            """
            INSERT INTO bank_results (run_id, end_to_end_id, status, detail, file_sha256)
            VALUES ($1, $2, $3, $4, 'settle resolve')
            """, [String(runID), payment.endToEndID, status.rawValue, "settled by \(person): \(reason)"])
        try connection.execute(
            """
            UPDATE payment_disputes SET resolved_run = $2, resolution = $3, resolved_by = $4, reason = $5
             WHERE end_to_end_id = $1 AND resolution IS NULL
            """, [payment.endToEndID, String(runID), status.rawValue, person, reason])
    }

    /// A dispute nobody has settled yet.
    public struct OpenDispute: Sendable, Equatable {
        public let endToEndID: String
        public let requestID: String
        public let month: String
        public let recorded: String
        public let claimed: String
        public let fileName: String
        public let line: Int
    }

    public func openDisputes() throws -> [OpenDispute] {
        try connection.query(
            """
            SELECT x.end_to_end_id, p.request_id, d.month, x.recorded_status, x.claimed_status, x.file_name, x.line
              FROM payment_disputes x
              JOIN payment_lines p ON p.end_to_end_id = x.end_to_end_id
              JOIN disbursements d ON d.run_id = p.run_id
             WHERE x.resolution IS NULL ORDER BY x.end_to_end_id COLLATE "C"
            """
        ).rows.map {
            OpenDispute(
                endToEndID: try $0.text("end_to_end_id"), requestID: try $0.text("request_id"),
                month: try $0.text("month"), recorded: try $0.text("recorded_status"),
                claimed: try $0.text("claimed_status"), fileName: try $0.text("file_name"), line: try $0.int("line"))
        }
    }
}
