/// A request as the review reads it, in a compact text form ingest stores beside the line
/// (`request_lines.review_record`), so that the review neither parses the line's JSON again nor
/// carries it through the allocation order's sort.
///
/// It holds every property of `RedemptionRequest` except each attachment's SHA-256 and path:
/// ingest checks those against the files and stores what it found (`attachment_problems`); no
/// review rule reads them, and a request read back from a record has them empty
/// (`withoutAttachmentIdentity`). The line's JSON stays the source of truth: a request with a NUL
/// character (which a database text cannot hold) has no record, and the review reads the JSON
/// of a line without one (or whose record does not read).
///
/// The form is a sequence of fields, each `<byte count>:<bytes>` (a missing optional is `~`),
/// numbers in decimal, lists as their count followed by their elements, in the order of
/// `RedemptionRequest`'s properties, after the version mark `RV1`.
public enum ReviewRecord {
    static let version = "RV1"

    /// The record of `request` (UTF-8), or nil when one of its texts holds a NUL character.
    public static func encode(_ request: RedemptionRequest) -> [UInt8]? {
        var writer = Writer()
        writer.text(version)
        writer.text(request.requestID)
        writer.integer(request.revision)
        writer.text(request.orderNumber)
        writer.integer(request.voucherYear)
        writer.instant(request.submittedAt)
        writer.text(request.enterpriseUSCC)
        writer.text(request.shopID)
        writer.instant(request.order.createdAt)
        writer.text(request.order.status)
        writer.fen(request.order.quotedAmount)
        writer.fen(request.order.plannedVoucherAmount)
        writer.list(request.order.items) { writer, item in
            writer.text(item.serviceID)
            writer.text(item.name)
            writer.text(item.category)
            writer.text(item.shopID)
            writer.integer(item.quantity)
            writer.fen(item.unitPrice)
        }
        writer.list(request.contracts) { writer, contract in
            writer.text(contract.contractNumber)
            writer.fen(contract.amount)
            writer.date(contract.signedOn)
            writer.file(contract.file)
        }
        writer.fen(request.requestedVoucherAmount)
        writer.list(request.invoices) { writer, invoice in
            writer.optionalText(invoice.code)
            writer.text(invoice.number)
            writer.fen(invoice.amount)
            writer.date(invoice.issuedOn)
            writer.text(invoice.sellerUSCC)
            writer.text(invoice.buyerUSCC)
            writer.file(invoice.file)
        }
        writer.list(request.bankReceipts) { writer, receipt in
            writer.fen(receipt.amount)
            writer.date(receipt.paidOn)
            writer.file(receipt.file)
        }
        writer.list(request.serviceReports) { writer, report in
            writer.text(report.serviceID)
            writer.file(report.file)
        }
        writer.list(request.rndProofs) { $0.file($1) }
        writer.list(request.otherMaterials) { $0.file($1) }
        guard !writer.holdsNUL else { return nil }
        return writer.bytes
    }

    /// The request a record holds (attachments without SHA-256 and path), or nil when `text` is
    /// not a whole record of this version.
    public static func decode(_ text: String) -> RedemptionRequest? {
        var text = text
        return text.withUTF8 { bytes in
            var reader = Reader(bytes: bytes)
            return reader.request()
        }
    }

    struct Writer {
        var bytes: [UInt8] = []
        var holdsNUL = false

        init() { bytes.reserveCapacity(1_024) }

        mutating func text(_ value: String) {
            var value = value
            value.withUTF8 { utf8 in
                if utf8.contains(0) { holdsNUL = true }
                digits(UInt64(utf8.count), negative: false)
                bytes.append(UInt8(ascii: ":"))
                bytes.append(contentsOf: utf8)
            }
        }

        mutating func optionalText(_ value: String?) {
            if let value { text(value) } else { bytes.append(UInt8(ascii: "~")) }
        }

        /// A number as a field: its decimal digits, written without an intermediate text.
        mutating func integer<Number: BinaryInteger>(_ value: Number) {
            let wide = Int64(truncatingIfNeeded: value)
            let negative = wide < 0
            let magnitude = wide.magnitude
            let width = Writer.decimalWidth(magnitude) + (negative ? 1 : 0)
            digits(UInt64(width), negative: false)
            bytes.append(UInt8(ascii: ":"))
            digits(magnitude, negative: negative)
        }

