/// The bundle's tables are not vacuumed for their inserts alone. `request_lines`, `roster_rows`
/// and `provider_rows` are written once by ingest: the application's role may only insert into
/// them (`DatabaseRoles`) and no role may update a request line (SchemaV12), so a vacuum finds
/// nothing to reclaim in them after a successful ingest. Yet PostgreSQL starts one for every
/// 20% of rows inserted (`autovacuum_vacuum_insert_threshold`), to mark pages all-visible and
/// freeze them early — for a month's `request_lines`, every page of the bundle (~2.4 GB at
/// 1,000,000 requests), read and written back by a throttled worker within a minute of ingest's
/// commit: in the middle of the review that follows it. Sampled at 1,000,000 requests, that worker
/// held ~3 CPU-seconds of a 2-core machine through the whole review.
///
/// What stays: a vacuum when rows die (an ingest that failed after its COPY leaves dead rows;
/// `autovacuum_vacuum_threshold` is unchanged), the one that prevents transaction-ID wraparound
/// (`autovacuum_freeze_max_age`, unchanged; a job uses a few transactions a month), and the
/// statistics ingest refreshes itself (`analyze_bundle_rows`, SchemaV16). The review's first read
/// of a line sets its hint bits, as the vacuum would have.
enum SchemaV23 {
    static let noInsertVacuum = """
        ALTER TABLE request_lines SET (autovacuum_vacuum_insert_threshold = -1,
                                       toast.autovacuum_vacuum_insert_threshold = -1);
        ALTER TABLE roster_rows SET (autovacuum_vacuum_insert_threshold = -1,
                                     toast.autovacuum_vacuum_insert_threshold = -1);
        ALTER TABLE provider_rows SET (autovacuum_vacuum_insert_threshold = -1,
                                       toast.autovacuum_vacuum_insert_threshold = -1);
        """
}
