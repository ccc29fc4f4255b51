import SettlementCore

/// 唯一性: the live claims on order numbers, contracts and invoices. Their primary key (kind, key)
/// refuses a second holder, whatever the code that writes them believed.
public struct ClaimStore {
    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// Drops the claims of earlier revisions of `requestIDs` (not those of run `runID`).
    public func dropEarlierClaims(of requestIDs: [String], exceptRun runID: Int64) throws {
        guard !requestIDs.isEmpty else { return }
        try connection.execute(
            "DELETE FROM claims WHERE request_id = ANY($1::text[]) AND run_id <> $2",
            [PostgresArray.text(requestIDs), String(runID)])
    }

    /// Takes the keys for their requests, in run `runID` of `month`. A key already held by
    /// another request is refused: the error names how many.
    public func take(_ claims: [(request: String, revision: Int, keys: [ClaimKey])], month: BatchMonth, runID: Int64)
        throws
    {
        guard claims.contains(where: { !$0.keys.isEmpty }) else { return }
        try connection.execute(
            "CREATE TEMP TABLE IF NOT EXISTS page_claims (kind text, key text, request_id text, revision bigint) ON COMMIT DROP"
        )
        try connection.execute("TRUNCATE page_claims")
        var expected = 0
        try connection.copyIn("COPY page_claims (kind, key, request_id, revision) FROM STDIN") { writer in
            for claim in claims {
                for key in claim.keys {
                    try writer.write([key.kind.rawValue, key.value, claim.request, String(claim.revision)])
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
            throw DatabaseError(
                sqlState: "23505",
                message: "claims refused by the database: \(expected - stored) keys are already held by other requests",
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
              JOIN decision_claims dc ON dc.run_id = r.run_id AND dc.request_id = dropped.request_id
             WHERE dropped.run_id = $1 AND dropped.drops_earlier_claims
            ON CONFLICT (kind, key) DO NOTHING
            """, [String(previousRunID), month.description])
    }
}
