import SettlementFormats

/// Turns one parsed JSON line into a `RedemptionRequest`, collecting **every** problem
/// (a missing key, a value of the wrong type or form) with its key path.
public struct RequestDecoder {
    /// The problems found so far, each `path: what`.
    public private(set) var problems: [String] = []
    /// Where the next key is looked for first: just after the last one found. The platform
    /// writes an object's keys in the order they are decoded here, so each is found at once.
    var nextKey = 0

    public init() {}

    /// Decodes a line's JSON; on failure returns `nil` and leaves the problems in `problems`.
    public mutating func decode(_ value: JSONValue) -> RedemptionRequest? {
        problems = []
        guard case .object(let root) = value else {
            problems.append("line: expected an object, found \(value.kindName)")
            return nil
        }
        let requestID = nonEmptyString(root, "request_id", "")
        let revision = integer(root, "revision", "", minimum: 1)
        let orderNumber = string(root, "order_no", "")
        let voucherYear = integer(root, "voucher_year", "", minimum: nil)
        let submittedAt = timestamp(root, "submitted_at", "")
        let enterpriseUSCC = string(root, "enterprise_uscc", "")
        let shopID = string(root, "shop_id", "")
        let order = object(root, "order", "").flatMap { decodeOrder($0, path: "order.") }
        let contracts: [Contract]? = list(root, "contracts", "") { decoder, element, path in
            guard let object = decoder.object(element, path) else { return nil }
            return decoder.decodeContract(object, path: path + ".")
        }
        let requested = money(root, "requested_voucher_amount", "")
        let invoices: [Invoice]? = list(root, "invoices", "") { decoder, element, path in
            guard let object = decoder.object(element, path) else { return nil }
            return decoder.decodeInvoice(object, path: path + ".")
        }
        let receipts: [BankReceipt]? = list(root, "bank_receipts", "") { decoder, element, path in
            guard let object = decoder.object(element, path) else { return nil }
            return decoder.decodeReceipt(object, path: path + ".")
        }
        let reports: [ServiceReport]? = list(root, "service_reports", "") { decoder, element, path in
            guard let object = decoder.object(element, path) else { return nil }
            return decoder.decodeReport(object, path: path + ".")
        }
        let proofs: [FileDescriptor]? = list(root, "rnd_proofs", "") { decoder, element, path in
            guard let object = decoder.object(element, path) else { return nil }
            return decoder.fileHolder(object, path: path + ".")
        }
        let others: [FileDescriptor]? = list(root, "other_materials", "") { decoder, element, path in
            guard let object = decoder.object(element, path) else { return nil }
            return decoder.fileHolder(object, path: path + ".")
        }
        guard problems.isEmpty, let requestID, let revision, let orderNumber, let voucherYear, let submittedAt,
            let enterpriseUSCC, let shopID, let order, let contracts, let requested, let invoices, let receipts,
            let reports, let proofs, let others
        else { return nil }
        return RedemptionRequest(
            requestID: requestID, revision: revision, orderNumber: orderNumber, voucherYear: voucherYear,
            submittedAt: submittedAt, enterpriseUSCC: enterpriseUSCC, shopID: shopID, order: order,
            contracts: contracts, requestedVoucherAmount: requested, invoices: invoices, bankReceipts: receipts,
            serviceReports: reports, rndProofs: proofs, otherMaterials: others)
    }

    /// The `request_id` of a line, when it can be read even though the line is malformed.
    public static func readableRequestID(_ value: JSONValue) -> String? {
        guard case .object(let root) = value, case .string(let id)? = root["request_id"], !id.isEmpty else {
            return nil
        }
        return id
    }

    // MARK: - Nested objects

    mutating func decodeOrder(_ object: JSONObject, path: String) -> Order? {
        let createdAt = timestamp(object, "created_at", path)
        let status = string(object, "status", path)
        let quoted = money(object, "quoted_amount", path)
        let planned = money(object, "planned_voucher_amount", path)
        let items: [OrderItem]? = list(object, "items", path) { decoder, element, path in
            guard let object = decoder.object(element, path) else { return nil }
            return decoder.decodeItem(object, path: path + ".")
        }
        guard let createdAt, let status, let quoted, let planned, let items else { return nil }
        return Order(
            createdAt: createdAt, status: status, quotedAmount: quoted, plannedVoucherAmount: planned, items: items)
    }

