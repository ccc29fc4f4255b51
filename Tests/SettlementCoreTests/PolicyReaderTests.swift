import SettlementCore
import Testing

@Suite("Policy files")
struct PolicyReaderTests {
    @Test("an empty policy is the spec's defaults")
    func defaults() throws {
        let policy = try PolicyReader.read("year = 2024")
        #expect(policy == Policy(year: 2024))
        #expect(policy.quotaNorthern == Fen(14_000_000))
        #expect(policy.ratioElsewhere.tenThousandths == 2_500)
        #expect(policy.redemptionDeadline == CivilDate(iso: "2024-12-31"))
    }

    @Test("every key is read")
    func keys() throws {
        let policy = try PolicyReader.read(
            """
            year = 2025
            [quota]
            northern = "150000"
            elsewhere = 90000.50
            northern_city_prefixes = ["3203"]
            [ratio]
            northern = 0.4
            elsewhere = "0.2"
            rounding = "down"
            [[ratio.override]]
            category = "机时共享服务"
            ratio = "0.3"
            [payable]
            cap_per_order = "50000.00"
            shortfall = "reject"
            [eligibility]
            redemption_deadline = 2026-01-15
            revenue_limit = "300000000"
            high_tech_validity_years = 2
            [publicity]
            working_days = 7
            [attachments]
            max_file_bytes = 1000
            max_invoice_bytes = 100
            """)
        #expect(policy.quotaElsewhere == Fen(9_000_050))
        #expect(policy.rounding == .down)
        #expect(policy.capPerOrder == Fen(5_000_000))
        #expect(policy.shortfall == .reject)
        #expect(policy.ratioOverrides.count == 1)
        #expect(policy.publicityWorkingDays == 7)
        #expect(policy.maximumInvoiceFileBytes == 100)
        #expect(policy.isNorthern(cityCode: "320311"))
        #expect(!policy.isNorthern(cityCode: "320812"))
    }

    @Test(
        "bad values and unknown keys name the key",
        arguments: [
            ("year = 2024\n[ratio]\nnorthern = 0.35001", "ratio.northern"),
            ("year = 2024\n[ratio]\nnorthern = 1.5", "ratio.northern"),
            ("year = 2024\n[quota]\nnorthern = -1", "quota.northern"),
            ("year = 2024\n[quota]\nnorthen = 1", "quota.northen"),
            ("year = 2024\n[payable]\nshortfall = \"some\"", "payable.shortfall"),
            ("year = 2024\n[ratio]\nrounding = \"banker\"", "ratio.rounding"),
            ("year = 2024\nextra = 1", "extra"),
            ("[quota]\nnorthern = 1", "year"),
            ("year = 2024\n[[ratio.override]]\nratio = 0.3", "ratio.override[0]"),
        ])
    func refused(text: String, key: String) {
        let error = #expect(throws: PolicyError.self) { try PolicyReader.read(text) }
        #expect(error?.key == key, "\(String(describing: error))")
    }

    @Test("a file for the wrong year is refused")
    func wrongYear() {
        #expect(throws: PolicyError.self) { try PolicyReader.read("year = 2024", expectedYear: 2025) }
    }
}
