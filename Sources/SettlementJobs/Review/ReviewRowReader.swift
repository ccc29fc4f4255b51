import SettlementCore
import SettlementStore

/// Turns one row of the allocation-order query into the core's `ReviewInput`.
enum ReviewRowReader {
    static func input(_ row: QueryResult.Row) throws -> (line: Int, input: ReviewInput) {
        let line = row.int(0) ?? 0
        let body = row.string(1)
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
        let problems = row[2].map { $0.split(separator: "\n").map(String.init) } ?? []
        return (
            line,
            ReviewInput(
                request: request, account: account(row), provider: provider(row), history: history(row.string(30)),
                attachmentProblems: problems)
        )
    }

    static func account(_ row: QueryResult.Row) -> Lookup<VoucherAccount> {
        guard let rosterLine = row[3] else { return .absent }
        if let defect = row[4] {
            return .defective(detail: "vouchers.csv 第 \(rosterLine) 行（\(row.string(21)) 批次）：\(defect)")
        }
        guard let year = row.int(5), let qualifiedOn = CivilDate(iso: row.string(11)),
            let revenue = row.int64(12), let grantedOn = CivilDate(iso: row.string(14)), let quota = row.int64(15),
            let usedBefore = row.int64(16)
        else { return .defective(detail: "vouchers.csv 第 \(rosterLine) 行无法读取") }
        return .found(
            VoucherAccount(
                year: year, uscc: row.string(6), enterpriseName: row.string(7), enterpriseType: row.string(8),
                cityCode: row.string(9), qualificationNumber: row.string(10), qualifiedOn: qualifiedOn,
                priorYearRevenue: Fen(revenue), status: row.string(13), grantedOn: grantedOn, quota: Fen(quota),
                usedBefore: Fen(usedBefore), bankName: row.string(17), bankCode: row.string(18),
                accountName: row.string(19), accountNumber: row.string(20)))
    }

    static func provider(_ row: QueryResult.Row) -> Lookup<Provider> {
        guard let providerLine = row[22] else { return .absent }
        if let defect = row[23] {
            return .defective(detail: "providers.csv 第 \(providerLine) 行（\(row.string(29)) 批次）：\(defect)")
        }
        return .found(
            Provider(
                shopID: row.string(24), uscc: row.string(25), name: row.string(26), status: row.string(27),
                cityCode: row.string(28)))
    }

    static func history(_ text: String) -> [PriorReview] {
        text.split(separator: ",").compactMap { entry in
            let parts = entry.split(separator: "@")
            guard parts.count == 3, let revision = Int(parts[0]), let month = BatchMonth(parts[1]),
                let status = DecisionStatus(rawValue: String(parts[2]))
            else { return nil }
            return PriorReview(revision: revision, month: month, status: status)
        }
    }
}
