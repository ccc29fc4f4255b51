import SettlementCore
import SettlementDigest

extension NoticeEvent {
    /// Stable for a (request, revision, event): `N` + 24 hex digits of a SHA-256 over the event's
    /// identity (a rerun or a second copy of the file never makes a second message for it).
    var noticeID: String { "N" + String(SHA256.hex(Array(identity.utf8)).prefix(24)) }
}
