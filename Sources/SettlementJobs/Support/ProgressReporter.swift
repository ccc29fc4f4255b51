import Foundation

/// A progress line for long stages on a terminal (records/s, elapsed); silent otherwise.
public final class ProgressReporter {
    let label: String
    let enabled: Bool
    let started = Date()
    var lastPrinted = Date.distantPast

    public init(label: String, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.enabled = enabled
    }

    public func tick(_ count: Int) {
        guard enabled, count % 1_000 == 0 else { return }
        let now = Date()
        guard now.timeIntervalSince(lastPrinted) >= 0.5 else { return }
        lastPrinted = now
        print(count, final: false)
    }

    public func finish(_ count: Int) {
        guard enabled, count >= 1_000 else { return }
        print(count, final: true)
    }

    func print(_ count: Int, final: Bool) {
        let milliseconds = max(Int(Date().timeIntervalSince(started) * 1_000), 1)
        let rate = count * 1_000 / milliseconds
        let line = "\r\(label): \(count) records, \(rate)/s, \(milliseconds / 1_000)s elapsed" + (final ? "\n" : "")
        FileHandle.standardError.write(Data(line.utf8))
    }
}
