/// Everything the rules need to know about one request, loaded in bulk before the review.
public struct ReviewInput: Sendable {
    public var request: RedemptionRequest
    public var account: Lookup<VoucherAccount>
    public var provider: Lookup<Provider>
    /// Reviews of this `request_id` in earlier batches.
    public var history: [PriorReview]
    /// Problems found by content verification, one per attachment (empty when verification is off).
    public var attachmentProblems: [String]

    public init(
        request: RedemptionRequest, account: Lookup<VoucherAccount>, provider: Lookup<Provider>,
        history: [PriorReview] = [], attachmentProblems: [String] = []
    ) {
        self.request = request
        self.account = account
        self.provider = provider
        self.history = history
        self.attachmentProblems = attachmentProblems
    }
}

/// A roster or provider row as found for a request.
public enum Lookup<Row: Sendable>: Sendable {
    case found(Row)
    case absent
    /// The row exists but could not be loaded; `detail` names the file line and problem.
    case defective(detail: String)

    public var row: Row? {
        if case .found(let row) = self { return row }
        return nil
    }
}

/// An earlier batch's review of a revision of the same request.
public struct PriorReview: Sendable, Equatable {
    public var revision: Int
    public var month: BatchMonth
    public var status: DecisionStatus

    public init(revision: Int, month: BatchMonth, status: DecisionStatus) {
        self.revision = revision
        self.month = month
        self.status = status
    }
}
