import SettlementCore

/// 台账: the one place that writes `ledger_entries`. Every amount reserved, paid, returned,
/// released or recorded as overpaid is appended here; the database applies it to the account's
/// counters and refuses what would overspend (`ledger_apply`, SchemaV3/V5). Entries are never
/// changed: a correction is a new entry naming the one it corrects (`corrects`).
///
/// On failure a statement changes nothing (PostgreSQL rolls the statement back) and the error is
/// the server's, with its SQLSTATE; the caller's transaction is then aborted.
public struct Ledger {
    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// An entry to append.
    public struct NewEntry: Sendable {
        public var runID: Int64
        public var accountID: Int64
        public var month: BatchMonth
        public var requestID: String
        public var revision: Int
        public var kind: LedgerEntry.Kind
        public var amount: Fen
        /// The entry this one corrects (required for every kind but reservation and overpayment).
        public var corrects: Int64?
        /// The payment line's EndToEndId, for the kinds that send money.
        public var paymentID: String?
        public var note: String?

        public init(
            runID: Int64, accountID: Int64, month: BatchMonth, requestID: String, revision: Int,
            kind: LedgerEntry.Kind, amount: Fen, corrects: Int64? = nil, paymentID: String? = nil, note: String? = nil
        ) {
            self.runID = runID
            self.accountID = accountID
            self.month = month
            self.requestID = requestID
            self.revision = revision
            self.kind = kind
            self.amount = amount
            self.corrects = corrects
            self.paymentID = paymentID
            self.note = note
        }
    }

    static let copySQL = """
        COPY ledger_entries (run_id, account_id, month, request_id, revision, kind, amount, corrects, payment_id,
                             note) FROM STDIN
        """

    /// Appends entries in one COPY (one statement: the counters' check covers them all at once).
    @discardableResult
    public func append(_ entries: [NewEntry]) throws -> Int {
        guard !entries.isEmpty else { return 0 }
        return try connection.copyIn(Ledger.copySQL) { writer in
            for entry in entries { try Ledger.write(entry, to: &writer) }
        }
    }

    /// Adds entries to `spool`, to be appended with the others in one statement by `append(_:)` —
    /// a review spools its reservations page by page and appends them once, so that the ledger's
    /// checks run once over the whole batch instead of once per page. Touches no connection.
    public static func spool(_ entries: [NewEntry], into spool: LedgerSpool) throws {
        guard !entries.isEmpty else { return }
        try spool.append(
            try EncodedCopy.encode(copySQL) { writer in
                for entry in entries { try Ledger.write(entry, to: &writer) }
            })
    }

    /// Appends the spooled entries, in the order they were spooled, in one COPY; returns how many.
    /// Fails unless the server stored every one (the statement then changed nothing).
    @discardableResult
    public func append(_ spool: LedgerSpool) throws -> Int {
        guard spool.rows > 0 else { return 0 }
        let stored = try connection.copyIn(Ledger.copySQL, chunks: try spool.chunks())
        guard stored == spool.rows else {
            throw DatabaseError(
                message: "the ledger stored \(stored) of \(spool.rows) spooled entries",
                context: "append spooled ledger entries")
        }
        return stored
    }

    static func write(_ entry: NewEntry, to writer: inout CopyWriter) throws {
        writer.cell(entry.runID)
        writer.cell(entry.accountID)
        writer.cell(entry.month.description)
        writer.cell(entry.requestID)
        writer.cell(entry.revision)
        writer.cell(entry.kind.rawValue)
        writer.cell(entry.amount.value)
        if let corrects = entry.corrects { writer.cell(corrects) } else { writer.nullCell() }
        writer.cell(entry.paymentID)
        writer.cell(entry.note)
        try writer.endRow()
    }

    /// The entry ids of payments by their EndToEndId.
    public func entryIDs(paymentIDs: [String]) throws -> [String: Int64] {
        var entries: [String: Int64] = [:]
        for row in try connection.query(
            "SELECT payment_id, id FROM ledger_entries WHERE payment_id = ANY($1::text[])",
            [PostgresArray.text(paymentIDs)]
        ).rows {
            entries[try row.text("payment_id")] = try row.int64("id")
        }
        return entries
    }

