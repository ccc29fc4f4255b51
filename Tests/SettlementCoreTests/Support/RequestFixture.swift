import SettlementCore

/// A request that passes every rule, with its roster row and provider, to mutate in tests.
enum RequestFixture {
    static let enterpriseUSCC = "91320214MA90NMYF83"
    static let providerUSCC = "12320104858079426D"

    static func file(_ name: String, type: String = "pdf", size: Int64 = 1_000) -> FileDescriptor {
        FileDescriptor(name: name, type: type, size: size, sha256: String(repeating: "0", count: 64), path: nil)
    }

    static func date(_ text: String) -> CivilDate {
        CivilDate(iso: text) ?? CivilDate(daysSinceEpoch: 0)
    }

    static func instant(_ text: String) -> Instant {
        Instant(rfc3339: text) ?? Instant(seconds: 0, nanoseconds: 0)
    }

    static func request(
        id: String = "DF2024080001", submittedAt: String = "2024-08-20T10:00:00+08:00", amount: Int64 = 1_500_000,
        requested: Int64 = 375_000, uscc: String = enterpriseUSCC, order: String = "CXQ1",
        invoice: String = "24322000000012345678"
    ) -> RedemptionRequest {
        RedemptionRequest(
            requestID: id, revision: 1, orderNumber: order, voucherYear: 2024, submittedAt: instant(submittedAt),
            enterpriseUSCC: uscc, shopID: "S000123",
            order: Order(
                createdAt: instant("2024-08-10T09:00:00+08:00"), status: "in_service", quotedAmount: Fen(amount),
                plannedVoucherAmount: Fen(requested),
                items: [
                    OrderItem(
                        serviceID: "LCFW1", name: "生物相容性试验", category: "检测", shopID: "S000123", quantity: 1,
                        unitPrice: Fen(amount))
                ]),
            contracts: [
                Contract(
                    contractNumber: "HT-" + order, amount: Fen(amount), signedOn: date("2024-08-12"),
                    file: file("合同.pdf"))
            ],
            requestedVoucherAmount: Fen(requested),
            invoices: [
                Invoice(
                    code: nil, number: invoice, amount: Fen(amount), issuedOn: date("2024-08-15"),
                    sellerUSCC: providerUSCC,
                    buyerUSCC: uscc, file: file("发票.pdf"))
            ],
            bankReceipts: [
                BankReceipt(amount: Fen(amount), paidOn: date("2024-08-16"), file: file("回单.png", type: "png"))
            ],
            serviceReports: [ServiceReport(serviceID: "LCFW1", file: file("报告.pdf"))],
            rndProofs: [file("研发活动证明.pdf")], otherMaterials: [])
    }

    static func account(
        uscc: String = enterpriseUSCC, city: String = "320214", quota: Int64 = 10_000_000, usedBefore: Int64 = 0
    ) -> VoucherAccount {
        VoucherAccount(
            year: 2024, uscc: uscc, enterpriseName: "无锡睿嘉电子科技股份有限公司", enterpriseType: "tech_sme", cityCode: city,
            qualificationNumber: "2024320214000001", qualifiedOn: date("2024-02-01"),
            priorYearRevenue: Fen(10_000_000_000),
            status: "approved", grantedOn: date("2024-03-01"), quota: Fen(quota), usedBefore: Fen(usedBefore),
            bankName: "中国建设银行无锡分行", bankCode: "105302077048", accountName: "无锡睿嘉电子科技股份有限公司",
            accountNumber: "3200123456789012")
    }

    static func provider() -> Provider {
        Provider(shopID: "S000123", uscc: providerUSCC, name: "江苏省计量科学研究院", status: "active", cityCode: "320104")
    }

    static func input(
        _ request: RedemptionRequest = request(), account: VoucherAccount? = account(), provider: Provider? = provider()
    ) -> ReviewInput {
        ReviewInput(
            request: request, account: account.map { .found($0) } ?? .absent,
            provider: provider.map { .found($0) } ?? .absent)
    }

    /// Reviews one input alone under the default policy.
    static func review(_ input: ReviewInput, policy: Policy = Policy(year: 2024)) -> Decision {
        var reviewer = BatchReviewer(policies: [2024: policy])
        return reviewer.review(input)
    }
}
