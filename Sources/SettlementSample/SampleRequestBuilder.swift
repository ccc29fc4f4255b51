import Foundation
import SettlementCore
import SettlementDigest
import SettlementFormats

/// Builds one realistic request: an order of one provider's services, its contract, invoices and
/// bank receipts adding up, the reports and the R&D proof. Deterministic for its own seed.
struct SampleRequestBuilder {
    let world: SampleWorld
    let month: BatchMonth
    /// Where attachments are written, when the inbox carries its files.
    let attachmentDirectory: String?

    struct Built {
        var request: RedemptionRequest
        var submittedAt: String
        var createdAt: String
    }

    /// `day` fixes the day of submission in the month (else it is drawn).
    func build(requestID: String, sequence: Int, enterprise: Int, provider: Int, seed: UInt64, day fixedDay: Int? = nil)
        throws -> Built
    {
        var rng = SampleRandom(seed: seed)
        let account = world.enterprise(enterprise)
        let shop = world.provider(provider)
        let drawn = rng.int(1...month.lastDay.day)
        let day = min(fixedDay ?? drawn, month.lastDay.day)
        let submittedDate = CivilDate(year: month.year, month: month.month, day: day) ?? month.firstDay
        let submittedAt = "\(submittedDate)T" + time(&rng) + "+08:00"
        // The order: after the voucher was granted, in the voucher year, at least a week before submission.
        let earliest = max(
            account.grantedOn.adding(days: 1), CivilDate(year: month.year, month: 1, day: 2) ?? month.firstDay)
        let latest = submittedDate.adding(days: -7)
        let span = max(Int(latest.daysSinceEpoch - earliest.daysSinceEpoch), 0)
        let created = latest < earliest ? earliest : earliest.adding(days: rng.int(0...span))
        let createdAt = "\(created)T" + time(&rng) + "+08:00"

        let service = rng.pick(SampleCatalogue.services)
        var items: [OrderItem] = []
        for index in 0..<rng.int(1...(service.names.count > 1 ? 2 : 1)) {
            // Mostly a few thousand yuan, sometimes tens of thousands, now and then a large contract.
            let roll = rng.int(0...99)
            let unit =
                roll < 60
                ? rng.int64(30_000...800_000)
                : roll < 92 ? rng.int64(800_000...6_000_000) : rng.int64(6_000_000...30_000_000)
            items.append(
                OrderItem(
                    serviceID: "LCFW" + String.zeroPadded(sequence % 100_000_000, width: 8) + String(index),
                    name: service.names[index % service.names.count], category: service.category, shopID: shop.shopID,
                    quantity: rng.int(1...2), unitPrice: Fen(unit)))
        }
        let total = Fen(items.map { $0.unitPrice.value * Int64($0.quantity) }.reduce(0, +))
        let ratio: Int64 =
            ["3203", "3207", "3208", "3209", "3213"].contains(CityCode.cityPrefix(account.cityCode)) ? 3_500 : 2_500
        let planned = Fen((total.value * ratio + 5_000) / 10_000)
        var requested = planned
        let roll = rng.int(0...99)
        if roll < 8 { requested = Fen(planned.value + rng.int64(1...max(planned.value / 5, 1))) }
        if roll >= 92 { requested = Fen(max(planned.value - rng.int64(0...max(planned.value / 4, 1)), 1)) }

        let issued = min(created.adding(days: rng.int(2...6)), submittedDate)
        let yy = month.year % 100
        var invoices: [Invoice] = []
        let split = total.value >= 200 && rng.chance(20) ? total.value / 2 : total.value
        for (index, amount) in [split, total.value - split].enumerated() where amount > 0 || index == 0 {
            invoices.append(
                Invoice(
                    code: nil,
                    number: "\(String.zeroPadded(yy, width: 2))32" + String.zeroPadded(month.month, width: 2)
                        + String.zeroPadded(sequence, width: 9) + String(index) + rng.digits(4),
                    amount: Fen(amount), issuedOn: issued, sellerUSCC: shop.uscc, buyerUSCC: account.uscc,
                    file: try file(
                        "invoice-\(index + 1)", type: rng.chance(50) ? "pdf" : "png", requestID: requestID, &rng)))
        }
        var receipts: [BankReceipt] = []
        let first = rng.chance(25) && total.value > 100 ? total.value * Int64(rng.int(30...70)) / 100 : total.value
        for (index, amount) in [first, total.value - first].enumerated() where amount > 0 || index == 0 {
            receipts.append(
                BankReceipt(
                    amount: Fen(amount), paidOn: min(issued.adding(days: rng.int(0...5)), submittedDate),
                    file: try file(
                        "receipt-\(index + 1)", type: rng.pick(["pdf", "jpg", "png"]), requestID: requestID, &rng)))
        }
        var reports: [ServiceReport] = []
        for item in items {
            reports.append(
                ServiceReport(
                    serviceID: item.serviceID,
                    file: try file("report-\(item.serviceID)", type: "pdf", requestID: requestID, &rng)))
        }
        let others = rng.chance(30) ? [try file("other-1", type: "pdf", requestID: requestID, &rng)] : []
        let request = RedemptionRequest(
            requestID: requestID, revision: 1,
            orderNumber: "CXQ" + compact(created) + String.zeroPadded(month.month, width: 2)
                + String.zeroPadded(sequence, width: 6),
            voucherYear: month.year, submittedAt: Instant(rfc3339: submittedAt) ?? Instant(seconds: 0, nanoseconds: 0),
            enterpriseUSCC: account.uscc, shopID: shop.shopID,
            order: Order(
                createdAt: Instant(rfc3339: createdAt) ?? Instant(seconds: 0, nanoseconds: 0),
                status: rng.chance(70) ? "completed" : "in_service", quotedAmount: total, plannedVoucherAmount: planned,
                items: items),
            contracts: [
                Contract(
                    contractNumber:
                        "HT-\(shop.shopID)-\(month.year)\(String.zeroPadded(month.month, width: 2))-\(sequence)",
                    amount: total, signedOn: created.adding(days: 1),
                    file: try file("contract", type: "pdf", requestID: requestID, &rng))
            ],
            requestedVoucherAmount: requested, invoices: invoices, bankReceipts: receipts, serviceReports: reports,
            rndProofs: [try file("rnd", type: "pdf", requestID: requestID, &rng)], otherMaterials: others)
        return Built(request: request, submittedAt: submittedAt, createdAt: createdAt)
    }

