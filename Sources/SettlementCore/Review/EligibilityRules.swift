/// Rules on the voucher account and the enterprise: ALREADY_DECIDED, NO_VOUCHER,
/// VOUCHER_NOT_APPROVED, USCC_INVALID (enterprise), OUT_OF_REGION, INELIGIBLE, VOUCHER_EXPIRED,
/// ORDER_OUTSIDE_VOUCHER, ORDER_STATUS and BANK_ACCOUNT.
public enum EligibilityRules {
    public static func check(_ context: RuleContext, into findings: inout FindingList) {
        let request = context.request
        let submissionDate = request.submissionDate

        if let decided = context.input.history.first(where: { $0.status != .needsCorrection }) {
            findings.add(
                .alreadyDecided,
                "第 \(decided.revision) 版已于 \(decided.month) 批次审核为 \(decided.status.rawValue)，只有需补正的申请可以重新提交")
        }

        if !USCC.isValid(request.enterpriseUSCC) {
            findings.add(.usccInvalid, "企业统一社会信用代码 '\(RequestDecoder.quoted(request.enterpriseUSCC))' 校验不通过")
        }

        if submissionDate > context.policy.redemptionDeadline {
            findings.add(
                .voucherExpired,
                "提交日期 \(submissionDate) 晚于 \(request.voucherYear) 年度兑付截止日 \(context.policy.redemptionDeadline)")
        }

        let orderDate = request.order.createdAt.shanghaiDate
        if orderDate.year != request.voucherYear {
            findings.add(.orderOutsideVoucher, "下单日期 \(orderDate) 不在创新券年度 \(request.voucherYear) 内")
        }

        if !request.order.status.sameBytes(as: "in_service"), !request.order.status.sameBytes(as: "completed") {
            findings.add(
                .orderStatus, "订单状态 '\(RequestDecoder.quoted(request.order.status))' 不是 in_service 或 completed")
        }

        switch context.input.account {
        case .absent:
            findings.add(.noVoucher, "名册中没有 \(request.enterpriseUSCC) 的 \(request.voucherYear) 年度创新券")
        case .defective(let detail):
            findings.add(.noVoucher, "名册中 \(request.enterpriseUSCC) 的 \(request.voucherYear) 年度记录无法读取：\(detail)")
        case .found(let account):
            checkAccount(account, context, orderDate: orderDate, into: &findings)
        }
    }

    static func checkAccount(
        _ account: VoucherAccount, _ context: RuleContext, orderDate: CivilDate, into findings: inout FindingList
    ) {
        let policy = context.policy
        let submissionDate = context.request.submissionDate
        if !account.status.sameBytes(as: "approved") {
            findings.add(.voucherNotApproved, "创新券状态为 '\(RequestDecoder.quoted(account.status))'，未审核通过")
        }
        if !CityCode.isJiangsu(account.cityCode) {
            findings.add(.outOfRegion, "注册地代码 '\(RequestDecoder.quoted(account.cityCode))' 不在江苏省")
        }
        switch EnterpriseType(rawValue: account.enterpriseType) {
        case nil:
            findings.add(.ineligible, "企业类型 '\(RequestDecoder.quoted(account.enterpriseType))' 不在支持范围")
        case .highTech:
            if let earliest = submissionDate.adding(years: -policy.highTechValidityYears),
                account.qualifiedOn < earliest
            {
                findings.add(
                    .ineligible,
                    "高企证书日期 \(account.qualifiedOn) 早于提交日期前 \(policy.highTechValidityYears) 年（\(earliest)）")
            }
        case .techSME:
            if account.qualifiedOn.year != context.request.voucherYear {
                findings.add(.ineligible, "科小入库日期 \(account.qualifiedOn) 不在 \(context.request.voucherYear) 年度")
            }
        case .incubatee, .talent:
            break
        }
        if account.priorYearRevenue > policy.revenueLimit {
            findings.add(
                .ineligible, "上年度营业收入 \(account.priorYearRevenue.yuanText) 元超过上限 \(policy.revenueLimit.yuanText) 元")
        }
        if orderDate < account.grantedOn {
            findings.add(.orderOutsideVoucher, "下单日期 \(orderDate) 早于创新券批准日期 \(account.grantedOn)")
        }
        checkBankAccount(account, into: &findings)
    }

    public static func checkBankAccount(_ account: VoucherAccount, into findings: inout FindingList) {
        if !BankAccountFormats.isCNAPSCode(account.bankCode) {
            findings.add(.bankAccount, "开户银行行号 '\(RequestDecoder.quoted(account.bankCode))' 不是 12 位数字")
        }
        if !BankAccountFormats.isAccountNumber(account.accountNumber) {
            findings.add(.bankAccount, "银行账号 '\(RequestDecoder.quoted(account.accountNumber))' 不是 6–32 位数字")
        }
        if NameComparison.normalized(account.bankName).isEmpty {
            findings.add(.bankAccount, "开户银行名称为空")
        }
        if !NameComparison.normalized(account.accountName).sameBytes(
            as: NameComparison.normalized(account.enterpriseName))
        {
            findings.add(
                .bankAccount,
                "银行账号名称 '\(RequestDecoder.quoted(account.accountName))' 与企业名称 '\(RequestDecoder.quoted(account.enterpriseName))' 不一致"
            )
        }
    }
}

/// How names are compared with the account name: trim ASCII space, tab and U+3000 at both ends,
/// map full-width parentheses to ASCII, then compare exactly: by UTF-8 bytes (`String.sameBytes`),
/// so a name written with a CJK compatibility ideograph is not the registered name.
public enum NameComparison {
    public static func normalized(_ name: String) -> String {
        if let normalized = name.utf8.withContiguousStorageIfAvailable({ normalized(bytes: $0, of: name) }) {
            return normalized
        }
        return Array(name.utf8).withUnsafeBufferPointer { normalized(bytes: $0, of: name) }
    }

    /// On the UTF-8 bytes of `name` (valid UTF-8: U+3000 is `E3 80 80`, U+FF08/U+FF09 are
    /// `EF BC 88`/`EF BC 89`, and none of their bytes starts or ends another character); `name`
    /// itself when nothing changes.
    private static func normalized(bytes: UnsafeBufferPointer<UInt8>, of name: String) -> String {
        func ideographicSpace(at index: Int) -> Bool {
            index >= 0 && index + 3 <= bytes.count && bytes[index] == 0xE3 && bytes[index + 1] == 0x80
                && bytes[index + 2] == 0x80
        }
        var start = 0
        var end = bytes.count
        while start < end {
            if bytes[start] == 0x20 || bytes[start] == 0x09 {
                start += 1
            } else if ideographicSpace(at: start) {
                start += 3
            } else {
                break
            }
        }
        while start < end {
            if bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 {
                end -= 1
            } else if end - start >= 3 && ideographicSpace(at: end - 3) {
                end -= 3
            } else {
                break
            }
        }
        func fullWidthParenthesis(at index: Int) -> UInt8? {
            guard bytes[index] == 0xEF, index + 3 <= end, bytes[index + 1] == 0xBC else { return nil }
            switch bytes[index + 2] {
            case 0x88: return UInt8(ascii: "(")
            case 0x89: return UInt8(ascii: ")")
            default: return nil
            }
        }
        var index = start
        while index < end && fullWidthParenthesis(at: index) == nil { index += 1 }
        if start == 0 && end == bytes.count && index == end { return name }
        var result: [UInt8] = []
        result.reserveCapacity(end - start)
        result.append(contentsOf: bytes[start..<index])
        while index < end {
            if let ascii = fullWidthParenthesis(at: index) {
                result.append(ascii)
                index += 3
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
