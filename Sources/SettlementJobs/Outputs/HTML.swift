import SettlementCore

/// Small helpers for self-contained HTML pages: escaping, tables and the page frame with inline CSS.
enum HTML {
    static func escape(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        appendEscaped(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` escaped, appended as UTF-8. The characters escaped are ASCII, and a UTF-8 byte below
    /// 0x20 is always a control character of its own, so this works on the bytes.
    static func appendEscaped(_ text: String, to bytes: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): bytes.append(contentsOf: "&#39;".utf8)
            case 0x09, 0x0A: bytes.append(byte)
            // Control characters other than tab/newline have no place in a page: U+FFFD.
            case ..<0x20: bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])
            default: bytes.append(byte)
            }
        }
    }

    /// A table; cells are escaped; columns listed in `numeric` are right-aligned.
    static func table(_ header: [String], _ rows: [[String]], numeric: Set<Int> = [], nowrap: Set<Int> = []) -> String {
        var html = tableStart(header, numeric: numeric)
        for row in rows { html += tableRow(row, numeric: numeric, nowrap: nowrap) }
        if rows.isEmpty { html += "<tr><td colspan=\"\(header.count)\" class=\"empty\">（无）</td></tr>" }
        return html + "</tbody></table>"
    }

    /// A whole page: no scripts, no fonts or images fetched, printable on A4.
    static func page(title: String, body: String, landscape: Bool = false) -> String {
        pageStart(title: title, landscape: landscape) + body + pageEnd
    }

    static let pageEnd = "\n</body>\n</html>\n"

    /// The page up to and including `<body>`, for pages written in pieces.
    static func pageStart(title: String, landscape: Bool = false) -> String {
        """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        @page { size: A4\(landscape ? " landscape" : ""); margin: 15mm 12mm; }
        body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "SimSun", sans-serif;
               color: #1a1a1a; margin: 24px auto; max-width: 1100px; padding: 0 16px; font-size: 14px; line-height: 1.5; }
        h1 { font-size: 22px; text-align: center; margin: 8px 0 4px; }
        h2 { font-size: 17px; border-bottom: 2px solid #1f4e79; padding-bottom: 3px; margin-top: 28px; color: #1f4e79; }
        .meta { text-align: center; color: #444; margin: 4px 0 16px; }
        .notice { border: 1px solid #c9d6e3; background: #f4f8fb; padding: 10px 14px; margin: 12px 0; }
        table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
        caption { text-align: left; font-weight: bold; padding: 4px 0; }
        th, td { border: 1px solid #b7c3cf; padding: 4px 7px; vertical-align: top; }
        th { background: #e8eef4; font-weight: 600; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.empty { text-align: center; color: #777; }
        td.nw { white-space: nowrap; }
        tr:nth-child(even) td { background: #fafcfd; }
        .totals td { font-weight: bold; background: #eef3f7; }
        .check { font-family: monospace; padding: 8px 12px; border: 1px solid #8fbc8f; background: #f2faf2; }
        .check.bad { border-color: #c33; background: #fdf0f0; }
        .cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 10px 0; }
        .card { flex: 1 1 150px; border: 1px solid #c9d6e3; padding: 8px 12px; background: #f8fafc; }
        .card .label { color: #555; font-size: 12px; }
        .card .value { font-size: 19px; font-weight: 600; font-variant-numeric: tabular-nums; }
        svg { max-width: 100%; height: auto; }
        svg text { font-family: inherit; }
        footer { margin-top: 24px; color: #666; font-size: 12px; border-top: 1px solid #ddd; padding-top: 6px; }
        @media print {
          body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
          table { font-size: 9pt; }
          th, td { padding: 2px 4px; }
          thead { display: table-header-group; }
          tr, .card, svg { break-inside: avoid; page-break-inside: avoid; }
          h2 { break-after: avoid; page-break-after: avoid; }
          tr:nth-child(even) td { background: none; }
        }
        </style>
        </head>
        <body>

        """
    }

    /// A table's opening and header row, for tables written row by row.
    static func tableStart(_ header: [String], numeric: Set<Int> = []) -> String {
        var html = "<table><thead><tr>"
        for (index, cell) in header.enumerated() {
            html += numeric.contains(index) ? "<th class=\"num\">\(escape(cell))</th>" : "<th>\(escape(cell))</th>"
        }
        return html + "</tr></thead><tbody>\n"
    }

    /// One table row.
    static func tableRow(_ row: [String], numeric: Set<Int> = [], nowrap: Set<Int> = []) -> String {
        var bytes: [UInt8] = []
        appendTableRow(row, numeric: numeric, nowrap: nowrap, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `tableRow`'s bytes, appended.
    static func appendTableRow(_ row: [String], numeric: Set<Int> = [], nowrap: Set<Int> = [], to bytes: inout [UInt8])
    {
        bytes.append(contentsOf: "<tr>".utf8)
        for (index, cell) in row.enumerated() {
            switch (numeric.contains(index), nowrap.contains(index)) {
            case (false, false): bytes.append(contentsOf: "<td>".utf8)
            case (true, false): bytes.append(contentsOf: "<td class=\"num\">".utf8)
            case (false, true): bytes.append(contentsOf: "<td class=\"nw\">".utf8)
            case (true, true): bytes.append(contentsOf: "<td class=\"num nw\">".utf8)
            }
            appendEscaped(cell, to: &bytes)
            bytes.append(contentsOf: "</td>".utf8)
        }
        bytes.append(contentsOf: "</tr>\n".utf8)
    }

    /// A horizontal bar chart as inline SVG.
    static func barChart(
        _ items: [(label: String, value: Int64, text: String)], width: Int = 1000, color: String = "#2e75b6"
    )
        -> String
    {
        guard !items.isEmpty else { return "" }
        let maximum = max(items.map(\.value).max() ?? 1, 1)
        let rowHeight = 24
        let labelWidth = 230
        let valueWidth = 150
        let barSpace = width - labelWidth - valueWidth - 10
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" "
        svg += "viewBox=\"0 0 \(width) \(rowHeight * items.count + 8)\" role=\"img\">"
        for (index, item) in items.enumerated() {
            let y = 4 + index * rowHeight
            let length = Int(Int64(barSpace) * max(item.value, 0) / maximum)
            svg +=
                "<text x=\"\(labelWidth - 6)\" y=\"\(y + 16)\" text-anchor=\"end\" font-size=\"13\">\(escape(item.label))</text>"
            svg +=
                "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(max(length, item.value > 0 ? 1 : 0))\" height=\"17\" fill=\"\(color)\"/>"
            svg +=
                "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 16)\" font-size=\"12\" fill=\"#333\">\(escape(item.text))</text>"
        }
        return svg + "</svg>"
    }

    /// One horizontal bar split into coloured parts with a legend (e.g. the statuses).
    static func stackedBar(_ parts: [(label: String, value: Int, color: String)], width: Int = 1000) -> String {
        let total = max(parts.map(\.value).reduce(0, +), 1)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" viewBox=\"0 0 \(width) 56\" role=\"img\">"
        var x = 0
        let positive = parts.filter { $0.value > 0 }
        for (index, part) in positive.enumerated() {
            // The last part ends exactly at the right edge whatever the rounding.
            let length = index == positive.count - 1 ? width - x : width * part.value / total
            svg += "<rect x=\"\(x)\" y=\"0\" width=\"\(length)\" height=\"24\" fill=\"\(part.color)\"/>"
            x += length
        }
        var legendX = 0
        for part in parts {
            svg += "<rect x=\"\(legendX)\" y=\"34\" width=\"12\" height=\"12\" fill=\"\(part.color)\"/>"
            let text = "\(part.label) \(part.value)"
            svg += "<text x=\"\(legendX + 17)\" y=\"45\" font-size=\"13\">\(escape(text))</text>"
            legendX += 40 + text.count * 13
        }
        return svg + "</svg>"
    }
}
