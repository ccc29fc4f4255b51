import SettlementCore
import SettlementDigest

/// One payment to an enterprise, as both bank files carry it.
struct PaymentLine: Sendable {
    /// 1-based position across the whole disbursement.
    var seq: Int
    /// The payment's id for all time (EndToEndId, 企业流水号), at most 35 characters.
    var endToEndID: String
    var requestID: String
    var amount: Fen
    var accountName: String
    var accountNumber: String
    var bankCode: String
    var bankName: String
    /// 用途, at most 40 characters.
    var purpose: String
}

/// What a disbursement's bank files say about the whole batch: its identity, the paying account
/// and the control totals.
struct PaymentBatchHeader: Sendable {
    var messageID: String
    var businessDate: CivilDate
    var payer: SettleConfiguration.Payer
    var count: Int
    var total: Fen

    var paymentInformationID: String { messageID + "-1" }
}

/// A fingerprint of a list of payments — count, sum, and SHA-256 over `id amount` lines in order —
/// computed the same way from the database and from a written file, to compare them without
/// holding either in memory.
struct PaymentDigest: Equatable {
    var count = 0
    var total = Fen.zero
    private var hasher = SHA256()
    private(set) var sha256 = ""

    mutating func add(id: String, amount: String) {
        count += 1
        total = total.adding(Fen(yuan: amount) ?? Fen(-1)) ?? total
        hasher.update(Array((id + " " + amount + "\n").utf8))
    }

    mutating func finish() -> PaymentDigest {
        sha256 = hasher.finalizeHex()
        return self
    }

    static func == (lhs: PaymentDigest, rhs: PaymentDigest) -> Bool {
        lhs.count == rhs.count && lhs.total == rhs.total && lhs.sha256 == rhs.sha256
    }
}
