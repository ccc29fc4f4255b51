import SettlementFormats

/// What a request claims so that no other request can use it again: its order, its contract
/// (shop, contract number) and each invoice (code or "", number).
public struct ClaimKey: Hashable, Sendable, Comparable {
    public enum Kind: String, Sendable, CaseIterable {
        case order, contract, invoice

        /// The finding a request gets when this kind of key is already claimed.
        public var conflictCode: FindingCode {
            switch self {
            case .order: .duplicateOrder
            case .contract: .contractReused
            case .invoice: .invoiceReused
            }
        }
    }

    public let kind: Kind
    /// The key's text; parts are joined by U+001F.
    public let value: String

    public init(kind: Kind, value: String) {
        self.kind = kind
        self.value = value
    }

    /// The keys of a request in a fixed order: order, contracts, invoices.
    public static func keys(of request: RedemptionRequest) -> [ClaimKey] {
        var keys = [ClaimKey(kind: .order, value: request.orderNumber)]
        for contract in request.contracts {
            keys.append(ClaimKey(kind: .contract, value: request.shopID + "\u{1F}" + contract.contractNumber))
        }
        for invoice in request.invoices {
            keys.append(ClaimKey(kind: .invoice, value: invoice.claimKey))
        }
        var seen = FewSeen<ClaimKey>()
        return keys.filter { seen.insert($0) }
    }

    /// Keys are bytes: two keys are one only when their texts have the same UTF-8 bytes.
    public static func == (lhs: ClaimKey, rhs: ClaimKey) -> Bool {
        lhs.kind == rhs.kind && lhs.value.sameBytes(as: rhs.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(ByteString(value))
    }

    /// The key as people read it: parts joined by `/`.
    public var readable: String { value.replacingAll("\u{1F}", with: "/") }

    public static func < (lhs: ClaimKey, rhs: ClaimKey) -> Bool {
        if lhs.kind != rhs.kind { return lhs.kind.rawValue < rhs.kind.rawValue }
        return lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8)
    }
}

/// Who holds which key, across batches. Claims last until a new revision of the same request
/// drops them; a request never conflicts with its own `request_id`.
public struct ClaimRegistry: Sendable {
    private var owners: [ClaimKey: String] = [:]
    private var keysByOwner: [ByteString: [ClaimKey]] = [:]

    public init() {}

    /// Records an existing claim (loaded from the store).
    public mutating func load(_ key: ClaimKey, owner: String) {
        owners[key] = owner
        keysByOwner[ByteString(owner), default: []].append(key)
    }

    /// The keys among `keys` held by a request other than `requestID`, with their holder.
    public func conflicts(_ keys: [ClaimKey], for requestID: String) -> [(key: ClaimKey, owner: String)] {
        keys.compactMap { key in
            guard let owner = owners[key], !owner.sameBytes(as: requestID) else { return nil }
            return (key, owner)
        }
    }

    public func owner(of key: ClaimKey) -> String? { owners[key] }

    /// Drops every claim of `requestID` (its earlier revisions').
    public mutating func drop(owner requestID: String) {
        for key in keysByOwner.removeValue(forKey: ByteString(requestID)) ?? []
        where owners[key].map({ $0.sameBytes(as: requestID) }) == true {
            owners[key] = nil
        }
    }

    public mutating func claim(_ keys: [ClaimKey], owner requestID: String) {
        for key in keys {
            owners[key] = requestID
            keysByOwner[ByteString(requestID), default: []].append(key)
        }
    }
}
