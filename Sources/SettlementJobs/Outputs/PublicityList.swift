import SettlementCore
import SettlementStore

/// 公示名单: the accepted requests of a review, ordered by city code, enterprise name and order
/// number. No bank data, no USCC, no personal data.
struct PublicityList {
    struct Entry {
        var enterprise: String
        var cityCode: String
        var provider: String
        var orderNumber: String
        var contractAmount: Fen
        var payable: Fen

        var cityName: String { CityCode.cityName(prefix: CityCode.cityPrefix(cityCode)) ?? cityCode }
    }

    static let header = ["序号", "企业名称", "所在地市", "服务单位", "订单编号", "合同金额（元）", "拟兑付金额（元）"]

    let month: BatchMonth
    let window: PublicityWindow
    let workingDays: Int
    let contact: String
    var entries: [Entry] = []

    static func load(
        _ connection: Connection, runID: Int64, month: BatchMonth, window: PublicityWindow, workingDays: Int,
        contact: String
    ) throws -> PublicityList {
        var list = PublicityList(month: month, window: window, workingDays: workingDays, contact: contact)
        try connection.copyOut(
            """
            COPY (SELECT enterprise_name, city_code, provider_name, order_no, contract_amount, payable
                    FROM decisions WHERE run_id = \(runID) AND status = 'accepted'
                   ORDER BY city_code COLLATE "C", enterprise_name COLLATE "C", order_no COLLATE "C") TO STDOUT
            """
        ) { cells in
            list.entries.append(
                Entry(
                    enterprise: cells[0] ?? "", cityCode: cells[1] ?? "", provider: cells[2] ?? "",
                    orderNumber: cells[3] ?? "", contractAmount: Fen(Int64(cells[4] ?? "") ?? 0),
                    payable: Fen(Int64(cells[5] ?? "") ?? 0)))
        }
        return list
    }

    var total: Fen { Fen.sum(entries.map(\.payable)) ?? .zero }

    var title: String { "\(month.year)年\(month.month)月江苏省科技创新券兑付公示名单" }

    func csv() -> CSVDocument {
        var document = CSVDocument(header: PublicityList.header)
        for (index, entry) in entries.enumerated() {
            document.append([
                String(index + 1), entry.enterprise, entry.cityName, entry.provider, entry.orderNumber,
                entry.contractAmount.yuanText, entry.payable.yuanText,
            ])
        }
        return document
    }

    func html() -> String {
        let rows = entries.enumerated().map { index, entry in
            [
                String(index + 1), entry.enterprise, entry.cityName, entry.provider, entry.orderNumber,
                entry.contractAmount.yuanText, entry.payable.yuanText,
            ]
        }
        var body = "<h1>\(HTML.escape(title))</h1>\n"
        body +=
            "<p class=\"meta\">公示期：\(window.firstDay.chinese) 至 \(window.lastDay.chinese)（\(workingDays) 个工作日）</p>\n"
        body += "<div class=\"notice\">"
        body += "<p>根据江苏省科技创新券兑付管理规定，现将\(month.year)年\(month.month)月拟兑付的创新券名单予以公示，"
        body += "共 <strong>\(entries.count)</strong> 笔，拟兑付金额合计 <strong>\(total.yuanText)</strong> 元。</p>"
        body += "<p>公示期内，如有异议，请以书面形式向以下单位反映：\(HTML.escape(contact.isEmpty ? "（未配置）" : contact))</p>"
        body += "</div>\n"
        body += HTML.table(PublicityList.header, rows, numeric: [0, 5, 6], nowrap: [2, 4])
        body += "\n<table><tbody><tr class=\"totals\"><td>合计</td><td class=\"num\">\(entries.count) 笔</td>"
        body += "<td class=\"num\">\(total.yuanText) 元</td></tr></tbody></table>"
        body += "\n<footer>江苏省科技资源统筹服务中心 · \(month) 批次</footer>"
        return HTML.page(title: title, body: body)
    }
}

extension CivilDate {
    /// `2024年8月1日`.
    var chinese: String { "\(year)年\(month)月\(day)日" }
}
