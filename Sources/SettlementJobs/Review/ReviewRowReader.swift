import SettlementCore
import SettlementFormats
import SettlementStore

/// Turns one line in allocation order into the core's `ReviewInput`: the request from the record
/// ingest stored beside the line, or, for a line without one, from its JSON decoded again.
enum ReviewRowReader {
    static func input(_ row: ReviewWorkspace.AllocationRow) throws -> ReviewInput {
        let request: RedemptionRequest
        if let record = row.record {
            guard let read = ReviewRecord.decode(record) else {
                throw SettleError(.unexpected, "stored line \(row.line): its review record does not read")
            }
            request = read
        } else if let body = row.body {
            request = try decode(body, line: row.line)
        } else {
            throw SettleError(.unexpected, "stored line \(row.line) has neither a review record nor a body")
        }
        return ReviewInput(
            request: request, account: row.account, provider: row.provider, history: row.history,
            attachmentProblems: row.attachmentProblems)
    }

    static func decode(_ body: String, line: Int) throws -> RedemptionRequest {
        let value: JSONValue
        do {
            value = try JSONParser.parse(Array(body.utf8))
        } catch {
            throw SettleError(.unexpected, "stored line \(line) no longer parses: \(error.message)")
        }
        var decoder = RequestDecoder()
        guard let request = decoder.decode(value) else {
            throw SettleError(.unexpected, "stored line \(line) no longer decodes: \(decoder.problems)")
        }
        return request
    }
}
