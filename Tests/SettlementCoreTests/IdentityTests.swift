import SettlementCore
import Testing

@Suite("Identifiers")
struct IdentityTests {
    @Test("USCC check characters of real-looking codes")
    func validCodes() {
        #expect(USCC.isValid("91320214MA90NMYF83"))
        #expect(USCC.isValid("91320812MAX0DMHP01"))
        #expect(USCC.isValid("12320104858079426D"))
    }

    @Test(
        "USCC of the wrong form or check character",
        arguments: [
            "91320214MA90NMYF84", "91320214ma90nmyf83", "91320214MA90NMYF8", "91320214MA90NMYF833",
            "9132021IMA90NMYF83", "91320214MA90NMYFO3", "", "91320214MA90NMYF8Z",
        ])
    func invalidCodes(code: String) {
        #expect(!USCC.isValid(code))
    }

    @Test("every generated code validates; any single changed character does not")
    func checkCharacterProperty() throws {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        var generator = SplitMix64(seed: 32)
        for _ in 0..<2_000 {
            let body = String((0..<17).map { _ in alphabet[Int.random(in: 0..<31, using: &generator)] })
            let check = try #require(USCC.checkCharacter(forFirst17: body))
            let code = body + String(check)
            #expect(USCC.isValid(code))
            var chars = Array(code)
            let position = Int.random(in: 0..<18, using: &generator)
            let replacement = alphabet.filter { $0 != chars[position] }.randomElement(using: &generator) ?? "0"
            chars[position] = replacement
            #expect(!USCC.isValid(String(chars)))
        }
    }

    @Test("CNAPS codes, account numbers and Jiangsu city codes")
    func bankAndCity() {
        #expect(BankAccountFormats.isCNAPSCode("105302077048"))
        #expect(!BankAccountFormats.isCNAPSCode("10530207704"))
        #expect(!BankAccountFormats.isCNAPSCode("10530207704A"))
        #expect(BankAccountFormats.isAccountNumber("123456"))
        #expect(!BankAccountFormats.isAccountNumber("12345"))
        #expect(BankAccountFormats.isAccountNumber(String(repeating: "9", count: 32)))
        #expect(!BankAccountFormats.isAccountNumber(String(repeating: "9", count: 33)))
        #expect(CityCode.isJiangsu("320505"))
        #expect(!CityCode.isJiangsu("330106"))
        #expect(!CityCode.isJiangsu("32050"))
        #expect(!CityCode.isJiangsu("３２０５０５"))
        #expect(CityCode.cityPrefix("320505") == "3205")
    }
}
