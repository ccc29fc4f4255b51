import SettlementFormats

/// What one line of `redemptions.jsonl` turned out to be, before lines are compared with each other.
public enum LineOutcome: Sendable {
    /// Not a request: the detail names the key path and the problem. `requestID` when readable.
    case malformed(detail: String, requestID: String?)
    /// A request submitted outside the bundle's month.
    case wrongBatch(detail: String, request: RedemptionRequest)
    case wellFormed(RedemptionRequest)

    public var requestID: String? {
        switch self {
        case .malformed(_, let id): id
        case .wrongBatch(_, let request), .wellFormed(let request): request.requestID
        }
    }
}

/// Reads one line: the checks that need nothing but the line itself and the bundle's month.
public enum LineReader {
    /// Lines longer than this are malformed without being parsed.
    public static let maximumLineBytes = 32 * 1_024 * 1_024

    /// `bytes` is the line without its LF; a trailing CR is removed here.
    public static func read(_ bytes: some Collection<UInt8>, month: BatchMonth) -> LineOutcome {
        var line = Array(bytes)
        if line.last == 0x0D { line.removeLast() }
        if line.count > maximumLineBytes {
            return .malformed(detail: "line longer than 32 MiB (\(line.count) bytes)", requestID: nil)
        }
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            return .malformed(detail: "blank line", requestID: nil)
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            return .malformed(detail: "not JSON: \(error.message)", requestID: nil)
        }
        var decoder = RequestDecoder()
        guard let request = decoder.decode(value) else {
            return .malformed(
                detail: decoder.problems.joined(separator: "; "), requestID: RequestDecoder.readableRequestID(value))
        }
        let date = request.submissionDate
        guard month.contains(date) else {
            let raw: String
            if case .object(let root) = value, case .string(let text)? = root["submitted_at"] {
                raw = text
            } else {
                raw = ""
            }
            return .wrongBatch(
                detail: "submitted_at \(raw) is \(date) in Asia/Shanghai, not in \(month)", request: request)
        }
        return .wellFormed(request)
    }
}
