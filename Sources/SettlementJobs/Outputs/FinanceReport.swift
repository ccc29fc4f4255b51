import SettlementCore
import SettlementStore

/// `report.html` of a review: one self-contained page for finance, with the figures computed by
/// the database and a check line tying it to `decisions.csv`.
struct FinanceReport {
    let month: BatchMonth
    let reviewNumber: Int
    let businessDate: CivilDate
    let window: PublicityWindow
    let figures: ReviewFigures
    /// What `decisions.csv` holds: rows and the sum of its payable column.
    let decisionsFile: (rows: Int, payable: Fen)
    let quarantined: Int
    let changes: [[String]]?
    var warnings: [String] = []

    static let statusNames: [DecisionStatus: String] = [
        .accepted: "通过", .needsCorrection: "需补正", .rejected: "不通过",
    ]

    /// A code's Chinese label (the code itself if it is not a finding code).
    static func codeLabel(_ code: String) -> String { FindingCode(rawValue: code)?.label ?? code }

    static let typeNames = ["tech_sme": "科小", "high_tech": "高企", "incubatee": "在孵企业", "talent": "人才企业"]

    var title: String { "\(month.year)年\(month.month)月创新券兑付审核报告（第 \(reviewNumber) 次审核）" }

    func html() -> String {
        var body = "<h1>\(HTML.escape(title))</h1>\n"
        body +=
            "<p class=\"meta\">业务日期 \(businessDate) · 公示期 \(window.firstDay) 至 \(window.lastDay) · 批次 \(month)</p>\n"
        for warning in warnings { body += "<p class=\"check bad\">年度数据缺失（请及时补充）：\(HTML.escape(warning))</p>\n" }
        body += checkLine()
        body += cards()
        body += "<h2>审核结果</h2>\n"
        body += HTML.stackedBar(
            DecisionStatus.allCases.map { status in
                (
                    FinanceReport.statusNames[status] ?? status.rawValue, figures.statusCounts[status] ?? 0,
                    status == .accepted ? "#2e8b57" : status == .needsCorrection ? "#e0a526" : "#c0392b"
                )
            })
        body += HTML.table(
            ["状态", "笔数"],
            DecisionStatus.allCases.map {
                [FinanceReport.statusNames[$0] ?? $0.rawValue, String(figures.statusCounts[$0] ?? 0)]
            }
                + [["隔离（未审核）", String(quarantined)]], numeric: [1])
        body += "<h2>金额</h2>\n"
        body += "<p>通过申请的金额逐项核减至拟兑付，各行相加即得下一行。</p>\n"
        body += HTML.table(["项目", "金额（元）"], waterfall.map { [$0.label, $0.amount] }, numeric: [1])
        body += waterfallCheck()
        body +=
            "<p>参考（不参与上表计算）：全部申请金额 \(figures.requestedAll.yuanText) 元（含未通过、需补正）；"
            + "通过申请按比例核定金额合计 \(figures.entitled.yuanText) 元（申请额低于核定额时按申请额兑付）。</p>\n"
        body += "<h2>按地市</h2>\n"
        body += HTML.barChart(
            figures.byCity.filter { $0.payable > .zero }.map { group in
                (FinanceReport.cityLabel(group.key), group.payable.value, group.payable.yuanText + " 元")
            })
        body += groupTable("地市", figures.byCity.map { ($0, FinanceReport.cityLabel($0.key)) })
        body += "<h2>按企业类型</h2>\n"
        body += groupTable("企业类型", figures.byType.map { ($0, FinanceReport.typeLabel($0.key)) })
        body += "<h2>按服务类别</h2>\n<p>一笔订单含多个类别时，在每个类别下各计一次。</p>\n"
        body += groupTable("服务类别", figures.byCategory.map { ($0, $0.key) })
        body += "<h2>不通过与需补正的原因</h2>\n"
        let problemCodes = figures.codes.filter { $0.severity != "warn" }
        body += HTML.barChart(
            problemCodes.map { (FinanceReport.codeLabel($0.code), Int64($0.count), String($0.count)) },
            color: "#c0392b")
        body += HTML.table(
            ["原因", "代码", "级别", "笔数", "说明", "示例申请"],
            figures.codes.map {
                [
                    FinanceReport.codeLabel($0.code), $0.code, FinanceReport.severityName($0.severity),
                    String($0.count), FindingCode(rawValue: $0.code)?.explanation ?? "",
                    $0.examples.joined(separator: ", "),
                ]
            },
            numeric: [3])
        body += "<h2>部分兑付（余额不足）</h2>\n"
        body += HTML.table(
            ["申请编号", "企业名称", "应兑付（元）", "拟兑付（元）"],
            figures.partials.map { [$0.requestID, $0.enterprise, $0.claim.yuanText, $0.payable.yuanText] },
            numeric: [2, 3])
        body += "<h2>创新券额度使用（本批次涉及的账户）</h2>\n"
        body += HTML.table(
            ["地区", "账户数", "可用额度合计（元）", "已占用（预留＋已付，元）", "剩余（元）"],
            figures.regions.map {
                [
                    $0.name, String($0.accounts), $0.limit.yuanText, $0.committed.yuanText,
                    ($0.limit.subtracting($0.committed) ?? .zero).yuanText,
                ]
            }, numeric: [1, 2, 3, 4])
        if !figures.overpayments.isEmpty || !figures.supplements.isEmpty {
            body += "<h2>已拨付项目的调整</h2>\n"
            body += "<p>已进入支付文件的项目不会重复支付：金额增加的部分在下一次拨付中补付；金额减少的部分为多付款项，需财务追回。</p>\n"
            body += HTML.table(
                ["申请编号", "调整", "金额（元）", "说明"],
                figures.overpayments.map { [$0.requestID, "多付，需追回", $0.amount.yuanText, $0.note] }
                    + figures.supplements.map {
                        [
                            $0.requestID, $0.afterReturn ? "银行退回后重新支付（下次拨付）" : "补付（下次拨付）",
                            $0.amount.yuanText, "",
                        ]
                    }, numeric: [2])
        }
        if let changes {
            body += "<h2>与上次审核相比的变化</h2>\n"
            if changes.count >= 500 { body += "<p>仅列出前 500 条，完整清单见 diff.csv。</p>\n" }
            body += HTML.table(
                ["申请编号", "变化", "原状态", "新状态", "原代码", "新代码", "原金额", "新金额"],
                changes.map { [$0[0], $0[1], $0[4], $0[5], $0[6], $0[7], $0[8], $0[9]] }, numeric: [6, 7])
        }
        body += "\n<footer>由 settle 生成；所有数字取自同一数据库事务。</footer>"
        return HTML.page(title: title, body: body)
    }

