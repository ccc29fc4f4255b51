import SettlementCore

/// 唯一性: the live claims on order numbers, contracts and invoices. Their primary key (kind, key)
/// refuses a second holder, whatever the code that writes them believed.
public struct ClaimStore {
    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// Takes the claims of every decision of run `runID` (of `month`) that is not rejected, in two
    /// set-based statements: first the claims of earlier revisions its resubmissions drop, then the
    /// keys of the decisions' request lines. A key already held by another request is refused: the
    /// error says how many.
    public func takeClaims(ofRun runID: Int64, month: BatchMonth) throws {
        let run = String(runID)
        try connection.execute(
            """
            DELETE FROM claims c USING decisions d
             WHERE d.run_id = $1 AND d.drops_earlier_claims AND c.request_id = d.request_id AND c.run_id <> $1
            """, [run])
        let expected = try connection.queryRow(
            "SELECT count(*) AS keys FROM (SELECT DISTINCT kind, key, request_id FROM decision_claim_keys WHERE run_id = $1) k",
            [run]
        ).int("keys")
        let stored = try connection.execute(
            """
            INSERT INTO claims (kind, key, request_id, revision, month, run_id)
            SELECT DISTINCT k.kind, k.key, k.request_id, d.revision, $2::text, $1::bigint
              FROM decision_claim_keys k JOIN decisions d ON d.run_id = k.run_id AND d.request_id = k.request_id
             WHERE k.run_id = $1
            ON CONFLICT (kind, key) DO UPDATE
               SET revision = EXCLUDED.revision, month = EXCLUDED.month, run_id = EXCLUDED.run_id
             WHERE claims.request_id = EXCLUDED.request_id
            """, [run, month.description])
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
              JOIN decision_claim_keys dc ON dc.run_id = r.run_id AND dc.request_id = dropped.request_id
             WHERE dropped.run_id = $1 AND dropped.drops_earlier_claims
            ON CONFLICT (kind, key) DO NOTHING
            """, [String(previousRunID), month.description])
    }
}
