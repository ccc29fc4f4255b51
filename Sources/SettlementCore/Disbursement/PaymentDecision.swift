/// What a disbursement does with one item that is owed money (拨付决定): pay it, withdraw it, hold it
/// or leave it out for now — a pure function of the item's facts, with typed reasons.
///
/// In order: a disputed bank answer holds it; an objection (not for a returned payment, which was
/// already publicized and paid) withdraws (upheld) or holds (pending) it; then it needs a roster
/// account that passes BANK_ACCOUNT, that is not the account a returned payment went to, and whose
/// names hold no control character (a line break or tab the batch file's line cannot carry) and are
/// all in GBK. Only then is it paid, as a payment, supplement or repayment.
public enum PaymentDecision: Sendable, Equatable {
    case pay(OwedPaymentKind)
    /// An upheld objection: the reservation is released (OBJECTION_UPHELD).
    case withdraw(detail: String)
    /// Still owed, not paid now: a pending objection, or a disputed bank answer.
    case hold(HoldReason, detail: String)
    /// Still owed, cannot be paid until the data changes.
    case leaveOut(LeaveOutReason, detail: String)

    public enum HoldReason: String, Sendable, Equatable {
        case objectionPending = "OBJECTION_PENDING"
        case disputed = "DISPUTED"
    }

    public enum LeaveOutReason: String, Sendable, Equatable {
        /// No roster row for the enterprise and year.
        case noRosterAccount = "NO_VOUCHER"
        /// The roster's bank data fail BANK_ACCOUNT.
        case bankAccount = "BANK_ACCOUNT"
        /// The bank returned the last payment and the roster still has the same account.
        case returnedNotCorrected = "RETURNED"
        /// A name of the payment line has a character outside GBK (the batch file is GBK).
        case outsideGBK = "GBK"
        /// A name of the payment line has a control character (a line break, a tab, …) that one line
        /// of the batch file cannot carry and XML 1.0 mostly cannot hold.
        case controlCharacter = "CONTROL"
    }

    /// An objection to the item's order, as `objections.csv` has it.
    public enum Objection: Sendable, Equatable {
        case upheld(receivedOn: CivilDate, note: String)
        case pending(receivedOn: CivilDate)
        case dismissed
    }

    /// What is known of the item.
    public struct Facts: Sendable {
        /// The live entry is a bank return (the amount is owed again as it was).
        public var isReturn: Bool
        public var history: PaymentHistory
        /// The account (number, bank code, name) the item's latest payment went to, when the bank returned it.
        public var returnedTo: [String]?
        public var disputed: Bool
        public var objection: Objection?
        /// The latest roster row's account, if any.
        public var account: VoucherAccount?
        /// Characters of the account name, bank name and purpose that GBK cannot write.
        public var outsideGBK: String
        /// The control characters of the account name, bank name and purpose, as `U+000A`.
        public var controlCharacters: String

        public init(
            isReturn: Bool, history: PaymentHistory, returnedTo: [String]?, disputed: Bool, objection: Objection?,
            account: VoucherAccount?, outsideGBK: String, controlCharacters: String = ""
        ) {
            self.isReturn = isReturn
            self.history = history
            self.returnedTo = returnedTo
            self.disputed = disputed
            self.objection = objection
            self.account = account
            self.outsideGBK = outsideGBK
            self.controlCharacters = controlCharacters
        }
    }

    public static func decide(_ facts: Facts) -> PaymentDecision {
        if facts.disputed {
            return .hold(.disputed, detail: "银行对该笔付款的回复互相矛盾，待人工确认（settle resolve）后再处理")
        }
        if !facts.isReturn, let objection = facts.objection {
            switch objection {
            case .upheld(let receivedOn, let note): return .withdraw(detail: "异议成立（\(receivedOn)）：\(note)")
            case .pending(let receivedOn): return .hold(.objectionPending, detail: "异议处理中（\(receivedOn)），暂缓拨付")
            case .dismissed: break
            }
        }
        guard let account = facts.account else {
            return .leaveOut(.noRosterAccount, detail: "名册中没有该企业的账户")
        }
        var findings = FindingList()
        EligibilityRules.checkBankAccount(account, into: &findings)
        if let finding = findings.findings.first {
            return .leaveOut(.bankAccount, detail: finding.detail)
        }
        if let returnedTo = facts.returnedTo,
            returnedTo.count == 3, returnedTo[0].sameBytes(as: account.accountNumber),
            returnedTo[1].sameBytes(as: account.bankCode), returnedTo[2].sameBytes(as: account.accountName)
        {
            return .leaveOut(
                .returnedNotCorrected,
                detail: "银行退回后账户信息尚未更正（\(account.accountName) \(account.accountNumber)），待名册更正后再付")
        }
        if !facts.controlCharacters.isEmpty {
            return .leaveOut(
                .controlCharacter,
                detail: "收款户名、银行名称或用途含换行、制表符等控制字符（\(facts.controlCharacters)），批量文件无法写入，待名册更正后再付")
        }
        if !facts.outsideGBK.isEmpty {
            return .leaveOut(.outsideGBK, detail: "收款户名或银行名称含 GBK 以外的字符：\(facts.outsideGBK)")
        }
        return .pay(facts.isReturn ? .repayment : OwedPaymentKind(history: facts.history))
    }
}
