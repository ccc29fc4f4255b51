import SettlementCore

/// 唯一性: the live claims on order numbers, contracts and invoices. Their primary key (key, kind)
/// refuses a second holder, whatever the code that writes them believed.
public struct ClaimStore {
    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// A decision's claim: its request, revision and keys; `dropsEarlier` when it is a
    /// resubmission whose earlier revisions' claims are dropped first.
    public struct Claim: Sendable {
        public var requestID: String
        public var revision: Int
        public var keys: [ClaimKey]
        public var dropsEarlier: Bool

        public init(requestID: String, revision: Int, keys: [ClaimKey], dropsEarlier: Bool) {
            self.requestID = requestID
            self.revision = revision
            self.keys = keys
            self.dropsEarlier = dropsEarlier
        }
    }

    /// Takes the claims of a page of decisions of run `runID` (of `month`): `prepare`, then
    /// `take(_:)`. `contested`: keys held already or used by more than one request of the batch.
    public func take(_ claims: [Claim], contested: Set<ClaimKey>, month: BatchMonth, runID: Int64) throws {
        try take(try ClaimStore.prepare(claims, contested: contested, month: month, runID: runID))
    }

    /// A page's claims encoded ahead (`prepare`) for `take(_:)`.
    public struct Prepared: Sendable {
        let runID: Int64
        let month: BatchMonth
        /// Resubmissions whose earlier revisions' claims are dropped first.
        let dropping: [String]
        /// The free keys, copied into `claims`.
        let free: EncodedCopy?
        /// The contested keys, upserted.
        let contested: ContestedKeys?
    }

    /// Contested keys of a page as the array parameters of one upsert (a page has a few dozen).
    struct ContestedKeys: Sendable {
        let kinds: String
        let keys: String
        let requests: String
        let revisions: String
        let count: Int
    }

    /// Encodes a page's claims for `take(_:)`: on any thread, without the connection.
    public static func prepare(_ claims: [Claim], contested: Set<ClaimKey>, month: BatchMonth, runID: Int64) throws
        -> Prepared
    {
        let monthText = month.description
        var upserts: [(key: ClaimKey, claim: Claim)] = []
        // Each key is looked up in `contested` once; the free ones are encoded as they are found.
        let freeCopy = try EncodedCopy.encode(
            "COPY claims (kind, key, request_id, revision, month, run_id) FROM STDIN"
        ) { writer in
            for claim in claims {
                for key in claim.keys {
                    if contested.contains(key) {
                        upserts.append((key, claim))
                    } else {
                        writer.cell(key.kind.rawValue)
                        writer.cell(key.value)
                        writer.cell(claim.requestID)
                        writer.cell(claim.revision)
                        writer.cell(monthText)
                        writer.cell(runID)
                        try writer.endRow()
                    }
                }
            }
        }
        let contestedKeys =
            upserts.isEmpty
            ? nil
            : ContestedKeys(
                kinds: PostgresArray.text(upserts.map(\.key.kind.rawValue)),
                keys: PostgresArray.text(upserts.map(\.key.value)),
                requests: PostgresArray.text(upserts.map(\.claim.requestID)),
                revisions: PostgresArray.text(upserts.map { String($0.claim.revision) }), count: upserts.count)
        return Prepared(
            runID: runID, month: month, dropping: claims.filter(\.dropsEarlier).map(\.requestID),
            free: freeCopy.rows == 0 ? nil : freeCopy,
            contested: contestedKeys)
    }

    /// Takes a page's claims (`prepare`). First the claims of earlier revisions that resubmissions
    /// drop are deleted: the keys the request's lines claim, held by the request from another run
    /// (SchemaV17: a request only ever holds keys its own lines claim). Keys contested (held
    /// already, or used by more than one request of the batch) are upserted — a key held by
    /// another request is refused, and the error says how many; every other key is free and unique
    /// in the batch and is copied in directly. Either way the primary key (key, kind) refuses a
    /// second holder.
    public func take(_ prepared: Prepared) throws {
        let run = String(prepared.runID)
        if !prepared.dropping.isEmpty {
            try connection.execute(
                """
                DELETE FROM claims c
                 WHERE (c.request_id, c.kind, c.key) IN (
                        SELECT l.request_id, k.kind, k.key FROM request_lines l
                          JOIN request_line_claim_keys k ON k.bundle_id = l.bundle_id AND k.line = l.line
                         WHERE l.request_id = ANY($1::text[]))
                   AND c.run_id <> $2
                """,
                [PostgresArray.text(prepared.dropping), run])
        }
        if let free = prepared.free { try connection.copyIn(free) }
        guard let contested = prepared.contested else { return }
        let stored = try connection.execute(
            """
            INSERT INTO claims (kind, key, request_id, revision, month, run_id)
            SELECT kind, key, request_id, revision, $5::text, $6::bigint
              FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS page(kind, key, request_id, revision)
            ON CONFLICT (kind, key) DO UPDATE
               SET revision = EXCLUDED.revision, month = EXCLUDED.month, run_id = EXCLUDED.run_id
             WHERE claims.request_id = EXCLUDED.request_id
            """,
            [
                contested.kinds, contested.keys, contested.requests, contested.revisions, prepared.month.description,
                run,
            ])
        guard stored == contested.count else {
            throw DatabaseError(
                sqlState: "23505",
                message:
                    "claims refused by the database: \(contested.count - stored) keys are already held by other requests",
                context: "take claims")
        }
    }

    /// Before a rerun of `month`: its claims are dropped, and earlier revisions whose claims the
    /// previous review (run `previousRunID`) had dropped get them back; the new review drops them
    /// again if the request is still resubmitted.
    public func releaseForRerun(month: BatchMonth, previousRunID: Int64) throws {
        try connection.execute("DELETE FROM claims WHERE month = $1", [month.description])
        try connection.execute(
            """
            INSERT INTO claims (kind, key, request_id, revision, month, run_id)
            SELECT dc.kind, dc.key, dc.request_id, d.revision, r.month, r.run_id
              FROM decisions dropped
              JOIN LATERAL (
                    SELECT r.run_id, r.month FROM reviews r JOIN decisions e ON e.run_id = r.run_id
                     WHERE r.is_current AND r.month < $2 AND e.request_id = dropped.request_id
                     ORDER BY r.month DESC LIMIT 1) r ON true
              JOIN decisions d ON d.run_id = r.run_id AND d.request_id = dropped.request_id
              JOIN decision_claim_keys dc ON dc.run_id = r.run_id AND dc.request_id = dropped.request_id
             WHERE dropped.run_id = $1 AND dropped.drops_earlier_claims
            ON CONFLICT (kind, key) DO NOTHING
            """, [String(previousRunID), month.description])
    }
}
