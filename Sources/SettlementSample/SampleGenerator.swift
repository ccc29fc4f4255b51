import Foundation
import SettlementCore
import SettlementFormats

/// `settle sample`: writes a synthetic, realistic inbox — rosters, providers and requests for each
/// month, with a realistic share of flawed, malformed and resubmitted requests — deterministically
/// from the seed and streaming, so a million requests stay within a small memory. The first
/// requests of the first months follow a catalogue of scenarios in which every review code and
/// quarantine reason occurs (the sample inbox under SampleData/ is such a run).
public struct SampleGenerator {
    public struct Options: Sendable {
        public var requests: Int
        public var seed: UInt64
        public var months: [BatchMonth]
        public var out: String
        /// Write the attached files too (small ones), so `--verify-attachments` can check them.
        public var attachments: Bool

        public init(requests: Int, seed: UInt64, months: [BatchMonth], out: String, attachments: Bool = false) {
            self.requests = requests
            self.seed = seed
            self.months = months
            self.out = out
            self.attachments = attachments
        }
    }

    /// One line of the scenario catalogue: where it is and what it shows.
    public struct ScenarioNote: Sendable {
        public var month: BatchMonth
        public var requestID: String
        public var shows: String
    }

    public struct Result: Sendable {
        public var lines: [BatchMonth: Int] = [:]
        public var scenarios: [ScenarioNote] = []
        public var enterprises = 0
        public var providers = 0
    }

    let options: Options
    let world: SampleWorld

    public init(options: Options) {
        self.options = options
        let enterprises = max(40, options.requests / 4)
        let providers = max(12, min(options.requests / 150, 2_000))
        world = SampleWorld(
            seed: options.seed, year: options.months.first?.year ?? 2024, enterpriseCount: enterprises,
            providerCount: providers)
    }

    struct Resubmission {
        var requestID: String
        var sequence: Int
        var enterprise: Int
        var provider: Int
        var seed: UInt64
        var month: BatchMonth
        var revision: Int
    }

    public func generate() throws -> Result {
        var result = Result(enterprises: world.enterpriseCount, providers: world.providerCount)
        var carried: [Resubmission] = []
        var anchors = SampleScenarios.Anchors()
        let perMonth = max(options.requests / max(options.months.count, 1), 1)
        for (monthIndex, month) in options.months.enumerated() {
            let directory = options.out + "/" + month.description
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try writeRoster(month: month, monthIndex: monthIndex, directory: directory)
            try writeProviders(directory: directory)
            let writer = try LineWriter(path: directory + "/redemptions.jsonl")
            let builder = SampleRequestBuilder(
                world: world, month: month, attachmentDirectory: options.attachments ? directory : nil)
            var context = MonthContext(month: month, monthIndex: monthIndex, writer: writer, builder: builder)
            var scenarios = SampleScenarios(generator: self)
            try scenarios.write(&context, anchors: &anchors, notes: &result.scenarios)
            var next: [Resubmission] = []
            for entry in carried { try writeResubmission(entry, in: &context, next: &next) }
            while context.written < perMonth || context.sequence < 1 {
                try writeRandom(&context, next: &next, isLastMonth: monthIndex == options.months.count - 1)
            }
            carried = next + context.carryOver
            try writer.close()
            result.lines[month] = context.lines
        }
        return result
    }

    /// What is being written for one month.
    struct MonthContext {
        let month: BatchMonth
        let monthIndex: Int
        let writer: LineWriter
        let builder: SampleRequestBuilder
        var sequence = 0
        var lines = 0
        var written = 0
        var previous: SampleRequestBuilder.Built?
        var carryOver: [Resubmission] = []

        mutating func nextID() -> (String, Int) {
            sequence += 1
            let id =
                "DF" + String(month.year) + String.zeroPadded(month.month, width: 2)
                + String.zeroPadded(sequence, width: 6)
            return (id, sequence)
        }

        mutating func emit(_ line: String) throws {
            try writer.write(line)
            lines += 1
        }

