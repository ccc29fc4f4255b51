/// The SMS notices the programme sends enterprises at each step that concerns them (短信告知):
/// what `settle` decided, as rows of an outbox the platform's SMS gateway sends from.
public enum NoticeKind: String, Sendable, CaseIterable {
    case needsCorrection = "needs_correction"
    case accepted, rejected, paid, returned, repaid, withdrawn
}

/// One event of one request to tell its enterprise about.
public struct NoticeEvent: Sendable, Equatable {
    public var kind: NoticeKind
    public var requestID: String
    public var revision: Int
    /// For money events, the payment (EndToEndId) the event is about: a request paid twice (a
    /// supplement) gets two `paid` notices.
    public var paymentID: String?
    public var enterpriseName: String
    public var orderNumber: String
    public var amount: Fen?
    public var date: CivilDate?
    /// Chinese labels of the reasons (findings, or the bank's reason).
    public var reasons: [String] = []
    /// The last four digits of the account concerned (never the whole number).
    public var accountTail: String?

    public init(
        kind: NoticeKind, requestID: String, revision: Int, paymentID: String? = nil, enterpriseName: String,
        orderNumber: String, amount: Fen? = nil, date: CivilDate? = nil, reasons: [String] = [],
        accountTail: String? = nil
    ) {
        self.kind = kind
        self.requestID = requestID
        self.revision = revision
        self.paymentID = paymentID
        self.enterpriseName = enterpriseName
        self.orderNumber = orderNumber
        self.amount = amount
        self.date = date
        self.reasons = reasons
        self.accountTail = accountTail
    }

    /// What makes the event one event: (request, revision, kind, payment). Its notice id is derived
    /// from it (`NoticeWriter`), so a rerun or a second copy of the file never makes a second
    /// message for the same event.
    public var identity: String {
        [requestID, String(revision), kind.rawValue, paymentID ?? ""].joined(separator: "\u{1F}")
    }
}

/// A mainland mobile number: 11 ASCII digits starting with 1.
public enum MobileNumber {
    /// Why `text` is not a usable mobile number, or nil when it is.
    public static func problem(_ text: String) -> String? {
        if text.isEmpty { return "no contact_mobile in the roster" }
        let bytes = text.utf8
        guard bytes.count == 11, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), bytes.first == 0x31 else {
            return "contact_mobile is not an 11-digit mainland mobile number"
        }
        return nil
    }

    /// The last four characters of an account number, for a message.
    public static func tail(_ account: String) -> String { String(account.suffix(4)) }
}

/// The templates of the notice texts (`[notices]` in the configuration), with placeholders
/// `{signature}`, `{order}`, `{amount}`, `{date}`, `{reasons}`, `{account}`.
public struct NoticeTemplates: Sendable, Equatable {
    public var signature = "【江苏省科技创新券】"
    public var texts: [NoticeKind: String] = [
        .needsCorrection: "{signature}贵单位订单{order}的创新券兑付申请需补正：{reasons}。请于{date}前登录云平台补正，以免逾期。",
        .accepted: "{signature}贵单位订单{order}的创新券兑付申请已审核通过，拟兑付{amount}元，公示期至{date}。",
        .rejected: "{signature}贵单位订单{order}的创新券兑付申请未通过：{reasons}。",
        .paid: "{signature}贵单位订单{order}的创新券兑付资金{amount}元已安排拨付（{date}），请注意查收。",
        .returned: "{signature}贵单位订单{order}的兑付资金{amount}元被银行退回（{reasons}），请核对尾号{account}的收款账户。",
        .repaid: "{signature}贵单位订单{order}的兑付资金{amount}元已安排重新拨付（{date}）至尾号{account}的账户。",
        .withdrawn: "{signature}贵单位订单{order}经公示期异议核实，兑付申请撤回，不予拨付。",
    ]

    public init() {}

    /// One SMS is 70 characters; a notice may use three segments at most.
    public static let maximumCharacters = 201

    /// The text of an event: the template filled in; a reasons list that does not fit is cut
    /// (`等N项`), and the order number shortened last, so the text never exceeds the limit.
    public func text(_ event: NoticeEvent) -> String { compiled().text(event) }

    /// The templates read once (`Compiled`), for a run that fills them for every decision.
    public func compiled() -> Compiled { Compiled(self) }

    /// The templates cut once into their literal bytes and placeholders, so that filling one
    /// is appending bytes: what `text(_:)` gives, without reading the template and building a
    /// table of values for every notice. Placeholders are found as `substitute` finds them.
    public struct Compiled: Sendable {
        enum Placeholder: String, CaseIterable {
            case signature, order, amount, date, reasons, account
        }

        enum Piece {
            case bytes([UInt8])
            case value(Placeholder)
        }

