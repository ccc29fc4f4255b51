/// The programme's settings for one voucher year (政策参数). Everything the guide leaves open is
/// here, as data, never as a constant in code; `Policy(year:)` holds the spec's defaults.
public struct Policy: Sendable, Equatable {
    public var year: Int
    /// 苏北五市 quota (default 140,000.00) and everywhere else (100,000.00).
    public var quotaNorthern: Fen
    public var quotaElsewhere: Fen
    /// City prefixes (first four digits of GB/T 2260) of the northern region.
    public var northernCityPrefixes: [String]
    public var ratioNorthern: Ratio
    public var ratioElsewhere: Ratio
    /// Optional ratios by service category and/or enterprise type; the most specific match wins.
    public var ratioOverrides: [RatioOverride]
    public var rounding: RoundingMode
    public var capPerOrder: Fen?
    public var shortfall: ShortfallPolicy
    /// The last day a request for this year may be submitted.
    public var redemptionDeadline: CivilDate
    public var revenueLimit: Fen
    public var highTechValidityYears: Int
    public var publicityWorkingDays: Int
    public var maximumFileBytes: Int64
    public var maximumInvoiceFileBytes: Int64

    /// The defaults of the spec for `year`.
    public init(year: Int) {
        self.year = year
        quotaNorthern = Fen(14_000_000)
        quotaElsewhere = Fen(10_000_000)
        northernCityPrefixes = ["3203", "3207", "3208", "3209", "3213"]
        ratioNorthern = Ratio(tenThousandths: 3_500)
        ratioElsewhere = Ratio(tenThousandths: 2_500)
        ratioOverrides = []
        rounding = .halfUp
        capPerOrder = nil
        shortfall = .partial
        // 12-31 of the voucher year; a year beyond the calendar's range (the data can say anything
        // that fits in 64 bits) ends at the range's first or last day.
        redemptionDeadline =
            CivilDate(year: min(max(year, 1), 9_999), month: 12, day: 31) ?? CivilDate(daysSinceEpoch: 0)
        revenueLimit = Fen(40_000_000_000)
        highTechValidityYears = 3
        publicityWorkingDays = 5
        maximumFileBytes = 52_428_800
        maximumInvoiceFileBytes = 5_242_880
    }

    /// Whether a roster city code lies in the northern region.
    public func isNorthern(cityCode: String) -> Bool {
        northernCityPrefixes.contains(CityCode.cityPrefix(cityCode))
    }

    /// The policy quota for an enterprise registered at `cityCode`.
    public func quota(cityCode: String) -> Fen {
        isNorthern(cityCode: cityCode) ? quotaNorthern : quotaElsewhere
    }

    /// The ratio for an order: an override whose category every item shares and/or whose enterprise
    /// type matches, the most specific first; else the region's ratio.
    public func ratio(cityCode: String, enterpriseType: String, itemCategories: [String]) -> Ratio {
        let sharedCategory: String? =
            itemCategories.first.flatMap { first in itemCategories.allSatisfy { $0.sameBytes(as: first) } ? first : nil
            }
        var best: (rank: Int, ratio: Ratio)?
        for candidate in ratioOverrides {
            if let category = candidate.category, sharedCategory.map({ category.sameBytes(as: $0) }) != true {
                continue
            }
            if let type = candidate.enterpriseType, !type.sameBytes(as: enterpriseType) { continue }
            let rank = candidate.specificity
            if best == nil || rank > (best?.rank ?? 0) { best = (rank, candidate.ratio) }
        }
        if let best { return best.ratio }
        return isNorthern(cityCode: cityCode) ? ratioNorthern : ratioElsewhere
    }
}

/// A ratio that replaces the region's for a service category and/or an enterprise type.
public struct RatioOverride: Sendable, Equatable {
    public var category: String?
    public var enterpriseType: String?
    public var ratio: Ratio

    public init(category: String?, enterpriseType: String?, ratio: Ratio) {
        self.category = category
        self.enterpriseType = enterpriseType
        self.ratio = ratio
    }

    /// Both criteria beat one; a category beats an enterprise type.
    var specificity: Int { (category != nil ? 2 : 0) + (enterpriseType != nil ? 1 : 0) }
}

/// What to do when the remaining balance is less than the claim.
public enum ShortfallPolicy: String, Sendable, CaseIterable {
    /// Pay what is left, with `BALANCE_SHORT`.
    case partial
    /// Refuse the request with `BALANCE_EXHAUSTED`.
    case reject
}