    /// Releases, in run `runID`, everything a batch still owes — live reservations and amounts a
    /// bank return made owed again (a rerun settles them afresh). Returns the entries written.
    @discardableResult
    public func releaseEverythingOwed(month: BatchMonth, runID: Int64) throws -> Int {
        try connection.execute(
            """
            INSERT INTO ledger_entries (run_id, account_id, month, request_id, revision, kind, amount, corrects, note)
            SELECT $1::bigint, r.account_id, r.month, r.request_id, r.revision, 'release', r.amount, r.id,
                   CASE r.kind WHEN 'return' THEN 'owed after a bank return, released by a rerun'
                               ELSE 'released by a rerun' END
              FROM ledger_entries r
             WHERE r.month = $2 AND r.kind = ANY($3::text[])
               AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = r.id)
             ORDER BY r.id
            """, [String(runID), month.description, LedgerEntry.Kind.array(LedgerEntry.Kind.owing)])
    }

    /// Replaces what is owed on an item: releases its live entries and reserves `owed` (if any).
    public func replaceOwed(_ item: OwedItemStore.Item, with owed: Fen, note: String, runID: Int64) throws {
        for live in item.live {
            // The release copies the account, month and revision of the entry it corrects.
            try connection.execute(
                """
                INSERT INTO ledger_entries (run_id, account_id, month, request_id, revision, kind, amount, corrects, note)
                SELECT $1, account_id, month, request_id, revision, 'release', amount, id, $3
                  FROM ledger_entries WHERE id = $2
                """, [String(runID), String(live.id), "released: " + note])
        }
        if owed > .zero {
            try append(item, kind: .reservation, amount: owed, corrects: nil, note: note, runID: runID)
        }
    }

    /// Appends one entry for an item (a return, a reinstatement or an overpayment settled by hand).
    public func append(
        _ item: OwedItemStore.Item, kind: LedgerEntry.Kind, amount: Fen, corrects: Int64?, note: String, runID: Int64
    ) throws {
        try append([
            NewEntry(
                runID: runID, accountID: item.accountID, month: item.month, requestID: item.requestID,
                revision: item.revision, kind: kind, amount: amount, corrects: corrects, note: note)
        ])
    }

    /// A `return` entry for every payment line of the bank's answer (the session table
    /// `bank_file_lines`) that says 退回 and whose payment was not returned before. Returns the
    /// requests that got one, in the answer's line order.
    public func recordBankReturns(month: BatchMonth, runID: Int64) throws -> [String] {
        try connection.query(
            """
            INSERT INTO ledger_entries (run_id, account_id, month, request_id, revision, kind, amount, corrects, note)
            SELECT $2::bigint, e.account_id, e.month, e.request_id, e.revision, 'return', e.amount, e.id,
                   'returned by the bank: ' || f.detail
              FROM bank_file_lines f
              JOIN payment_lines p ON p.end_to_end_id = f.end_to_end_id
              JOIN disbursements d ON d.run_id = p.run_id AND d.month = $1
              JOIN ledger_entries e ON e.id = p.ledger_entry
             WHERE f.status = 'returned'
               AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = e.id AND c.kind = 'return')
             ORDER BY f.line
            RETURNING request_id
            """, [month.description, String(runID)]
        ).rows.map { try $0.text("request_id") }
    }

    /// Puts back as owed every amount a payment batch (run `batchRunID`) would have paid — a
    /// `return` per payment line not yet corrected — in run `runID`. Returns the count and total.
    public func voidPayments(ofRun batchRunID: Int64, runID: Int64, note: String) throws -> (count: Int, total: Fen) {
        let rows = try connection.query(
            """
            INSERT INTO ledger_entries (run_id, account_id, month, request_id, revision, kind, amount, corrects, note)
            SELECT $2::bigint, e.account_id, e.month, e.request_id, e.revision, 'return', e.amount, e.id, $3
              FROM payment_lines p JOIN ledger_entries e ON e.id = p.ledger_entry
             WHERE p.run_id = $1 AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = e.id)
             ORDER BY p.seq
            RETURNING amount
            """, [String(batchRunID), String(runID), note])
        var total = Fen.zero
        for row in rows.rows {
            guard let sum = total.adding(try row.fen("amount")) else {
                throw DatabaseError(message: "voided amounts overflow", context: "void payments")
            }
            total = sum
        }
        return (rows.rows.count, total)
    }
}