        let signature: String
        let pieces: [NoticeKind: [Piece]]

        init(_ templates: NoticeTemplates) {
            signature = templates.signature
            pieces = templates.texts.mapValues(Compiled.pieces)
        }

        /// `template` as `substitute` reads it (`NoticeTemplates.segments`).
        static func pieces(_ template: String) -> [Piece] {
            NoticeTemplates.segments(template, known: { Placeholder(rawValue: $0) != nil }).map { segment in
                switch segment {
                case .bytes(let bytes): return .bytes(bytes)
                case .name(let name):
                    return Placeholder(rawValue: name).map(Piece.value) ?? .bytes(Array("{\(name)}".utf8))
                }
            }
        }

        /// The text of an event (see `NoticeTemplates.text(_:)`).
        public func text(_ event: NoticeEvent) -> String {
            let pieces = self.pieces[event.kind] ?? []
            let amount = event.amount?.yuanText ?? ""
            let date = event.date.map(NoticeTemplates.chineseDate) ?? ""
            let account = event.accountTail ?? ""
            func fill(reasons: String, order: String) -> String {
                var out: [UInt8] = []
                out.reserveCapacity(320)
                for piece in pieces {
                    switch piece {
                    case .bytes(let bytes): out.append(contentsOf: bytes)
                    case .value(.signature): out.append(contentsOf: signature.utf8)
                    case .value(.order): out.append(contentsOf: order.utf8)
                    case .value(.amount): out.append(contentsOf: amount.utf8)
                    case .value(.date): out.append(contentsOf: date.utf8)
                    case .value(.reasons): out.append(contentsOf: reasons.utf8)
                    case .value(.account): out.append(contentsOf: account.utf8)
                    }
                }
                return String(decoding: out, as: UTF8.self)
            }
            var kept = event.reasons.count
            while true {
                var reasons = event.reasons.prefix(kept).joined(separator: "、")
                if kept < event.reasons.count { reasons += "等\(event.reasons.count)项" }
                let text = fill(reasons: reasons, order: event.orderNumber)
                if NoticeTemplates.fits(text) { return text }
                if kept > 1 {
                    kept -= 1
                    continue
                }
                // Still too long (a huge order number or template): keep the start of the order number.
                let room = max(
                    0,
                    NoticeTemplates.maximumCharacters
                        - (text.unicodeScalars.count - event.orderNumber.unicodeScalars.count) - 1)
                let shortened = fill(
                    reasons: reasons,
                    order: String(String.UnicodeScalarView(event.orderNumber.unicodeScalars.prefix(room))) + "…")
                return String(
                    String.UnicodeScalarView(shortened.unicodeScalars.prefix(NoticeTemplates.maximumCharacters)))
            }
        }
    }

    /// Whether `text` has at most `maximumCharacters` characters, counted as the database's
    /// `char_length` counts them (`notices_text_check`): Unicode scalars, so that a text of one
    /// letter and hundreds of combining marks is as long as its marks, not one character.
    static func fits(_ text: String) -> Bool {
        text.unicodeScalars.count <= maximumCharacters
    }

    /// The template with each `{name}` of `values` replaced, in one pass from left to right: a
    /// value is never scanned again (an order number holding `{date}` stays as it is), and an
    /// unknown `{…}` stays as written.
    public static func substitute(_ template: String, _ values: [String: String]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(template.utf8.count + 64)
        for segment in segments(template, known: { values[$0] != nil }) {
            switch segment {
            case .bytes(let bytes): out.append(contentsOf: bytes)
            case .name(let name): out.append(contentsOf: (values[name] ?? "").utf8)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A template's literal bytes and its `{name}`s.
    enum Segment {
        case bytes([UInt8])
        case name(String)
    }

    /// `template` read once from left to right: `{name}` where `known(name)` is a name, anything
    /// else — an unknown `{…}`, a `{` never closed — stays as written (a `{` that opens no known
    /// name is a byte, and the scan goes on after it).
    static func segments(_ template: String, known: (String) -> Bool) -> [Segment] {
        let bytes = Array(template.utf8)
        var segments: [Segment] = []
        var literal: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "{"),
                let close = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: "}")),
                case let name = String(decoding: bytes[(index + 1)..<close], as: UTF8.self), known(name)
            {
                if !literal.isEmpty { segments.append(.bytes(literal)) }
                literal = []
                segments.append(.name(name))
                index = close + 1
            } else {
                literal.append(bytes[index])
                index += 1
            }
        }
        if !literal.isEmpty { segments.append(.bytes(literal)) }
        return segments
    }

    static func chineseDate(_ date: CivilDate) -> String { "\(date.year)年\(date.month)月\(date.day)日" }
}
