import Foundation
import SettlementCore
import SettlementDigest
import SettlementStore

/// A text file refused as a whole: not valid in its encoding, or unreadable.
public struct InputRefusal: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let message: String
    public var description: String { "\(file): \(message)" }
}

/// Reads a text file line by line (split on LF, the LF removed) in fixed-size chunks, so memory
/// does not grow with the file. Every byte is checked against the encoding first: the first
/// invalid byte refuses the file with its offset. GB18030 lines are converted to UTF-8.
/// A leading byte order mark is dropped. Lines longer than `maximumLineBytes` are not kept in
/// memory: they arrive as `overlong` with their length and hash only.
struct TextLineSource {
    let path: String
    let encoding: BundleEncoding
    var maximumLineBytes = LineReader.maximumLineBytes
    var chunkSize = 1 << 20

    /// One line of the file.
    struct Line {
        /// 1-based.
        let number: Int
        /// The line in UTF-8 without its LF (and without a trailing CR when `dropCR` was set),
        /// or empty when overlong.
        let bytes: [UInt8]
        /// SHA-256 of the line's bytes as found in the file (after the CR was dropped).
        let sha256: String
        /// Set when the line was longer than the limit; then `bytes` is empty.
        let overlongLength: Int?
    }

    /// Calls `body` for each line, in order. `dropCR` removes one trailing CR from each line
    /// before it is hashed (the JSON lines rule); CSV keeps CRs for its own parser.
    func forEachLine(dropCR: Bool, _ body: (Line) throws -> Void) throws {
        let handle: FileHandle
        switch SafeFile.openInput(path) {
        case .success(let opened): handle = opened
        case .failure(let error): throw InputRefusal(file: path, message: error.description)
        }
        defer { try? handle.close() }
        var validator = encoding.makeValidator()
        var offset: Int64 = 0
        var pending: [UInt8] = []
        var overlong: (length: Int, hasher: SHA256)?
        var lineNumber = 1
        var atStart = true

        func emit(_ raw: [UInt8], overlongState: (length: Int, hasher: SHA256)?) throws {
            var raw = raw
            if var state = overlongState {
                if dropCR, raw.last == 0x0D { raw.removeLast() }
                state.hasher.update(raw)
                let length = state.length + raw.count
                try body(
                    Line(number: lineNumber, bytes: [], sha256: state.hasher.finalizeHex(), overlongLength: length))
            } else {
                if dropCR, raw.last == 0x0D { raw.removeLast() }
                let hash = SHA256.hex(raw)
                let text = try convert(raw, line: lineNumber)
                try body(Line(number: lineNumber, bytes: text, sha256: hash, overlongLength: nil))
            }
            lineNumber += 1
        }

        while true {
            let data = try handle.read(upToCount: chunkSize) ?? Data()
            if data.isEmpty { break }
            var chunk = [UInt8](data)
            if let bad = chunk.withUnsafeBytes({ validator.feed($0, at: offset) }) {
                throw InputRefusal(
                    file: path, message: "is not valid \(encoding.rawValue): invalid byte at offset \(bad)")
            }
            offset += Int64(chunk.count)
            if atStart {
                atStart = false
                if chunk.starts(with: encoding.byteOrderMark) { chunk.removeFirst(encoding.byteOrderMark.count) }
            }
            var start = 0
            while let newline = chunk[start...].firstIndex(of: 0x0A) {
                let piece = chunk[start..<newline]
                if var state = overlong {
                    overlong = nil
                    // Hash what was pending before this final piece (CR handling happens on the last bytes).
                    state.hasher.update(pending)
                    state.length += pending.count
                    pending = []
                    try emit(Array(piece), overlongState: state)
                } else {
                    pending.append(contentsOf: piece)
                    let line = pending
                    pending = []
                    if line.count > maximumLineBytes + 1 {
                        var hasher = SHA256()
                        let keep = line.count - 1
                        hasher.update(line[0..<keep])
                        try emit(Array(line[keep...]), overlongState: (keep, hasher))
                    } else {
                        try emit(line, overlongState: nil)
                    }
                }
                start = newline + 1
            }
            pending.append(contentsOf: chunk[start...])
            if pending.count > maximumLineBytes + 1 {
                // Keep the last byte back (it may be the CR to drop); hash the rest now.
                let keep = pending.count - 1
                if overlong == nil { overlong = (0, SHA256()) }
                overlong?.hasher.update(pending[0..<keep])
                overlong?.length += keep
                pending = Array(pending[keep...])
            }
        }
        if let bad = validator.finish() {
            throw InputRefusal(
                file: path, message: "is not valid \(encoding.rawValue): truncated sequence at offset \(bad)")
        }
        if let state = overlong {
            try emit(pending, overlongState: state)
        } else if !pending.isEmpty {
            try emit(pending, overlongState: nil)
        }
    }

    /// Like `forEachLine`, with the file read, checked, hashed and split on a thread of its own,
    /// up to `batches` batches of `batchSize` lines ahead of `body`, which then sets the pace (the
    /// lines of `redemptions.jsonl` are parsed on the calling thread while the next are read).
    /// The same lines arrive in the same order; an error of the file's (an invalid byte) arrives
    /// after the lines before it, as it would have. When `body` throws, the reading stops.
    func forEachLineReadAhead(
        dropCR: Bool, batchSize: Int = 256, batches: Int = 4, _ body: (Line) throws -> Void
    ) throws {
        struct Stopped: Error {}
        let channel = PageChannel<[Line]>(capacity: batches)
        let reading = BackgroundJob()
        let source = self
        reading.start {
            do {
                var batch: [Line] = []
                batch.reserveCapacity(batchSize)
                try source.forEachLine(dropCR: dropCR) { line in
                    batch.append(line)
                    if batch.count == batchSize {
                        if channel.isAbandoned { throw Stopped() }
                        channel.send(batch)
                        batch = []
                        batch.reserveCapacity(batchSize)
                    }
                }
                if !batch.isEmpty { channel.send(batch) }
                channel.finish()
            } catch {
                // Reported where the lines are received, after the lines read before it.
                channel.fail(error)
            }
        }
        do {
            while let batch = try channel.receive() {
                for line in batch { try body(line) }
            }
        } catch {
            channel.abandon()
            try? reading.wait()
            throw error
        }
        try reading.wait()
    }

    /// The line in UTF-8.
    func convert(_ raw: [UInt8], line: Int) throws -> [UInt8] {
        switch encoding {
        case .utf8:
            return raw
        case .gb18030:
            if raw.allSatisfy({ $0 < 0x80 }) { return raw }
            guard let text = String(data: Data(raw), encoding: BundleEncoding.foundationGB18030) else {
                throw InputRefusal(file: path, message: "line \(line) cannot be decoded as GB18030")
            }
            return Array(text.utf8)
        }
    }
}
