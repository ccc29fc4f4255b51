/// Why a line of `redemptions.jsonl` is not reviewed, in order of precedence.
public enum QuarantineReason: String, Sendable, CaseIterable {
    case malformed = "MALFORMED"
    case wrongBatch = "WRONG_BATCH"
    case duplicateLine = "DUPLICATE_LINE"
    case revisionConflict = "REVISION_CONFLICT"
    case superseded = "SUPERSEDED"
}

/// Where one line ends up.
public enum LineDisposition: Sendable, Equatable {
    case kept
    case quarantined(QuarantineReason, detail: String)
}
