/// A GB/T 2260 administrative division code, e.g. `320505`.
public enum CityCode {
    /// Whether `text` is 6 ASCII digits starting with `32` (江苏省).
    public static func isJiangsu(_ text: some StringProtocol) -> Bool {
        BankAccountFormats.isDigits(text, count: 6...6) && text.utf8.starts(with: "32".utf8)
    }

    /// The city prefix (the first four digits), e.g. `3205` for 苏州.
    public static func cityPrefix(_ text: some StringProtocol) -> String {
        String(decoding: text.utf8.prefix(4), as: UTF8.self)
    }

    /// The Chinese name of a Jiangsu city by its four-digit prefix, for reports.
    public static func cityName(prefix: String) -> String? {
        jiangsuCities[prefix]
    }

    static let jiangsuCities: [String: String] = [
        "3201": "南京市", "3202": "无锡市", "3203": "徐州市", "3204": "常州市", "3205": "苏州市",
        "3206": "南通市", "3207": "连云港市", "3208": "淮安市", "3209": "盐城市", "3210": "扬州市",
        "3211": "镇江市", "3212": "泰州市", "3213": "宿迁市",
    ]
}