        /// How many decimal digits `value` has (at least one).
        static func decimalWidth(_ value: UInt64) -> Int {
            var width = 1
            var rest = value
            while rest >= 10 {
                width += 1
                rest /= 10
            }
            return width
        }

        /// Appends `value` in decimal, with a leading minus when `negative`: the digits are
        /// written in place, last first.
        mutating func digits(_ value: UInt64, negative: Bool) {
            if negative { bytes.append(UInt8(ascii: "-")) }
            if value < 10 {
                bytes.append(UInt8(ascii: "0") + UInt8(value))
                return
            }
            let width = Writer.decimalWidth(value)
            let end = bytes.count + width
            bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
            var rest = value
            var index = end - 1
            while rest > 0 {
                bytes[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                index -= 1
            }
        }

        mutating func fen(_ value: Fen) { integer(value.value) }
        mutating func date(_ value: CivilDate) { integer(value.daysSinceEpoch) }

        mutating func instant(_ value: Instant) {
            integer(value.seconds)
            integer(value.nanoseconds)
        }

        /// A file as the rules see it: name, type and size.
        mutating func file(_ file: FileDescriptor) {
            text(file.name)
            text(file.type)
            integer(file.size)
        }

        /// A list: its count, then each element as `element` writes it (`Reader.list` reads it back).
        mutating func list<Element>(_ elements: [Element], _ element: (inout Writer, Element) -> Void) {
            integer(elements.count)
            for item in elements { element(&self, item) }
        }
    }

    /// Reads fields front to back; any field that is not where and what the form says ends the
    /// reading with nil.
    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        /// The bytes of the next field; nil for a missing optional (`~`) or a broken field.
        mutating func field() -> Slice<UnsafeBufferPointer<UInt8>>?? {
            guard position < bytes.count else { return .none }
            if bytes[position] == UInt8(ascii: "~") {
                position += 1
                return .some(nil)
            }
            var count = 0
            while position < bytes.count, bytes[position] != UInt8(ascii: ":") {
                let digit = bytes[position] &- UInt8(ascii: "0")
                guard digit < 10, count < 1 << 40 else { return .none }
                count = count * 10 + Int(digit)
                position += 1
            }
            guard position < bytes.count, count <= bytes.count - position - 1 else { return .none }
            let start = position + 1
            position = start + count
            return .some(bytes[start..<position])
        }

