/// The live claims are written 500,000 at a time by a large review, into three indexes. Two of them
/// are only ever searched for equality, once per page or once per rerun, and cost as much to fill
/// as the primary key: the search by request (a resubmission drops its earlier revisions' claims)
/// becomes a hash index (a 4-byte code per entry instead of the request id, no ordering kept), the
/// search by month (a rerun drops the month's claims) a BRIN index (a claim is written with its
/// month's review, so a month's claims lie together; a few bytes per range of pages instead of an
/// entry per claim). Both still find every row: a hash index is exact for equality, and BRIN is
/// lossy only towards reading more pages. The primary key (kind, key), which refuses a second
/// holder, is unchanged.
enum SchemaV15 {
    static let claimIndexes = """
        DROP INDEX claims_by_request;
        CREATE INDEX claims_by_request ON claims USING hash (request_id);
        DROP INDEX claims_by_month;
        CREATE INDEX claims_by_month ON claims USING brin (month);
        """
}
