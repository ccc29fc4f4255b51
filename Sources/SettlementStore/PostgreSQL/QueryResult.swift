/// The rows of a query, in PostgreSQL's text format (`nil` is SQL NULL).
public struct QueryResult: Sendable {
    public let columns: [String]
    public let rows: [Row]
    /// Rows changed by INSERT/UPDATE/DELETE (or returned by a query).
    public let affectedRows: Int

    /// One row; cells are read by position with typed accessors.
    public struct Row: Sendable {
        public let cells: [String?]

        public subscript(index: Int) -> String? { index < cells.count ? cells[index] : nil }

        public func string(_ index: Int) -> String { self[index] ?? "" }

        public func int(_ index: Int) -> Int? { self[index].flatMap { Int($0) } }

        public func int64(_ index: Int) -> Int64? { self[index].flatMap { Int64($0) } }

        public func bool(_ index: Int) -> Bool? {
            switch self[index] {
            case "t"?: true
            case "f"?: false
            default: nil
            }
        }
    }

    public var first: Row? { rows.first }
}