        mutating func emit(_ built: SampleRequestBuilder.Built) throws {
            try emit(RequestJSON.line(built.request, submittedAt: built.submittedAt, createdAt: built.createdAt))
            written += 1
        }
    }

    func seed(_ monthIndex: Int, _ sequence: Int) -> UInt64 {
        options.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(monthIndex) &* 1_000_003 &+ UInt64(sequence)
    }

    func writeRandom(_ context: inout MonthContext, next: inout [Resubmission], isLastMonth: Bool) throws {
        let (id, sequence) = context.nextID()
        let mySeed = seed(context.monthIndex, sequence)
        var rng = SampleRandom(seed: mySeed ^ 0xA5A5)
        let specials = SampleWorld.specialCount
        let heavy = max(world.enterpriseCount / 20, 1)
        let enterprise =
            rng.chance(15)
            ? specials + rng.int(0...(heavy - 1))
            : specials + rng.int(0...(max(world.enterpriseCount - specials, 1) - 1))
        let provider =
            rng.int(0...(world.providerCount - 1)) == SampleWorld.suspendedProvider
            ? 0 : rng.int(0...(world.providerCount - 1))
        var built = try context.builder.build(
            requestID: id, sequence: sequence, enterprise: enterprise, provider: provider, seed: mySeed)
        let roll = rng.int(0...999)
        if roll < 150 {
            let defect = rng.pick(SampleDefect.allCases)
            try defect.apply(
                to: &built.request, otherShop: world.provider((provider + 1) % world.providerCount).shopID
            ) { stem, type in try context.builder.file(stem, type: type, requestID: id, &rng) }
            if defect.isCorrectable, !isLastMonth, rng.chance(40) {
                next.append(
                    Resubmission(
                        requestID: id, sequence: sequence, enterprise: enterprise, provider: provider, seed: mySeed,
                        month: context.month, revision: 2))
            }
        } else if roll < 165, let previous = context.previous {
            // Reuse of another request's invoice or order.
            if rng.chance(50), let reused = previous.request.invoices.first {
                built.request.invoices[0].number = reused.number
            } else {
                built.request.orderNumber = previous.request.orderNumber
            }
        }
        if roll >= 990 {
            // A malformed line: money with a thousands separator.
            let line = RequestJSON.line(built.request, submittedAt: built.submittedAt, createdAt: built.createdAt)
            try context.emit(
                line.replacingOccurrences(
                    of: "\"requested_voucher_amount\":\"", with: "\"requested_voucher_amount\":\"1,"))
            context.written += 1
            return
        }
        try context.emit(built)
        if roll >= 985 && roll < 990 {
            // The platform exported the same line twice.
            try context.emit(
                RequestJSON.line(built.request, submittedAt: built.submittedAt, createdAt: built.createdAt))
        }
        context.previous = built
    }

    /// A corrected revision of an earlier month's request, submitted this month.
    func writeResubmission(_ entry: Resubmission, in context: inout MonthContext, next: inout [Resubmission]) throws {
        let original = SampleRequestBuilder(
            world: world, month: entry.month, attachmentDirectory: context.builder.attachmentDirectory)
        var built = try original.build(
            requestID: entry.requestID, sequence: entry.sequence, enterprise: entry.enterprise,
            provider: entry.provider,
            seed: entry.seed)
        var rng = SampleRandom(seed: entry.seed ^ 0x5A5A)
        let day = rng.int(1...min(context.month.lastDay.day, 25))
        built.submittedAt =
            "\(CivilDate(year: context.month.year, month: context.month.month, day: day) ?? context.month.firstDay)T"
            + original.time(&rng) + "+08:00"
        built.request.submittedAt = Instant(rfc3339: built.submittedAt) ?? built.request.submittedAt
        built.request.revision = entry.revision
        try context.emit(built)
    }

