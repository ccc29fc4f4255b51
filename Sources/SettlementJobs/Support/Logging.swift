import Foundation
import Logging

/// Log lines for people on a terminal, one JSON object per line for cron and log shippers.
public enum LogFormat: String, Sendable, CaseIterable {
    case text, json

    /// JSON unless standard error is a terminal.
    public static var automatic: LogFormat { isatty(STDERR_FILENO) == 1 ? .text : .json }
}

/// Writes to standard error; every line carries the metadata set on the logger (the run id).
public struct SettleLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    let format: LogFormat

    public init(label: String, format: LogFormat) {
        self.label = label
        self.format = format
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let line: String
        switch format {
        case .text:
            let context = merged.keys.sorted().map { "\($0)=\(merged[$0].map { "\($0)" } ?? "")" }.joined(
                separator: " ")
            let prefix = event.level >= .warning ? "\(event.level): " : ""
            line = prefix + "\(event.message)" + (context.isEmpty ? "" : "  [\(context)]") + "\n"
        case .json:
            var object: [String: String] = ["level": "\(event.level)", "message": "\(event.message)", "logger": label]
            object["time"] = ISO8601DateFormatter().string(from: Date())
            for (key, value) in merged { object[key] = "\(value)" }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            line = String(decoding: data, as: UTF8.self) + "\n"
        }
        FileHandle.standardError.write(Data(line.utf8))
    }
}

/// One logger per process, set up by the CLI.
public enum SettleLog {
    public static func bootstrap(format: LogFormat) {
        LoggingSystem.bootstrap { label in SettleLogHandler(label: label, format: format) }
    }
}
