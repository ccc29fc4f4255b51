import Foundation
import SettlementCore

/// The job configuration (`Jobs/settlement.toml` or `--config`), validated at start: an unknown
/// key or a bad value is an error naming it. Relative paths are relative to the file's directory.
public struct SettleConfiguration: Sendable {
    public var inbox: String
    public var out: String
    public var databaseURL: String?
    public var policyDirectory: String
    public var calendarDirectory: String
    public var payer: Payer
    public var maximumLinesPerFile: Int
    /// The 用途 text; `{year}` and `{month}` are replaced (e.g. `省科技创新券兑付{year}年{month}月`).
    public var purposeTemplate: String
    public var bankXSD: String?
    public var publicityContact: String
    /// `[release] single_person`: one person may prepare and release a payment batch (small test
    /// set-ups only; logged loudly on every approval).
    public var singlePersonRelease = false
    /// `[release] remind_after_days`: prepared batches older than this are reported by status and cycle.
    public var releaseReminderDays = 3
    /// `[notices]`: the signature and the text templates of the SMS notices.
    public var noticeTemplates = NoticeTemplates()
    /// Where the configuration came from (for messages); empty for the built-in defaults.
    public var source: String

    /// The paying account (debtor) for the bank files.
    public struct Payer: Sendable, Equatable {
        public var name: String
        public var account: String
        public var bankName: String
        public var bankCode: String
    }

    /// Defaults relative to `base` (the project directory), used when no file exists.
    public static func defaults(base: String) -> SettleConfiguration {
        SettleConfiguration(
            inbox: base + "/inbox", out: base + "/out", databaseURL: nil, policyDirectory: base + "/Jobs/policy",
            calendarDirectory: base + "/Jobs/calendar",
            payer: Payer(name: "", account: "", bankName: "", bankCode: ""), maximumLinesPerFile: 1_000,
            purposeTemplate: "省科技创新券兑付{year}年{month}月", bankXSD: nil, publicityContact: "", source: "")
    }

    /// Reads and validates a configuration file.
    public static func load(path: String) throws -> SettleConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SettleError.usage("configuration file \(path) cannot be read")
        }
        let text = String(decoding: data, as: UTF8.self)
        let directory = (path as NSString).deletingLastPathComponent
        do {
            return try parse(text, directory: directory.isEmpty ? "." : directory, source: path)
        } catch let error as PolicyError {
            throw SettleError.usage("configuration \(path): \(error)")
        }
    }

    static func parse(_ text: String, directory: String, source: String) throws -> SettleConfiguration {
        let table = try PolicyReader.table(text)
        func resolve(_ path: String) -> String {
            path.hasPrefix("/")
                ? path : ((directory as NSString).appendingPathComponent(path) as NSString).standardizingPath
        }
        let projectDirectory = ((directory as NSString).appendingPathComponent("..") as NSString).standardizingPath
        var configuration = SettleConfiguration.defaults(base: projectDirectory)
        configuration.source = source
        var keys = KeyReader(table: table, prefix: "")
        if let inbox = try keys.string("inbox") { configuration.inbox = resolve(inbox) }
        if let out = try keys.string("out") { configuration.out = resolve(out) }
        if let url = try keys.string("database_url") {
            guard !url.contains("password=") else {
                throw PolicyError(key: "database_url", problem: "must not hold a password; use PGPASSWORD or ~/.pgpass")
            }
            configuration.databaseURL = url.isEmpty ? nil : url
        }
        if let policy = try keys.string("policy_dir") { configuration.policyDirectory = resolve(policy) }
        if let calendar = try keys.string("calendar_dir") { configuration.calendarDirectory = resolve(calendar) }
        if var payer = try keys.table("payer") {
            configuration.payer.name = try payer.string("name") ?? ""
            configuration.payer.account = try payer.string("account") ?? ""
            configuration.payer.bankName = try payer.string("bank_name") ?? ""
            configuration.payer.bankCode = try payer.string("bank_code") ?? ""
            if !configuration.payer.account.isEmpty, !BankAccountFormats.isAccountNumber(configuration.payer.account) {
                throw PolicyError(key: "payer.account", problem: "must be 6 to 32 digits")
            }
            if !configuration.payer.bankCode.isEmpty, !BankAccountFormats.isCNAPSCode(configuration.payer.bankCode) {
                throw PolicyError(key: "payer.bank_code", problem: "must be a 12-digit CNAPS code")
            }
            try payer.finish()
        }
        if var bank = try keys.table("bank") {
            configuration.maximumLinesPerFile =
                try bank.integer("max_lines_per_file", in: 1...100_000) ?? configuration.maximumLinesPerFile
            if let purpose = try bank.string("purpose") {
                let sample = SettleConfiguration.purpose(purpose, month: BatchMonth(year: 2024, month: 12))
                guard sample.count <= 40 else {
                    throw PolicyError(key: "bank.purpose", problem: "gives more than 40 characters ('\(sample)')")
                }
                configuration.purposeTemplate = purpose
            }
            if let xsd = try bank.string("xsd") { configuration.bankXSD = xsd.isEmpty ? nil : resolve(xsd) }
            try bank.finish()
        }
        if var publicity = try keys.table("publicity") {
            configuration.publicityContact = try publicity.string("contact") ?? ""
            try publicity.finish()
        }
        if var notices = try keys.table("notices") {
            if let signature = try notices.string("signature") { configuration.noticeTemplates.signature = signature }
            for kind in NoticeKind.allCases {
                if let text = try notices.string(kind.rawValue) { configuration.noticeTemplates.texts[kind] = text }
            }
            try notices.finish()
        }
        if var release = try keys.table("release") {
            configuration.singlePersonRelease = try release.bool("single_person") ?? false
            configuration.releaseReminderDays =
                try release.integer("remind_after_days", in: 0...365) ?? configuration.releaseReminderDays
            try release.finish()
        }
        try keys.finish()
        return configuration
    }

    /// The 用途 text for a batch month.
    public static func purpose(_ template: String, month: BatchMonth?) -> String {
        guard let month else { return template }
        let monthText = month.month < 10 ? "0\(month.month)" : "\(month.month)"
        return template.replacingOccurrences(of: "{year}", with: String(month.year))
            .replacingOccurrences(of: "{month}", with: monthText)
    }

    public func purpose(for month: BatchMonth) -> String {
        SettleConfiguration.purpose(purposeTemplate, month: month)
    }

    /// Whether the payer is configured well enough to write bank files.
    public func payerProblem() -> String? {
        if payer.name.isEmpty { return "payer.name is not configured" }
        if !BankAccountFormats.isAccountNumber(payer.account) { return "payer.account is not configured" }
        if payer.bankName.isEmpty { return "payer.bank_name is not configured" }
        if !BankAccountFormats.isCNAPSCode(payer.bankCode) { return "payer.bank_code is not configured" }
        let outside = GBKText.charactersOutsideGBK(payer.name + payer.bankName + purposeTemplate)
        if !outside.isEmpty {
            return "payer.name, payer.bank_name or bank.purpose has characters outside GBK: \(String(outside))"
        }
        let controls = GBKText.controlCharacters(payer.name + payer.bankName + purposeTemplate)
        if !controls.isEmpty {
            return "payer.name, payer.bank_name or bank.purpose has control characters (\(controls)) a line of the "
                + "batch file cannot carry"
        }
        return nil
    }
}
