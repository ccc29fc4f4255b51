import SettlementCore

/// The rows of a query, in PostgreSQL's text format (`nil` is SQL NULL).
public struct QueryResult: Sendable {
    public let columns: [String]
    public let rows: [Row]
    /// Rows changed by INSERT/UPDATE/DELETE (or returned by a query).
    public let affectedRows: Int

    public var first: Row? { rows.first }

    /// The position of each column name, shared by the rows of one result.
    public final class Columns: Sendable {
        let names: [String]
        let positions: [String: Int]

        public init(_ names: [String]) {
            self.names = names
            var positions: [String: Int] = [:]
            for (index, name) in names.enumerated() where positions[name] == nil { positions[name] = index }
            self.positions = positions
        }

        /// `name`'s position, found once for the rows of a page.
        public func column(_ name: String) -> Column { Column(name: name, position: positions[name]) }
    }

    /// A column of a result, by name and position (`Columns.column`): the cells of many rows are
    /// read through it without their name being looked up for each one (the allocation order's
    /// ~35 columns, read for each of a million lines). A name the result does not have fails as
    /// reading it by name does.
    public struct Column: Sendable {
        let name: String
        let position: Int?
    }

    /// One row. Cells are read **by column name** with typed accessors that throw a
    /// `DatabaseError` naming the column when it is missing, NULL where a value is required, or
    /// not of the type asked for — a NULL amount is never read as zero fen.
    public struct Row: Sendable {
        public let cells: [String?]
        /// The columns of the result the row belongs to (`Columns.column` finds one once for many rows).
        public let columns: Columns

        init(cells: [String?], columns: Columns) {
            self.cells = cells
            self.columns = columns
        }

        /// Positional reads, for ad-hoc statements in tests and tools; the product's sources read
        /// by name (a test keeps it so).
        public subscript(index: Int) -> String? { index < cells.count ? cells[index] : nil }
        public func string(_ index: Int) -> String { self[index] ?? "" }
        public func int(_ index: Int) -> Int? { self[index].flatMap { Int($0) } }
        public func int64(_ index: Int) -> Int64? { self[index].flatMap { Int64($0) } }
        public func bool(_ index: Int) -> Bool? { self[index] == "t" ? true : self[index] == "f" ? false : nil }

        /// The cell of a column as text, `nil` for NULL. Each accessor by name finds the column
        /// (`Columns.column`) and reads it as the accessor by `Column` does.
        public func optionalText(_ name: String) throws(DatabaseError) -> String? {
            try optionalText(columns.column(name))
        }

        /// The cell of `column` (found among this row's result's columns), `nil` for NULL.
        public func optionalText(_ column: Column) throws(DatabaseError) -> String? {
            guard let index = column.position, index < cells.count else {
                throw DatabaseError.decoding(
                    column.name, "no such column (columns: \(columns.names.joined(separator: ", ")))")
            }
            return cells[index]
        }

        public func text(_ name: String) throws(DatabaseError) -> String { try text(columns.column(name)) }

        public func text(_ column: Column) throws(DatabaseError) -> String {
            guard let value = try optionalText(column) else { throw DatabaseError.decoding(column.name, "is NULL") }
            return value
        }

        public func optionalInt64(_ name: String) throws(DatabaseError) -> Int64? {
            try optionalInt64(columns.column(name))
        }

        public func optionalInt64(_ column: Column) throws(DatabaseError) -> Int64? {
            guard let text = try optionalText(column) else { return nil }
            guard let value = Int64(text) else {
                throw DatabaseError.decoding(column.name, "is not an integer: \(text)")
            }
            return value
        }

        public func int64(_ name: String) throws(DatabaseError) -> Int64 { try int64(columns.column(name)) }

        public func int64(_ column: Column) throws(DatabaseError) -> Int64 {
            guard let value = try optionalInt64(column) else { throw DatabaseError.decoding(column.name, "is NULL") }
            return value
        }

        public func int(_ name: String) throws(DatabaseError) -> Int { try int(columns.column(name)) }

        public func int(_ column: Column) throws(DatabaseError) -> Int {
            let value = try int64(column)
            guard let small = Int(exactly: value) else { throw DatabaseError.decoding(column.name, "is out of range") }
            return small
        }

        public func optionalInt(_ name: String) throws(DatabaseError) -> Int? {
            try optionalInt64(name).map { Int(truncatingIfNeeded: $0) }
        }

        /// An amount in fen; NULL is an error, never zero.
        public func fen(_ name: String) throws(DatabaseError) -> Fen { try fen(columns.column(name)) }

        public func fen(_ column: Column) throws(DatabaseError) -> Fen { Fen(try int64(column)) }

        public func optionalFen(_ name: String) throws(DatabaseError) -> Fen? { try optionalInt64(name).map(Fen.init) }

        public func optionalBool(_ name: String) throws(DatabaseError) -> Bool? {
            switch try optionalText(name) {
            case nil: return nil
            case "t"?: return true
            case "f"?: return false
            case let other?: throw DatabaseError.decoding(name, "is not a boolean: \(other)")
            }
        }

        public func bool(_ name: String) throws(DatabaseError) -> Bool {
            guard let value = try optionalBool(name) else { throw DatabaseError.decoding(name, "is NULL") }
            return value
        }

        public func date(_ name: String) throws(DatabaseError) -> CivilDate { try date(columns.column(name)) }

        public func date(_ column: Column) throws(DatabaseError) -> CivilDate {
            let text = try text(column)
            guard let date = CivilDate(iso: text) else {
                throw DatabaseError.decoding(column.name, "is not a date: \(text)")
            }
            return date
        }

        public func optionalDate(_ name: String) throws(DatabaseError) -> CivilDate? {
            guard let text = try optionalText(name) else { return nil }
            guard let date = CivilDate(iso: text) else { throw DatabaseError.decoding(name, "is not a date: \(text)") }
            return date
        }

        public func month(_ name: String) throws(DatabaseError) -> BatchMonth {
            let text = try text(name)
            guard let month = BatchMonth(text) else { throw DatabaseError.decoding(name, "is not a month: \(text)") }
            return month
        }
    }
}

extension DatabaseError {
    /// A row that does not have the shape the store expects.
    static func decoding(_ column: String, _ problem: String) -> DatabaseError {
        DatabaseError(sqlState: "", message: "column \(column) \(problem)", context: "decoding a row")
    }
}
