/// A voucher account (创新券账户): one roster row, the enterprise's voucher for one year.
public struct VoucherAccount: Sendable, Equatable {
    public var year: Int
    public var uscc: String
    public var enterpriseName: String
    /// `tech_sme` | `high_tech` | `incubatee` | `talent`; anything else is loaded and fails `INELIGIBLE`.
    public var enterpriseType: String
    public var cityCode: String
    public var qualificationNumber: String
    public var qualifiedOn: CivilDate
    public var priorYearRevenue: Fen
    /// `approved` | `pending` | `rejected`; anything but `approved` fails `VOUCHER_NOT_APPROVED`.
    public var status: String
    public var grantedOn: CivilDate
    public var quota: Fen
    /// Money already redeemed for this year outside this system (the opening balance).
    public var usedBefore: Fen
    public var bankName: String
    public var bankCode: String
    public var accountName: String
    public var accountNumber: String

    public init(
        year: Int, uscc: String, enterpriseName: String, enterpriseType: String, cityCode: String,
        qualificationNumber: String, qualifiedOn: CivilDate, priorYearRevenue: Fen, status: String,
        grantedOn: CivilDate, quota: Fen, usedBefore: Fen, bankName: String, bankCode: String,
        accountName: String, accountNumber: String
    ) {
        self.year = year
        self.uscc = uscc
        self.enterpriseName = enterpriseName
        self.enterpriseType = enterpriseType
        self.cityCode = cityCode
        self.qualificationNumber = qualificationNumber
        self.qualifiedOn = qualifiedOn
        self.priorYearRevenue = priorYearRevenue
        self.status = status
        self.grantedOn = grantedOn
        self.quota = quota
        self.usedBefore = usedBefore
        self.bankName = bankName
        self.bankCode = bankCode
        self.accountName = accountName
        self.accountNumber = accountNumber
    }
}

/// The enterprise types of the programme (科小 / 高企 / 在孵企业 / 人才企业).
public enum EnterpriseType: String, Sendable, CaseIterable {
    case techSME = "tech_sme"
    case highTech = "high_tech"
    case incubatee
    case talent
}

/// A service provider (服务单位), keyed by its platform shop id.
public struct Provider: Sendable, Equatable {
    public var shopID: String
    public var uscc: String
    public var name: String
    /// `active` | `suspended`; any other value counts as active.
    public var status: String
    public var cityCode: String

    public init(shopID: String, uscc: String, name: String, status: String, cityCode: String) {
        self.shopID = shopID
        self.uscc = uscc
        self.name = name
        self.status = status
        self.cityCode = cityCode
    }

    public var isSuspended: Bool { status.sameBytes(as: "suspended") }
}
