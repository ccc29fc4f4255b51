/// The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters whose last one
/// is a check character over the first 17.
public enum USCC {
    /// The 31 characters a code may use, in the order that gives each its value.
    static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    static let valueOf: [Int] = {
        var table = [Int](repeating: -1, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = index }
        return table
    }()

    /// The check character the first 17 characters call for, or `nil` when they are not 17
    /// characters of the alphabet.
    public static func checkCharacter(forFirst17 text: some StringProtocol) -> Character? {
        let bytes = Array(text.utf8)
        guard bytes.count == 17 else { return nil }
        var sum = 0
        for (index, byte) in bytes.enumerated() {
            let value = valueOf[Int(byte)]
            guard value >= 0 else { return nil }
            sum += value * weights[index]
        }
        let check = (31 - sum % 31) % 31
        return Character(Unicode.Scalar(alphabet[check]))
    }

    /// Whether `text` is a well-formed code with the right check character.
    /// Lower case, the letters I, O, S, V, Z, or a wrong length all fail.
    public static func isValid(_ text: some StringProtocol) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 18, valueOf[Int(bytes[17])] >= 0 else { return false }
        guard let check = checkCharacter(forFirst17: String(decoding: bytes[0..<17], as: UTF8.self)) else {
            return false
        }
        return check.asciiValue == bytes[17]
    }
}