    func time(_ rng: inout SampleRandom) -> String {
        String.zeroPadded(rng.int(8...21), width: 2) + ":" + String.zeroPadded(rng.int(0...59), width: 2) + ":"
            + String.zeroPadded(rng.int(0...59), width: 2)
    }

    func compact(_ date: CivilDate) -> String { date.description.replacingOccurrences(of: "-", with: "") }

    static let magic: [String: [UInt8]] = [
        "pdf": Array("%PDF-1.4\n".utf8), "jpg": [0xFF, 0xD8, 0xFF, 0xE0],
        "png": [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
    ]

    /// A file descriptor; with an attachment directory the file itself is written and the
    /// descriptor tells its true size and SHA-256.
    func file(_ stem: String, type: String, requestID: String, _ rng: inout SampleRandom) throws -> FileDescriptor {
        let names = [
            "contract": "技术服务合同", "rnd": "研发活动证明", "other-1": "情况说明",
        ]
        let display = (names[stem] ?? stem) + "." + type
        let path = "attachments/\(requestID)/\(stem).\(type)"
        guard let directory = attachmentDirectory else {
            var hex = ""
            for _ in 0..<4 { hex += String(rng.next(), radix: 16).leftPadded(16) }
            return FileDescriptor(
                name: display, type: type, size: rng.int64(20_000...4_000_000), sha256: hex, path: path)
        }
        var content = SampleRequestBuilder.magic[type] ?? []
        content += Array("settle sample attachment \(requestID) \(stem)\n".utf8)
        for _ in 0..<rng.int(4...24) { content += Array(String(rng.next(), radix: 36).utf8) + [0x0A] }
        let full = directory + "/" + path
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(content).write(to: URL(fileURLWithPath: full))
        return FileDescriptor(
            name: display, type: type, size: Int64(content.count), sha256: SHA256.hex(content), path: path)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
