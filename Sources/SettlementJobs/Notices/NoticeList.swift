import SettlementStore

/// 通知清单: `notices.csv` as its rows are written, one notice at a time, with the counts the
/// manifest reports.
struct NoticeList {
    private var document: CSVStream
    private(set) var summary = NoticeWriter.Summary()

    init(file: StagedFile) throws { document = try CSVStream(file: file, header: NoticeWriter.header) }

    mutating func append(_ notice: NoticeStore.Row) throws {
        summary.produced += 1
        if notice.mobileProblem != nil { summary.withoutMobile += 1 }
        try document.append([
            notice.noticeID, notice.enterpriseUSCC, notice.enterpriseName, notice.contactMobile, notice.orderNumber,
            notice.kind, notice.text,
        ])
    }
}
