/// A parsed JSON value. Numbers keep their literal text so that `1`, `1.0` and `1e0` stay distinct
/// and no value ever passes through floating point.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// A short name of the value's kind, for error messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// A JSON object with its members in document order; keys are unique by their UTF-8 bytes (the
/// parser refuses duplicates) and looked up by them.
public struct JSONObject: Sendable, Equatable {
    public let keys: [String]
    public let values: [JSONValue]

    public init(keys: [String], values: [JSONValue]) {
        self.keys = keys
        self.values = values
    }

    public subscript(key: String) -> JSONValue? {
        guard let index = keys.firstIndex(where: { $0.sameBytes(as: key) }) else { return nil }
        return values[index]
    }

    /// The position of `key` (by its bytes), looked for from `start` to the end and then from the
    /// beginning: a reader that asks for the keys in the order the producer writes them finds
    /// each at the first comparison. Which key is found does not depend on `start`.
    public func index(of key: String, from start: Int) -> Int? {
        let start = min(max(start, 0), keys.count)
        for index in start..<keys.count where keys[index].sameBytes(as: key) { return index }
        for index in 0..<start where keys[index].sameBytes(as: key) { return index }
        return nil
    }
}
