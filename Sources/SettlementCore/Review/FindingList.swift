/// The findings of one request, one per code: a second problem under the same code adds to the
/// first one's detail, so that `codes` lists each code once.
public struct FindingList: Sendable {
    private var details: [FindingCode: [String]] = [:]

    public init() {}

    public mutating func add(_ code: FindingCode, _ detail: String) {
        details[code, default: []].append(detail)
    }

    public func contains(_ code: FindingCode) -> Bool { details[code] != nil }

    public var worstSeverity: Severity? { details.keys.map(\.severity).max() }

    /// Whether any finding changes the status (a `reject` or `correct`).
    public var blocksPayment: Bool { (worstSeverity ?? .warn) > .warn }

    /// The findings sorted by code.
    public var findings: [Finding] {
        details.keys.sorted().map { Finding($0, details[$0, default: []].joined(separator: "；")) }
    }
}

/// The context every rule reads.
public struct RuleContext: Sendable {
    public let input: ReviewInput
    public let policy: Policy

    public init(input: ReviewInput, policy: Policy) {
        self.input = input
        self.policy = policy
    }

    public var request: RedemptionRequest { input.request }
    public var account: VoucherAccount? { input.account.row }
    public var provider: Provider? { input.provider.row }
}

/// How attached files are judged: the declared type (compared case-sensitively with lower-case
/// lists), not empty, not over the size limit.
enum FileRule {
    static let pdfOnly: Set<String> = ["pdf"]
    static let documentOrImage: Set<String> = ["pdf", "jpg", "jpeg", "png"]

    /// What is wrong with `file`, or `nil`.
    static func problem(_ file: FileDescriptor, allowed: Set<String>, maximumBytes: Int64) -> String? {
        if !allowed.contains(file.type) {
            return "\(file.name) 类型 '\(file.type)' 不允许（应为 \(allowed.sorted().joined(separator: "/"))）"
        }
        if file.size == 0 { return "\(file.name) 为空文件" }
        if file.size > maximumBytes { return "\(file.name) 大小 \(file.size) 字节超过上限 \(maximumBytes)" }
        return nil
    }
}
