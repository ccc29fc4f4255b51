import SettlementCore
import SettlementStore

/// 公示名单: the accepted requests of a review, ordered by city code, enterprise name and order
/// number. No bank data, no USCC, no personal data. Written row by row as CSV and HTML at once.
struct PublicityList {
    static let header = ["序号", "企业名称", "所在地市", "服务单位", "订单编号", "合同金额（元）", "拟兑付金额（元）"]

    /// The accepted decisions, as the review's reader lists them.
    let listing: ReviewListing
    let month: BatchMonth
    let window: PublicityWindow
    let workingDays: Int
    let contact: String

    var title: String { "\(month.year)年\(month.month)月江苏省科技创新券兑付公示名单" }

    /// Rows handed over at a time.
    static let pageSize = 2_000

    static func cityName(_ cityCode: String) -> String {
        CityCode.cityName(prefix: CityCode.cityPrefix(cityCode)) ?? cityCode
    }

    /// Writes `publicity.csv` and `publicity.html`, and hands `pages` the rows written, a page at
    /// a time (the workbook's 公示); returns the count and total listed.
    func write(into output: OutputDirectory, pages: ([[String]]) -> Void) throws -> (count: Int, total: Fen) {
        let (count, total) = try listing.publicityTotals()
        try output.stream("publicity.csv") { csvFile in
            try output.stream("publicity.html") { html in
                var csv = try CSVStream(file: csvFile, header: PublicityList.header)
                try html.write(HTML.pageStart(title: title) + opening(count: count, total: total))
                try html.write(HTML.tableStart(PublicityList.header, numeric: [0, 5, 6]))
                var number = 0
                var page: [[String]] = []
                page.reserveCapacity(PublicityList.pageSize)
                try listing.forEachPublicityRow { d in
                    number += 1
                    let row = [
                        String(number), d.enterpriseName, PublicityList.cityName(d.cityCode), d.providerName,
                        d.orderNumber, d.contractAmount.yuanText, d.payable.yuanText,
                    ]
                    try csv.append(row)
                    try html.write { HTML.appendTableRow(row, numeric: [0, 5, 6], nowrap: [2, 4], to: &$0) }
                    page.append(row)
                    if page.count == PublicityList.pageSize {
                        pages(page)
                        page.removeAll(keepingCapacity: true)
                    }
                }
                if !page.isEmpty { pages(page) }
                if number == 0 { try html.write("<tr><td colspan=\"7\" class=\"empty\">（无）</td></tr>") }
                try html.write("</tbody></table>\n" + closing(count: count, total: total) + HTML.pageEnd)
            }
        }
        return (count, total)
    }

    func opening(count: Int, total: Fen) -> String {
        var body = "<h1>\(HTML.escape(title))</h1>\n"
        body +=
            "<p class=\"meta\">公示期：\(window.firstDay.chinese) 至 \(window.lastDay.chinese)（\(workingDays) 个工作日）</p>\n"
        body += "<div class=\"notice\">"
        body += "<p>根据江苏省科技创新券兑付管理规定，现将\(month.year)年\(month.month)月拟兑付的创新券名单予以公示，"
        body += "共 <strong>\(count)</strong> 笔，拟兑付金额合计 <strong>\(total.yuanText)</strong> 元。</p>"
        body += "<p>公示期内，如有异议，请以书面形式向以下单位反映：\(HTML.escape(contact.isEmpty ? "（未配置）" : contact))</p>"
        return body + "</div>\n"
    }

    func closing(count: Int, total: Fen) -> String {
        "<table><tbody><tr class=\"totals\"><td>合计</td><td class=\"num\">\(count) 笔</td>"
            + "<td class=\"num\">\(total.yuanText) 元</td></tr></tbody></table>\n"
            + "<footer>江苏省科技资源统筹服务中心 · \(month) 批次</footer>"
    }
}

extension CivilDate {
    /// `2024年8月1日`.
    var chinese: String { "\(year)年\(month)月\(day)日" }
}
