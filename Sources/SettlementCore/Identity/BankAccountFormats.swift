/// Forms of the bank data on the voucher roster.
public enum BankAccountFormats {
    /// A CNAPS bank code (开户银行行号): exactly 12 ASCII digits.
    public static func isCNAPSCode(_ text: some StringProtocol) -> Bool {
        isDigits(text, count: 12...12)
    }

    /// A bank account number (银行账号): 6 to 32 ASCII digits.
    public static func isAccountNumber(_ text: some StringProtocol) -> Bool {
        isDigits(text, count: 6...32)
    }

    static func isDigits(_ text: some StringProtocol, count: ClosedRange<Int>) -> Bool {
        var length = 0
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return false }
            length += 1
        }
        return count.contains(length)
    }
}