    /// The amounts of the accepted requests as a waterfall: each row follows from the ones above it.
    var waterfall: [(label: String, amount: String)] {
        let claim = figures.requestedAccepted.subtracting(figures.cappedByEntitlement) ?? .zero
        return [
            ("通过申请的申请金额", figures.requestedAccepted.yuanText),
            ("减：超出按比例核定金额的申请部分", "-" + figures.cappedByEntitlement.yuanText),
            ("＝ 核定可兑付", claim.yuanText),
            ("减：因余额不足核减", "-" + figures.cutByBalance.yuanText),
            ("＝ 拟兑付", figures.payable.yuanText),
        ]
    }

    /// Checks the waterfall's arithmetic and its last row against decisions.csv.
    func waterfallCheck() -> String {
        let claim = figures.requestedAccepted.subtracting(figures.cappedByEntitlement) ?? .zero
        let computed = claim.subtracting(figures.cutByBalance) ?? .zero
        let agrees = computed == figures.payable && figures.payable == decisionsFile.payable
        let text =
            "核对：\(figures.requestedAccepted.yuanText) − \(figures.cappedByEntitlement.yuanText) − "
            + "\(figures.cutByBalance.yuanText) = \(computed.yuanText)；decisions.csv 拟兑付合计 "
            + "\(decisionsFile.payable.yuanText) — " + (agrees ? "一致" : "不一致！")
        return "<p class=\"check\(agrees ? "" : " bad")\">\(HTML.escape(text))</p>\n"
    }

    func checkLine() -> String {
        let agrees = decisionsFile.rows == figures.decisionCount && decisionsFile.payable == figures.payable
        let text =
            "核对：decisions.csv \(decisionsFile.rows) 行，拟兑付合计 \(decisionsFile.payable.yuanText) 元；"
            + "本报告 \(figures.decisionCount) 笔，拟兑付合计 \(figures.payable.yuanText) 元 — " + (agrees ? "一致" : "不一致！")
        return "<p class=\"check\(agrees ? "" : " bad")\">\(HTML.escape(text))</p>\n"
    }

