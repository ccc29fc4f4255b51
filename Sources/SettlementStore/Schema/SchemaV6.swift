/// Request integers (revision, voucher year) are JSON integers that fit in 64 bits: every column
/// that stores one is `bigint`, so no value the decoder accepts can fail the insert.
enum SchemaV6 {
    static let wideIntegers = """
        ALTER TABLE request_lines ALTER COLUMN revision TYPE bigint, ALTER COLUMN voucher_year TYPE bigint;
        ALTER TABLE decisions ALTER COLUMN revision TYPE bigint, ALTER COLUMN voucher_year TYPE bigint;
        ALTER TABLE claims ALTER COLUMN revision TYPE bigint;
        ALTER TABLE ledger_entries ALTER COLUMN revision TYPE bigint;
        ALTER TABLE voucher_accounts ALTER COLUMN year TYPE bigint;
        ALTER TABLE roster_rows ALTER COLUMN year TYPE bigint;
        """
}