        mutating func text() -> String? {
            guard case .some(.some(let field)) = field() else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: field), as: UTF8.self)
        }

        mutating func optionalText() -> String?? {
            switch field() {
            case .none: return .none
            case .some(.none): return .some(nil)
            case .some(.some(let field)):
                return .some(String(decoding: UnsafeBufferPointer(rebasing: field), as: UTF8.self))
            }
        }

        /// A signed 64-bit number, `Int64.min` included (its magnitude is one more than `Int64.max`).
        mutating func int64() -> Int64? {
            guard case .some(.some(let field)) = field(), !field.isEmpty else { return nil }
            var digits = field[...]
            let negative = digits.first == UInt8(ascii: "-")
            if negative { digits = digits.dropFirst() }
            guard !digits.isEmpty else { return nil }
            var magnitude: UInt64 = 0
            for byte in digits {
                let digit = byte &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                let (times, overflowTimes) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, overflowSum) = times.addingReportingOverflow(UInt64(digit))
                guard !overflowTimes, !overflowSum else { return nil }
                magnitude = sum
            }
            if negative {
                guard magnitude <= Int64.min.magnitude else { return nil }
                return Int64(truncatingIfNeeded: 0 &- magnitude)
            }
            guard magnitude <= UInt64(Int64.max) else { return nil }
            return Int64(magnitude)
        }

        mutating func int() -> Int? { int64().map { Int($0) } }
        mutating func fen() -> Fen? { int64().map(Fen.init) }
        /// A date as days since 1970-01-01, within a range no calendar arithmetic overflows.
        mutating func date() -> CivilDate? {
            guard let days = int64(), days.magnitude < 100_000_000 else { return nil }
            return CivilDate(daysSinceEpoch: days)
        }

        mutating func instant() -> Instant? {
            guard let seconds = int64(), let nanoseconds = int64(), let small = Int32(exactly: nanoseconds) else {
                return nil
            }
            return Instant(seconds: seconds, nanoseconds: small)
        }

        /// A count of list elements, bounded by what the remaining bytes could hold.
        mutating func count() -> Int? {
            guard let count = int(), count >= 0, count <= bytes.count - position else { return nil }
            return count
        }

        mutating func list<Element>(_ element: (inout Reader) -> Element?) -> [Element]? {
            guard let count = count() else { return nil }
            var elements: [Element] = []
            elements.reserveCapacity(count)
            for _ in 0..<count {
                guard let next = element(&self) else { return nil }
                elements.append(next)
            }
            return elements
        }

        mutating func file() -> FileDescriptor? {
            guard let name = text(), let type = text(), let size = int64() else { return nil }
            return FileDescriptor(name: name, type: type, size: size, sha256: "", path: nil)
        }

        mutating func request() -> RedemptionRequest? {
            guard text() == ReviewRecord.version, let requestID = text(), let revision = int(),
                let orderNumber = text(), let voucherYear = int(), let submittedAt = instant(),
                let enterpriseUSCC = text(), let shopID = text(), let order = order()
            else { return nil }
            guard
                let contracts: [Contract] = list({ reader in
                    guard let number = reader.text(), let amount = reader.fen(), let signedOn = reader.date(),
                        let file = reader.file()
                    else { return nil }
                    return Contract(contractNumber: number, amount: amount, signedOn: signedOn, file: file)
                }),
                let requested = fen(),
                let invoices: [Invoice] = list({ reader in
                    guard case .some(let code) = reader.optionalText(), let number = reader.text(),
                        let amount = reader.fen(), let issuedOn = reader.date(), let seller = reader.text(),
                        let buyer = reader.text(), let file = reader.file()
                    else { return nil }
                    return Invoice(
                        code: code, number: number, amount: amount, issuedOn: issuedOn, sellerUSCC: seller,
                        buyerUSCC: buyer, file: file)
                }),
                let receipts: [BankReceipt] = list({ reader in
                    guard let amount = reader.fen(), let paidOn = reader.date(), let file = reader.file() else {
                        return nil
                    }
                    return BankReceipt(amount: amount, paidOn: paidOn, file: file)
                }),
                let reports: [ServiceReport] = list({ reader in
                    guard let serviceID = reader.text(), let file = reader.file() else { return nil }
                    return ServiceReport(serviceID: serviceID, file: file)
                }),
                let proofs = list({ $0.file() }),
                let others = list({ $0.file() }),
                position == bytes.count
            else { return nil }
            return RedemptionRequest(
                requestID: requestID, revision: revision, orderNumber: orderNumber, voucherYear: voucherYear,
                submittedAt: submittedAt, enterpriseUSCC: enterpriseUSCC, shopID: shopID, order: order,
                contracts: contracts, requestedVoucherAmount: requested, invoices: invoices, bankReceipts: receipts,
                serviceReports: reports, rndProofs: proofs, otherMaterials: others)
        }

        mutating func order() -> Order? {
            guard let createdAt = instant(), let status = text(), let quoted = fen(), let planned = fen(),
                let items: [OrderItem] = list({ reader in
                    guard let serviceID = reader.text(), let name = reader.text(), let category = reader.text(),
                        let shopID = reader.text(), let quantity = reader.int(), let unitPrice = reader.fen()
                    else { return nil }
                    return OrderItem(
                        serviceID: serviceID, name: name, category: category, shopID: shopID, quantity: quantity,
                        unitPrice: unitPrice)
                })
            else { return nil }
            return Order(
                createdAt: createdAt, status: status, quotedAmount: quoted, plannedVoucherAmount: planned,
                items: items)
        }
    }
}

extension RedemptionRequest {
    /// The request as a review record gives it back: every attachment without its SHA-256 and
    /// path (checked at ingest, never read by the rules).
    public var withoutAttachmentIdentity: RedemptionRequest {
        var request = self
        func strip(_ file: inout FileDescriptor) {
            file.sha256 = ""
            file.path = nil
        }
        for index in request.contracts.indices { strip(&request.contracts[index].file) }
        for index in request.invoices.indices { strip(&request.invoices[index].file) }
        for index in request.bankReceipts.indices { strip(&request.bankReceipts[index].file) }
        for index in request.serviceReports.indices { strip(&request.serviceReports[index].file) }
        for index in request.rndProofs.indices { strip(&request.rndProofs[index]) }
        for index in request.otherMaterials.indices { strip(&request.otherMaterials[index]) }
        return request
    }
}