    func cards() -> String {
        let items = [
            ("审核笔数", String(figures.decisionCount)), ("通过", String(figures.statusCounts[.accepted] ?? 0)),
            ("拟兑付（元）", figures.payable.yuanText), ("余额不足核减（元）", figures.cutByBalance.yuanText),
        ]
        return "<div class=\"cards\">"
            + items.map {
                "<div class=\"card\"><div class=\"label\">\($0.0)</div><div class=\"value\">\($0.1)</div></div>"
            }
            .joined() + "</div>\n"
    }

    func groupTable(_ label: String, _ groups: [(ReviewFigures.Group, String)]) -> String {
        HTML.table(
            [label, "申请笔数", "通过笔数", "申请金额（元）", "拟兑付（元）"],
            groups.map { group, name in
                [name, String(group.count), String(group.accepted), group.requested.yuanText, group.payable.yuanText]
            }, numeric: [1, 2, 3, 4])
    }

    static func cityLabel(_ prefix: String) -> String {
        if prefix.isEmpty { return "（无名册）" }
        return CityCode.cityName(prefix: prefix).map { "\($0) \(prefix)" } ?? "省外 \(prefix)"
    }

    static func typeLabel(_ type: String) -> String {
        if type.isEmpty { return "（无名册）" }
        return typeNames[type].map { "\($0)（\(type)）" } ?? "未知（\(type)）"
    }

    static func severityName(_ severity: String) -> String {
        ["reject": "不通过", "correct": "需补正", "warn": "提示"][severity] ?? severity
    }

    /// The report's tables as CSV, for people who work in Excel.
    func summaryCSVs() -> [String: CSVDocument] {
        // Chinese headers and labels for people; the machine codes stay in their own column.
        var status = CSVDocument(header: ["状态", "状态代码", "笔数"])
        for entry in DecisionStatus.allCases {
            status.append([
                FinanceReport.statusNames[entry] ?? entry.rawValue, entry.rawValue,
                String(figures.statusCounts[entry] ?? 0),
            ])
        }
        status.append(["隔离（未审核）", "quarantined", String(quarantined)])
        var amounts = CSVDocument(header: ["项目", "项目代码", "金额（元）"])
        let claim = figures.requestedAccepted.subtracting(figures.cappedByEntitlement) ?? .zero
        for (label, code, amount) in [
            ("全部申请金额", "requested_all", figures.requestedAll),
            ("通过申请的申请金额", "requested_accepted", figures.requestedAccepted),
            ("超出按比例核定金额的申请部分", "capped_by_entitlement", figures.cappedByEntitlement),
            ("核定可兑付", "claim", claim),
            ("因余额不足核减", "cut_by_balance", figures.cutByBalance),
            ("拟兑付", "payable", figures.payable),
            ("通过申请按比例核定金额（参考）", "entitled", figures.entitled),
        ] {
            amounts.append([label, code, amount.yuanText])
        }
        func groups(_ name: String, _ list: [ReviewFigures.Group], _ label: (String) -> String) -> CSVDocument {
            var document = CSVDocument(header: [name, "申请笔数", "通过笔数", "申请金额（元）", "拟兑付（元）"])
            for group in list {
                document.append([
                    label(group.key), String(group.count), String(group.accepted), group.requested.yuanText,
                    group.payable.yuanText,
                ])
            }
            return document
        }
        var codes = CSVDocument(header: ["代码", "原因", "级别", "笔数", "示例申请"])
        for code in figures.codes {
            codes.append([
                code.code, FinanceReport.codeLabel(code.code), FinanceReport.severityName(code.severity),
                String(code.count), code.examples.joined(separator: " "),
            ])
        }
        return [
            "summary-status.csv": status, "summary-amounts.csv": amounts,
            "summary-city.csv": groups("地市", figures.byCity, FinanceReport.cityLabel),
            "summary-type.csv": groups("企业类型", figures.byType, FinanceReport.typeLabel),
            "summary-category.csv": groups("服务类别", figures.byCategory) { $0 },
            "summary-codes.csv": codes,
        ]
    }
}
