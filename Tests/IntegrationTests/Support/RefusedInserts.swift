import SettlementStore

extension StageHarness {
    /// Makes the database refuse every statement inserting into `table`, with an error whose text
    /// is `"<table> refused by the test"`: a statement trigger created as the owner, in force until
    /// the returned function drops it. What a stage must do when the server refuses its writes.
    func refuseInserts(into table: String) throws -> () throws -> Void {
        let owner = try database.connectAsOwner()
        try owner.execute(
            """
            CREATE FUNCTION refuse_\(table)() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '\(table) refused by the test' USING ERRCODE = 'check_violation';
            END $$;
            CREATE TRIGGER refuse_\(table) BEFORE INSERT ON \(table)
                FOR EACH STATEMENT EXECUTE FUNCTION refuse_\(table)();
            """)
        return { try owner.execute("DROP TRIGGER refuse_\(table) ON \(table)") }
    }
}
