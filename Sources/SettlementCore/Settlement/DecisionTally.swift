import SettlementFormats

/// 审核汇总: a review's decisions counted and summed by city, enterprise type and service
/// category, and its findings by code with a few request ids each — the breakdowns of the
/// finance report — tallied as the decisions are made, in allocation order. Keys are told apart
/// and ordered by their UTF-8 bytes.
public struct DecisionTally: Sendable {
    /// The decisions of one city (the prefecture: the first four characters of the city code;
    /// empty when the code is), enterprise type or service category.
    public struct Group: Sendable, Equatable {
        public var key: String
        public var count: Int
        public var accepted: Int
        public var requested: Fen
        public var payable: Fen

        /// A group of no decisions yet.
        static func empty(_ key: String) -> Group {
            Group(key: key, count: 0, accepted: 0, requested: .zero, payable: .zero)
        }

        /// Adds `other`'s counts and sums to this group's.
        mutating func absorb(_ other: Group) throws(Overflow) {
            guard let requested = requested.adding(other.requested), let payable = payable.adding(other.payable)
            else { throw Overflow() }
            count += other.count
            accepted += other.accepted
            self.requested = requested
            self.payable = payable
        }
    }

    /// The decisions holding one finding code, and the first few of them in allocation order.
    public struct CodeCount: Sendable, Equatable {
        public var code: String
        public var severity: String
        public var count: Int
        public var examples: [String]
    }

    /// A sum past what `Fen` holds.
    public struct Overflow: Error, CustomStringConvertible {
        public var description: String { "a total of the review's breakdowns overflows" }
    }

    /// How many request ids a code lists.
    public static let examplesPerCode = 3

    /// By the full city code (merged by prefecture when read: a few hundred codes, not a string
    /// made per decision).
    private var cityCodes: [ByteString: Group] = [:]
    private var types: [ByteString: Group] = [:]
    private var categories: [ByteString: Group] = [:]
    private var codes: [FindingCode: CodeCount] = [:]
    public private(set) var decisions = 0

    public init() {}

    /// Counts `decision`; decisions are added in allocation order (the examples are the first).
    public mutating func add(_ decision: Decision) throws(Overflow) {
        decisions += 1
        try DecisionTally.count(decision, under: decision.cityCode, in: &cityCodes)
        try DecisionTally.count(decision, under: decision.enterpriseType, in: &types)
        for category in DecisionTally.categories(of: decision) {
            try DecisionTally.count(decision, under: category, in: &categories)
        }
        for finding in decision.findings {
            if var entry = codes[finding.code] {
                entry.count += 1
                if entry.examples.count < DecisionTally.examplesPerCode { entry.examples.append(decision.requestID) }
                codes[finding.code] = entry
            } else {
                codes[finding.code] = CodeCount(
                    code: finding.code.rawValue, severity: finding.severity.name, count: 1,
                    examples: [decision.requestID])
            }
        }
    }

    /// The categories a decision is counted under: those stored with it (joined by U+001F) read
    /// back as the stored text splits, so that the breakdown is the one its stored rows give.
    static func categories(of decision: Decision) -> [String] {
        let listed = decision.categories
        // What the split gives back in every case but a category holding U+001F.
        if !listed.contains(where: { $0.utf8.contains(0x1F) }) {
            return listed.allSatisfy(\.isEmpty) ? [] : listed
        }
        let joined = listed.joined(separator: "\u{1F}")
        return joined.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
    }

    /// The prefecture of a city code: its first four characters (empty stays empty).
    static func prefecture(_ cityCode: String) -> String {
        String(String.UnicodeScalarView(cityCode.unicodeScalars.prefix(4)))
    }

    private static func count(_ decision: Decision, under key: String, in groups: inout [ByteString: Group])
        throws(Overflow)
    {
        let id = ByteString(key)
        var group = groups[id] ?? Group.empty(key)
        try group.absorb(
            Group(
                key: key, count: 1, accepted: decision.status == .accepted ? 1 : 0, requested: decision.requested,
                payable: decision.payable))
        groups[id] = group
    }

    /// By city (prefecture), by key bytes.
    public func byCity() throws(Overflow) -> [Group] {
        var cities: [ByteString: Group] = [:]
        for group in cityCodes.values {
            let key = DecisionTally.prefecture(group.key)
            let id = ByteString(key)
            var merged = cities[id] ?? Group.empty(key)
            try merged.absorb(group)
            cities[id] = merged
        }
        return DecisionTally.ordered(cities)
    }

    /// By enterprise type, by key bytes.
    public var byType: [Group] { DecisionTally.ordered(types) }
    /// By service category, by key bytes.
    public var byCategory: [Group] { DecisionTally.ordered(categories) }

    /// By code: the most frequent first, then by the code's bytes.
    public var codeCounts: [CodeCount] {
        codes.values.sorted { lhs, rhs in
            lhs.count != rhs.count ? lhs.count > rhs.count : lhs.code.bytesPrecede(rhs.code)
        }
    }

    private static func ordered(_ groups: [ByteString: Group]) -> [Group] {
        groups.sorted { $0.key < $1.key }.map(\.value)
    }
}
