import Foundation

/// Pages handed from one thread to another in order, at most `capacity` of them waiting: the
/// sending side waits while the receiving side is behind (memory holds a few pages, never the
/// batch), the receiving side waits for the next page. The sending side ends the stream with
/// `finish()` or `fail(_:)`; a receiving side that gives up calls `abandon()`, after which pages
/// sent are dropped instead of waited for (its own error is reported where it is waited for).
final class PageChannel<Page>: @unchecked Sendable {
    private let condition = NSCondition()
    private var waiting: [Page] = []
    private var finished = false
    private var failure: (any Error)?
    private var abandoned = false
    let capacity: Int

    init(capacity: Int = 2) {
        precondition(capacity > 0, "a channel holds at least one page")
        self.capacity = capacity
    }

    /// Hands `page` over, waiting while `capacity` pages are waiting.
    func send(_ page: Page) {
        condition.lock()
        defer { condition.unlock() }
        precondition(!finished && failure == nil, "a page was sent after the end of the stream")
        while waiting.count >= capacity && !abandoned { condition.wait() }
        guard !abandoned else { return }
        waiting.append(page)
        condition.broadcast()
    }

    /// No page will follow.
    func finish() { end(nil) }

    /// No page will follow; the receiving side throws `error` once it has the pages sent before.
    func fail(_ error: any Error) { end(error) }

    private func end(_ error: (any Error)?) {
        condition.lock()
        defer { condition.unlock() }
        guard !finished && failure == nil else { return }
        if let error { failure = error } else { finished = true }
        condition.broadcast()
    }

    /// The next page; nil once the stream has finished. Rethrows the sending side's failure.
    func receive() throws -> Page? {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty && !finished && failure == nil { condition.wait() }
        if !waiting.isEmpty {
            condition.broadcast()
            return waiting.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }

    /// Whether the receiving side has stopped (`abandon()`): the sender may stop making pages.
    var isAbandoned: Bool {
        condition.lock()
        defer { condition.unlock() }
        return abandoned
    }

    /// The receiving side stops: pages sent from now on are dropped, and a sender waiting goes on.
    func abandon() {
        condition.lock()
        defer { condition.unlock() }
        abandoned = true
        waiting = []
        condition.broadcast()
    }
}