    func writeRoster(month: BatchMonth, monthIndex: Int, directory: String) throws {
        var header = RosterColumns.vouchers + ["contact_mobile", "remark"]
        if monthIndex % 3 == 1 { header = header.reversed() }
        let writer = try LineWriter(path: directory + "/vouchers.csv", byteOrderMark: monthIndex % 3 == 2)
        try writer.write(header.map(CSVFormat.plainCell).joined(separator: ","), ending: "\r\n")
        func row(_ account: VoucherAccount, remark: String) throws {
            var rng = world.random(3, account.uscc.hashValueStable)
            // The notices' contact: a mainland mobile, except for one enterprise in eleven whose
            // roster row has none (its notices list an empty mobile and the reason).
            let mobile = "1" + rng.digits(10)
            let values: [String: String] = [
                "year": String(account.year), "uscc": account.uscc, "enterprise_name": account.enterpriseName,
                "enterprise_type": account.enterpriseType, "city_code": account.cityCode,
                "qualification_no": account.qualificationNumber, "qualified_on": account.qualifiedOn.description,
                "prior_year_revenue": account.priorYearRevenue.yuanText, "status": account.status,
                "granted_on": account.grantedOn.description, "quota": account.quota.yuanText,
                "used_before": account.usedBefore == .zero ? "0" : account.usedBefore.yuanText,
                "bank_name": account.bankName, "bank_code": account.bankCode, "account_name": account.accountName,
                "account_number": account.accountNumber,
                "contact_mobile": account.uscc.hashValueStable % 11 == 3 ? "" : mobile, "remark": remark,
            ]
            try writer.write(
                header.map { CSVFormat.plainCell(values[$0] ?? "") }.joined(separator: ","), ending: "\r\n")
        }
        for index in 0..<world.enterpriseCount {
            var account = world.enterprise(index)
            if index == SampleWorld.correctedAccount, monthIndex >= 2 {
                // The bank returned this enterprise's July payment; the account was corrected since.
                account.accountNumber = "6222" + String(account.accountNumber.dropFirst(4).reversed())
            }
            try row(account, remark: index % 17 == 5 ? "已核实,材料齐全\n第二行" : "")
        }
        // Last year's voucher of enterprise 0, for the expired-voucher scenario.
        var lastYear = world.enterprise(0)
        lastYear.year = month.year - 1
        lastYear.grantedOn = CivilDate(year: month.year - 1, month: 3, day: 1) ?? lastYear.grantedOn
        lastYear.qualifiedOn = CivilDate(year: month.year - 1, month: 2, day: 1) ?? lastYear.qualifiedOn
        try row(lastYear, remark: "上一年度")
        try writer.close()
    }

    func writeProviders(directory: String) throws {
        let writer = try LineWriter(path: directory + "/providers.csv")
        try writer.write(RosterColumns.providers.joined(separator: ","))
        for index in 0..<world.providerCount {
            let provider = world.provider(index)
            try writer.write(
                [provider.shopID, provider.uscc, provider.name, provider.status, provider.cityCode].map(
                    CSVFormat.plainCell
                )
                .joined(separator: ","))
        }
        try writer.close()
    }
}

/// Buffered line output.
final class LineWriter {
    let handle: FileHandle
    var buffer: [UInt8] = []

    init(path: String, byteOrderMark: Bool = false) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else {
            throw SampleError("cannot write \(path)")
        }
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
        if byteOrderMark { buffer += [0xEF, 0xBB, 0xBF] }
    }

    func write(_ line: String, ending: String = "\n") throws {
        buffer.append(contentsOf: line.utf8)
        buffer.append(contentsOf: ending.utf8)
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        try handle.close()
    }
}

extension String {
    /// A hash that is the same in every process (Swift's `hashValue` is seeded per run).
    var hashValueStable: Int {
        var hasher = Hasher64Stable()
        for byte in utf8 { hasher.add(byte) }
        return Int(truncatingIfNeeded: hasher.value & 0x7FFF_FFFF)
    }
}

struct Hasher64Stable {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325
    mutating func add(_ byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x100_0000_01b3
    }
}
