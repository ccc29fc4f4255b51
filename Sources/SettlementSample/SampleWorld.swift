import Foundation
import SettlementCore
import SettlementFormats

/// The enterprises and providers of a synthetic inbox. Each is a pure function of the seed and its
/// index, so a million requests need no table of them in memory.
struct SampleWorld {
    let seed: UInt64
    let year: Int
    let enterpriseCount: Int
    let providerCount: Int

    /// Enterprises with a fixed role in the scenario catalogue.
    enum Special: Int, CaseIterable {
        case pending = 1, badUSCC, outOfRegion, highRevenue, heavy, bankMismatch, outsideGBK, lateGrant, relatedParty
        case oldHighTech
    }

    /// Providers with a fixed role.
    static let suspendedProvider = 3
    static let relatedProvider = 4
    static let specialCount = 20
    /// The enterprise whose account is corrected in the third month (after a bank return).
    static let correctedAccount = 11

    func random(_ kind: UInt64, _ index: Int) -> SampleRandom {
        SampleRandom(seed: seed &* 6_364_136_223_846_793_005 &+ kind &* 1_442_695_040_888_963_407 &+ UInt64(index))
    }

    /// A USCC: two leading characters, the district code, the serial in base 31, and the check character.
    static func uscc(_ lead: String, district: String, serial: Int) -> String {
        var body: [Character] = []
        var value = serial
        for _ in 0..<9 {
            body.append(SampleCatalogue.uscc[value % 31])
            value /= 31
        }
        let first17 = lead + district + String(body.reversed())
        return first17 + String(USCC.checkCharacter(forFirst17: first17) ?? "0")
    }

    func enterprise(_ index: Int) -> VoucherAccount {
        var rng = random(1, index)
        let city = index < 13 ? SampleCatalogue.cities[index] : rng.pick(SampleCatalogue.cities)
        let district = rng.pick(city.districts)
        let types = ["tech_sme", "high_tech", "incubatee", "talent"]
        let type = index < 4 ? types[index] : pickType(&rng)
        let brand =
            SampleCatalogue.brands[index % SampleCatalogue.brands.count]
            + (index >= SampleCatalogue.brands.count
                ? SampleCatalogue.brands[(index / SampleCatalogue.brands.count) % SampleCatalogue.brands.count] : "")
        let industry = rng.pick(SampleCatalogue.industries)
        let suffix = rng.pick(SampleCatalogue.suffixes)
        var name =
            rng.chance(30) ? "江苏\(brand)（\(city.name)）\(industry)\(suffix)" : "\(city.name)\(brand)\(industry)\(suffix)"
        let qualified: CivilDate
        let qualification: String
        switch type {
        case "tech_sme":
            qualified = date(year, rng.int(1...4), rng.int(1...28))
            qualification = "\(year)\(district)\(rng.digits(6))"
        case "high_tech":
            qualified = date(year - rng.int(0...2), rng.int(1...12), rng.int(1...28))
            qualification = "GR\(qualified.year)32\(rng.digits(6))"
        default:
            qualified = date(year - rng.int(0...3), rng.int(1...12), rng.int(1...28))
            qualification = (type == "incubatee" ? "FH" : "RC") + "-\(qualified.year)-\(rng.digits(5))"
        }
        let northern = ["3203", "3207", "3208", "3209", "3213"].contains(city.prefix)
        let bank = rng.pick(SampleCatalogue.banks)
        var account = VoucherAccount(
            year: year, uscc: SampleWorld.uscc("91", district: district, serial: 100_000 + index), enterpriseName: name,
            enterpriseType: type, cityCode: district, qualificationNumber: qualification, qualifiedOn: qualified,
            priorYearRevenue: Fen(rng.int64(100_000_000...30_000_000_000)), status: "approved",
            grantedOn: date(year, rng.int(1...3), rng.int(1...28)),
            quota: Fen(rng.chance(10) ? 5_000_000 : (northern ? 14_000_000 : 10_000_000)),
            usedBefore: Fen(rng.chance(10) ? rng.int64(100_000...3_000_000) : 0),
            bankName: bank.name + city.name + rng.pick(SampleCatalogue.branches) + "支行",
            bankCode: bank.code + rng.digits(9), accountName: name, accountNumber: rng.digits(rng.int(12...19)))
        if index >= SampleWorld.specialCount, rng.chance(3) { account.status = rng.chance(50) ? "pending" : "rejected" }
        switch Special(rawValue: index) {
        case .pending?: account.status = "pending"
        case .badUSCC?: account.uscc = String(account.uscc.dropLast()) + (account.uscc.hasSuffix("0") ? "1" : "0")
        case .outOfRegion?:
            account.cityCode = "310115"
            name = "上海\(brand)\(industry)\(suffix)"
            account.enterpriseName = name
            account.accountName = name
        case .highRevenue?: account.priorYearRevenue = Fen(45_000_000_000)
        case .heavy?:
            account.quota = Fen(10_000_000)
            account.usedBefore = Fen(6_000_000)
        case .bankMismatch?: account.accountName = name + "（原户名）"
        case .outsideGBK?:
            account.enterpriseName = "\(city.name)\(brand)𠀀\(industry)\(suffix)"
            account.accountName = account.enterpriseName
        case .lateGrant?: account.grantedOn = date(year, 6, 30)
        case .oldHighTech?:
            account.enterpriseType = "high_tech"
            account.qualifiedOn = date(year - 4, 3, 1)
        case .relatedParty?, nil: break
        }
        if Special(rawValue: index) != nil || index < SampleWorld.specialCount {
            account.usedBefore = Special(rawValue: index) == .heavy ? account.usedBefore : .zero
            account.quota = Special(rawValue: index) == .heavy ? account.quota : Fen(northern ? 14_000_000 : 10_000_000)
        }
        return account
    }

    func pickType(_ rng: inout SampleRandom) -> String {
        let roll = rng.int(0...99)
        return roll < 45 ? "tech_sme" : roll < 75 ? "high_tech" : roll < 90 ? "incubatee" : "talent"
    }

    func provider(_ index: Int) -> Provider {
        var rng = random(2, index)
        let city = rng.pick(Array(SampleCatalogue.cities.prefix(6)))
        let base = SampleCatalogue.providers[index % SampleCatalogue.providers.count]
        let name =
            index < SampleCatalogue.providers.count
            ? base : base + "（第\(index / SampleCatalogue.providers.count + 1)服务点）"
        var provider = Provider(
            shopID: shopID(index),
            uscc: SampleWorld.uscc("12", district: rng.pick(city.districts), serial: 500_000 + index),
            name: name, status: index == SampleWorld.suspendedProvider ? "suspended" : "active",
            cityCode: rng.pick(city.districts))
        if index == SampleWorld.relatedProvider { provider.uscc = enterprise(Special.relatedParty.rawValue).uscc }
        return provider
    }

    func shopID(_ index: Int) -> String {
        "S" + String.zeroPadded(100 + index * 37, width: 6)
    }

    func date(_ year: Int, _ month: Int, _ day: Int) -> CivilDate {
        CivilDate(year: year, month: month, day: day) ?? CivilDate(daysSinceEpoch: 0)
    }
}