    mutating func decodeItem(_ object: JSONObject, path: String) -> OrderItem? {
        let serviceID = string(object, "service_id", path)
        let name = string(object, "name", path)
        let category = string(object, "category", path)
        let shopID = string(object, "shop_id", path)
        let quantity = integer(object, "quantity", path, minimum: 1)
        let unitPrice = money(object, "unit_price", path)
        guard let serviceID, let name, let category, let shopID, let quantity, let unitPrice else { return nil }
        return OrderItem(
            serviceID: serviceID, name: name, category: category, shopID: shopID, quantity: quantity,
            unitPrice: unitPrice)
    }

    mutating func decodeContract(_ object: JSONObject, path: String) -> Contract? {
        let number = string(object, "contract_no", path)
        let amount = money(object, "amount", path)
        let signedOn = date(object, "signed_on", path)
        let file = self.file(object, path)
        guard let number, let amount, let signedOn, let file else { return nil }
        return Contract(contractNumber: number, amount: amount, signedOn: signedOn, file: file)
    }

    mutating func decodeInvoice(_ object: JSONObject, path: String) -> Invoice? {
        var code: String?? = .some(nil)
        switch member(object, "code") {
        case nil, .null?: break
        case .string(let text)?: code = .some(text.isEmpty ? nil : text)
        case .some:
            problems.append(path + "code: expected a string or null")
            code = nil
        }
        let number = string(object, "number", path)
        let amount = money(object, "amount", path)
        let issuedOn = date(object, "issued_on", path)
        let seller = string(object, "seller_uscc", path)
        let buyer = string(object, "buyer_uscc", path)
        let file = self.file(object, path)
        guard let code, let number, let amount, let issuedOn, let seller, let buyer, let file else { return nil }
        return Invoice(
            code: code, number: number, amount: amount, issuedOn: issuedOn, sellerUSCC: seller, buyerUSCC: buyer,
            file: file)
    }

    mutating func decodeReceipt(_ object: JSONObject, path: String) -> BankReceipt? {
        let amount = money(object, "amount", path)
        let paidOn = date(object, "paid_on", path)
        let file = self.file(object, path)
        guard let amount, let paidOn, let file else { return nil }
        return BankReceipt(amount: amount, paidOn: paidOn, file: file)
    }

    mutating func decodeReport(_ object: JSONObject, path: String) -> ServiceReport? {
        let serviceID = string(object, "service_id", path)
        let file = self.file(object, path)
        guard let serviceID, let file else { return nil }
        return ServiceReport(serviceID: serviceID, file: file)
    }

    mutating func fileHolder(_ object: JSONObject, path: String) -> FileDescriptor? {
        file(object, path)
    }

    mutating func file(_ holder: JSONObject, _ path: String) -> FileDescriptor? {
        guard let object = object(holder, "file", path) else { return nil }
        let filePath = path + "file."
        let name = string(object, "name", filePath)
        let type = string(object, "type", filePath)
        let size = integer64(object, "size", filePath, minimum: 0)
        let sha256 = string(object, "sha256", filePath)
        var location: String?? = .some(nil)
        switch member(object, "path") {
        case nil, .null?: break
        case .string(let text)?: location = .some(text)
        case .some(let other):
            problems.append(filePath + "path: expected a string or null, found \(other.kindName)")
            location = nil
        }
        guard let name, let type, let size, let sha256, let location else { return nil }
        return FileDescriptor(name: name, type: type, size: size, sha256: sha256, path: location)
    }

    // MARK: - Leaves

    /// The member `key` of `object`, if present.
    mutating func member(_ object: JSONObject, _ key: String) -> JSONValue? {
        guard let index = object.index(of: key, from: nextKey) else { return nil }
        nextKey = index + 1
        return object.values[index]
    }

    mutating func value(_ object: JSONObject, _ key: String, _ path: String) -> JSONValue? {
        guard let value = member(object, key) else {
            problems.append(path + key + ": missing")
            return nil
        }
        return value
    }

    mutating func string(_ object: JSONObject, _ key: String, _ path: String) -> String? {
        guard let value = value(object, key, path) else { return nil }
        guard case .string(let text) = value else {
            problems.append(path + key + ": expected a string, found \(value.kindName)")
            return nil
        }
        return text
    }

