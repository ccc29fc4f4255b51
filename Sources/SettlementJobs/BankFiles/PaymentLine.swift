import SettlementCore

/// One payment to an enterprise, as both bank files carry it.
struct PaymentLine: Sendable {
    /// 1-based position across the whole disbursement.
    var seq: Int
    /// The payment's id for all time (EndToEndId, 企业流水号), at most 35 characters.
    var endToEndID: String
    var requestID: String
    var revision: Int
    var amount: Fen
    var accountName: String
    var accountNumber: String
    var bankCode: String
    var bankName: String
    /// 用途, at most 40 characters.
    var purpose: String
}

/// The paying account and the identity of a disbursement.
struct PaymentBatch: Sendable {
    var messageID: String
    var businessDate: CivilDate
    var payer: SettleConfiguration.Payer
    var lines: [PaymentLine]

    var count: Int { lines.count }
    var total: Fen { Fen.sum(lines.map(\.amount)) ?? .zero }
    var paymentInformationID: String { messageID + "-1" }
}
