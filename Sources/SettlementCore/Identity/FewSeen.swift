/// The items of one request already met — its claim keys, invoice keys, ordered services — for
/// rules that must notice a repeat. A request has a handful of each: up to `scanLimit` they are
/// compared one by one in an array (one allocation, no hashing), beyond that they move into a
/// hash set, so that a request with thousands of invoices is still checked in linear time.
/// Equality is the element's own (`ByteString` and `ClaimKey`: UTF-8 bytes).
struct FewSeen<Element: Hashable> {
    static var scanLimit: Int { 16 }

    private var few: [Element] = []
    private var many: Set<Element> = []
    private var hashed = false

    /// Adds `item`; false when it was met before.
    mutating func insert(_ item: Element) -> Bool {
        if hashed { return many.insert(item).inserted }
        if few.contains(item) { return false }
        few.append(item)
        if few.count > Self.scanLimit {
            many = Set(few)
            few = []
            hashed = true
        }
        return true
    }
}

extension FewSeen where Element: Comparable {
    /// The distinct items in ascending order (a request's service categories: a few, often the
    /// same one repeated).
    static func distinctSorted(_ items: [Element]) -> [Element] {
        var distinct: [Element] = []
        distinct.reserveCapacity(items.count)
        for item in items.sorted() where distinct.last != item { distinct.append(item) }
        return distinct
    }
}
