import Foundation
import Logging
import SettlementCore
import SettlementFormats
import SettlementJobs
import SettlementSample
import SettlementStore
import Testing

/// Runs the stages against a test database, with the repository's policy and calendar files and
/// a temporary output directory.
struct StageHarness {
    let database: TestDatabase
    let connection: Connection
    let out: String
    let configuration: SettleConfiguration
    let policies: PolicyBook
    let logger = Logger(label: "test")

    static var repositoryRoot: String {
        // Tests/IntegrationTests/Support/StageHarness.swift → the repository.
        let file = URL(fileURLWithPath: #filePath)
        return file.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    static var fixtures: String {
        (Bundle.module.resourceURL ?? URL(fileURLWithPath: ".")).appendingPathComponent("Fixtures").path
    }

    init(database: TestDatabase) throws {
        self.database = database
        connection = try database.connect()
        out = ScratchRoot.path + "/out-" + database.name
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var configuration = try SettleConfiguration.load(path: StageHarness.repositoryRoot + "/Jobs/settlement.toml")
        configuration.out = out
        self.configuration = configuration
        policies = try PolicyBook.load(
            policyDirectory: configuration.policyDirectory, calendarDirectory: configuration.calendarDirectory)
    }

    func ingest(_ directory: String, encoding: BundleEncoding = .utf8, verify: Bool = false) throws
        -> IngestStage.Summary
    {
        try IngestStage(connection: connection, logger: logger).run(
            IngestStage.Options(bundleDirectory: directory, encoding: encoding, verifyAttachments: verify))
    }

    func review(_ month: String, asOf: String? = nil, dryRun: Bool = false) throws -> ReviewStage.Summary {
        let batch = try self.month(month)
        var options = ReviewStage.Options(
            month: batch, asOf: try date(asOf) ?? batch.next.firstDay, out: out)
        options.dryRun = dryRun
        return try ReviewStage(context)
            .run(options)
    }

    func rerun(_ month: String, asOf: String, reason: String, bundle: String? = nil) throws -> ReviewStage.Summary {
        var options = ReviewStage.Options(
            month: try self.month(month), asOf: try date(asOf) ?? CivilDate(daysSinceEpoch: 0), out: out)
        options.rerunReason = reason
        options.rerunBundle = bundle.map { IngestStage.Options(bundleDirectory: $0) }
        return try ReviewStage(context)
            .run(options)
    }

    func disburse(
        _ month: String, asOf: String, objections: String? = nil, xsd: String? = nil,
        configure: (inout SettleConfiguration) -> Void = { _ in }
    ) throws -> DisburseStage.Summary {
        var options = DisburseStage.Options(
            month: try self.month(month), asOf: try date(asOf) ?? CivilDate(daysSinceEpoch: 0), out: out)
        options.objections = objections
        options.xsd = xsd
        var configuration = self.configuration
        configure(&configuration)
        return try DisburseStage(
            StageContext(connection: connection, configuration: configuration, policies: policies, logger: logger)
        ).run(options)
    }

    func cycle(asOf: String, inbox: String, verify: Bool = false) throws -> CycleStage.Summary {
        var options = CycleStage.Options(asOf: try date(asOf) ?? CivilDate(daysSinceEpoch: 0), inbox: inbox, out: out)
        options.verifyAttachments = verify
        return try CycleStage(context)
            .run(options)
    }

    func reconcile(_ file: String) throws -> ReconcileStage.Summary {
        try ReconcileStage(connection: connection, configuration: configuration, logger: logger)
            .run(ReconcileStage.Options(file: file, out: out))
    }

    var context: StageContext {
        StageContext(connection: connection, configuration: configuration, policies: policies, logger: logger)
    }

    func month(_ text: String) throws -> BatchMonth {
        guard let month = BatchMonth(text) else { throw TestSetupError("bad month \(text)") }
        return month
    }

    func date(_ text: String?) throws -> CivilDate? {
        guard let text else { return nil }
        guard let date = CivilDate(iso: text) else { throw TestSetupError("bad date \(text)") }
        return date
    }

    /// The rows of a CSV output (BOM and formula guards removed), header first.
    func csv(_ path: String) throws -> [[String]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var parser = CSVParser()
        var rows: [[String]] = []
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        parser.feed(bytes) { rows.append($0.fields.map(CSVFormat.unguarded)) }
        parser.finish { rows.append($0.fields.map(CSVFormat.unguarded)) }
        return rows
    }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: out)
        database.drop()
    }
}

/// Runs `body` with a harness on a fresh database, cleaning up afterwards.
func withHarness<T>(icuLocale: String? = nil, _ body: (StageHarness) throws -> T) throws -> T {
    let harness = try StageHarness(database: try TestDatabase.make(icuLocale: icuLocale))
    defer { harness.cleanUp() }
    return try body(harness)
}

/// A scratch directory for bundles a test writes, under this test process's `ScratchRoot`.
func scratchDirectory() throws -> String {
    let path = ScratchRoot.path + "/" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A generated bundle of `requests` requests for August 2024 (without attachment files) in a
/// scratch directory; returns the month's inbox (`…/2024-08`).
func augustSampleInbox(requests: Int, seed: UInt64) throws -> String {
    let directory = try scratchDirectory()
    let month = try #require(BatchMonth("2024-08"))
    _ = try SampleGenerator(
        options: SampleGenerator.Options(
            requests: requests, seed: seed, months: [month], out: directory, attachments: false)
    ).generate()
    return directory + "/2024-08"
}

/// Where a test process's scratch directories live: one directory per process, removed when the
/// process exits; a run killed before it could remove its own is removed by the next run (its
/// process is gone). Tests need not clean up after themselves, and the temporary directory does
/// not fill up run after run.
enum ScratchRoot {
    static let prefix = "settle-tests-"

    static let path: String = {
        let temporary = NSTemporaryDirectory()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
        where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count)), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            try? FileManager.default.removeItem(atPath: temporary + "/" + name)
        }
        let root = temporary + "/" + prefix + String(getpid())
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: ScratchRoot.path) }
        return root
    }()
}