    mutating func nonEmptyString(_ object: JSONObject, _ key: String, _ path: String) -> String? {
        guard let text = string(object, key, path) else { return nil }
        guard !text.isEmpty else {
            problems.append(path + key + ": empty")
            return nil
        }
        return text
    }

    mutating func integer64(_ object: JSONObject, _ key: String, _ path: String, minimum: Int64?) -> Int64? {
        guard let value = value(object, key, path) else { return nil }
        guard case .number(let literal) = value else {
            problems.append(path + key + ": expected an integer, found \(value.kindName)")
            return nil
        }
        guard let number = RequestDecoder.integerLiteral(literal) else {
            problems.append(path + key + ": expected an integer, found '\(literal)'")
            return nil
        }
        if let minimum, number < minimum {
            problems.append(path + key + ": \(number) is below \(minimum)")
            return nil
        }
        return number
    }

    mutating func integer(_ object: JSONObject, _ key: String, _ path: String, minimum: Int?) -> Int? {
        integer64(object, key, path, minimum: minimum.map(Int64.init)).map { Int($0) }
    }

    /// The value of a JSON integer literal (`-?(0|[1-9][0-9]*)`) that fits in 64 bits.
    static func integerLiteral(_ literal: String) -> Int64? {
        var bytes = Substring(literal).utf8[...]
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        }
        guard !bytes.isEmpty else { return nil }
        // Accumulated on the side of the sign, so that -9223372036854775808 fits as well.
        var value: Int64 = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int64(byte - UInt8(ascii: "0"))
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) =
                negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            value = next
        }
        return value
    }

    mutating func money(_ object: JSONObject, _ key: String, _ path: String) -> Fen? {
        guard let value = value(object, key, path) else { return nil }
        guard case .string(let text) = value else {
            problems.append(path + key + ": expected money as a string, found \(value.kindName)")
            return nil
        }
        guard let amount = Fen(yuan: text) else {
            problems.append(path + key + ": bad money '\(RequestDecoder.quoted(text))'")
            return nil
        }
        return amount
    }

    mutating func date(_ object: JSONObject, _ key: String, _ path: String) -> CivilDate? {
        guard let value = value(object, key, path) else { return nil }
        guard case .string(let text) = value else {
            problems.append(path + key + ": expected a date string, found \(value.kindName)")
            return nil
        }
        guard let date = CivilDate(iso: text) else {
            problems.append(path + key + ": bad date '\(RequestDecoder.quoted(text))'")
            return nil
        }
        return date
    }

    mutating func timestamp(_ object: JSONObject, _ key: String, _ path: String) -> Instant? {
        guard let value = value(object, key, path) else { return nil }
        guard case .string(let text) = value else {
            problems.append(path + key + ": expected a timestamp string, found \(value.kindName)")
            return nil
        }
        guard let instant = Instant(rfc3339: text) else {
            problems.append(path + key + ": bad timestamp '\(RequestDecoder.quoted(text))'")
            return nil
        }
        return instant
    }

    mutating func object(_ holder: JSONObject, _ key: String, _ path: String) -> JSONObject? {
        guard let value = value(holder, key, path) else { return nil }
        return object(value, path + key)
    }

    mutating func object(_ value: JSONValue, _ path: String) -> JSONObject? {
        guard case .object(let object) = value else {
            problems.append(path + ": expected an object, found \(value.kindName)")
            return nil
        }
        return object
    }

    mutating func list<Element>(
        _ holder: JSONObject, _ key: String, _ path: String,
        _ decode: (inout RequestDecoder, JSONValue, String) -> Element?
    ) -> [Element]? {
        guard let value = value(holder, key, path) else { return nil }
        guard case .array(let elements) = value else {
            problems.append(path + key + ": expected an array, found \(value.kindName)")
            return nil
        }
        var decoded: [Element] = []
        var complete = true
        for (index, element) in elements.enumerated() {
            if let item = decode(&self, element, path + key + "[\(index)]") {
                decoded.append(item)
            } else {
                complete = false
            }
        }
        return complete ? decoded : nil
    }

    /// A value shown in a detail, shortened and with control characters made visible.
    static func quoted(_ text: String) -> String {
        var shown = ""
        for scalar in text.unicodeScalars.prefix(40) {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                shown += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return text.unicodeScalars.count > 40 ? shown + "…" : shown
    }
}
