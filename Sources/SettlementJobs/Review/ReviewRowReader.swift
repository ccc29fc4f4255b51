import SettlementCore
import SettlementFormats
import SettlementStore

/// Turns one line in allocation order into the core's `ReviewInput` (the stored JSON decoded again).
enum ReviewRowReader {
    static func input(_ row: ReviewWorkspace.AllocationRow) throws -> ReviewInput {
        let value: JSONValue
        do {
            value = try JSONParser.parse(Array(row.body.utf8))
        } catch {
            throw SettleError(.unexpected, "stored line \(row.line) no longer parses: \(error.message)")
        }
        var decoder = RequestDecoder()
        guard let request = decoder.decode(value) else {
            throw SettleError(.unexpected, "stored line \(row.line) no longer decodes: \(decoder.problems)")
        }
        return ReviewInput(
            request: request, account: row.account, provider: row.provider, history: row.history,
            attachmentProblems: row.attachmentProblems)
    }
}
