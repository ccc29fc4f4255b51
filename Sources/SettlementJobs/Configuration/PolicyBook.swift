import Foundation
import SettlementCore
import SettlementDigest

/// The yearly policies and working-day calendars, read from their directories and validated,
/// with one hash over every file read (recorded with each run).
public struct PolicyBook: Sendable {
    public let policies: [Int: Policy]
    public let calendar: WorkingDayCalendar
    /// SHA-256 over the names and contents of the policy and calendar files.
    public let hash: String

    public init(policies: [Int: Policy], calendar: WorkingDayCalendar, hash: String) {
        self.policies = policies
        self.calendar = calendar
        self.hash = hash
    }

    public func policy(for year: Int) -> Policy { policies[year] ?? Policy(year: year) }

    /// Reads `<policy_dir>/<year>.toml` and `<calendar_dir>/<year>.toml`. A bad file is a
    /// configuration error (exit 2) naming the file and key.
    public static func load(policyDirectory: String, calendarDirectory: String) throws -> PolicyBook {
        var hasher = SHA256()
        var policies: [Int: Policy] = [:]
        for (year, path) in try yearlyFiles(in: policyDirectory) {
            let text = try read(path, into: &hasher)
            do {
                policies[year] = try PolicyReader.read(text, expectedYear: year)
            } catch {
                throw SettleError.usage("policy \(path): \(error)")
            }
        }
        var calendar = WorkingDayCalendar()
        for (_, path) in try yearlyFiles(in: calendarDirectory) {
            let text = try read(path, into: &hasher)
            do {
                try calendar.read(text)
            } catch {
                throw SettleError.usage("calendar \(path): \(error)")
            }
        }
        return PolicyBook(policies: policies, calendar: calendar, hash: hasher.finalizeHex())
    }

    public static func yearlyFiles(in directory: String) throws -> [(Int, String)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw SettleError.usage("directory \(directory) cannot be read")
        }
        return names.compactMap { name -> (Int, String)? in
            guard name.hasSuffix(".toml"), let year = Int(name.dropLast(5)), (2000...2100).contains(year) else {
                return nil
            }
            return (year, directory + "/" + name)
        }.sorted { $0.0 < $1.0 }
    }

    static func read(_ path: String, into hasher: inout SHA256) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SettleError.usage("cannot read \(path)")
        }
        hasher.update(Array(((path as NSString).lastPathComponent + "\n").utf8))
        hasher.update(Array(data))
        return String(decoding: data, as: UTF8.self)
    }
}
