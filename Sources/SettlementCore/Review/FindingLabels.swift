/// The Chinese label and a one-sentence explanation of every finding code and quarantine reason:
/// what an enterprise or a reviewer reads where the machine columns keep the code. The switches are
/// exhaustive, so a new code cannot be added without its label. `docs/rules/codes.md` lists them.
extension FindingCode {
    /// The label (中文名称), e.g. `发票与回单金额不一致`.
    public var label: String { FindingCode.texts(self).label }

    /// What happened and what the enterprise must do (补正 what, or why it is not paid).
    public var explanation: String { FindingCode.texts(self).explanation }

    static func texts(_ code: FindingCode) -> (label: String, explanation: String) {
        switch code {
        case .alreadyDecided: ("申请已有结论", "该申请此前已审核通过或不予通过，只有需补正的申请可以重新提交。")
        case .noVoucher: ("无创新券额度", "名册中没有该企业本年度的创新券，请先申领创新券。")
        case .voucherNotApproved: ("创新券未获批", "该企业本年度创新券尚未审核通过，暂不能兑付。")
        case .usccInvalid: ("统一社会信用代码有误", "企业或服务单位的统一社会信用代码校验不通过，请核对。")
        case .outOfRegion: ("非江苏省企业", "企业注册地不在江苏省内，不能兑付。")
        case .ineligible: ("不符合申领条件", "企业类型、上年度营业收入或资质日期不符合政策条件。")
        case .voucherExpired: ("创新券已过期", "提交日期晚于本年度创新券的兑付截止日期。")
        case .orderOutsideVoucher: ("订单不在有效期内", "订单早于创新券批准日期，或不在创新券所属年度内。")
        case .orderStatus: ("订单状态不符", "订单须为服务中或已完成状态才能兑付。")
        case .providerUnknown: ("服务单位未入库", "服务店铺不在服务单位名单中。")
        case .providerSuspended: ("服务单位已暂停", "服务单位已被暂停服务，订单不予兑付。")
        case .relatedParty: ("关联交易", "服务单位与申请企业为同一主体，不予兑付。")
        case .mixedProviders: ("多个服务单位", "订单含其他店铺的服务，不同店铺的订单不能合并申请。")
        case .duplicateOrder: ("订单重复申请", "该订单已被其他兑付申请使用。")
        case .contractReused: ("合同重复使用", "该合同已被其他兑付申请使用。")
        case .invoiceReused: ("发票重复使用", "发票已被其他申请使用，或在本申请中重复出现。")
        case .balanceExhausted: ("额度已用完", "本年度创新券余额不足，不能兑付。")
        case .contractCount: ("合同数量不符", "每个订单须上传且只上传一份合同（一单一合同），请补正。")
        case .contractFile: ("合同文件不合格", "合同须为PDF文件且不超过50MB，金额不为零，请重新上传。")
        case .amountZero: ("金额为零", "合同金额或申请金额为零，请补正。")
        case .reportMissing: ("缺少服务报告", "每项服务须有PDF格式的服务报告，请补传。")
        case .invoiceMissing: ("缺少发票", "请上传服务费用的发票。")
        case .invoiceNumber: ("发票号码有误", "发票号码应为8位（含10或12位发票代码）或20位（全电发票），请核对。")
        case .invoiceFile: ("发票文件不合格", "发票须为PDF、JPG或PNG文件且不超过5MB，请重新上传。")
        case .invoiceParty: ("发票抬头不符", "发票销售方须为服务单位，购买方须为申请企业，请核对。")
        case .invoiceDate: ("发票日期不符", "发票开具日期须在下单之后、提交申请之前，请核对。")
        case .receiptMissing: ("缺少银行回单", "请上传向服务单位付款的银行回单。")
        case .receiptFile: ("回单文件不合格", "银行回单须为PDF、JPG或PNG文件且不超过50MB，请重新上传。")
        case .totalsMismatch: ("发票与回单金额不一致", "发票合计须与银行回单合计一致（精确到分），请核对补正。")
        case .invoiceExceedsContract: ("发票金额超过合同", "发票合计不得超过合同金额，请核对。")
        case .rndProof: ("研发活动证明不合格", "须上传且只上传一份PDF格式的研发活动证明。")
        case .otherFile: ("其他材料不合格", "其他材料须为PDF文件且不超过50MB。")
        case .bankAccount: ("收款账户信息有误", "开户行行号、银行账号或户名有误，户名须与企业名称一致，请在名册中更正。")
        case .attachmentMismatch: ("附件与登记不符", "上传的文件缺失，或与登记的大小、校验值、类型不符，请重新上传。")
        case .requestCapped: ("按核定金额兑付", "申请金额超过按比例核定的金额，按核定金额兑付。")
        case .balanceShort: ("按剩余额度兑付", "申请金额超过创新券剩余额度，按剩余额度兑付。")
        case .objectionUpheld: ("异议成立", "公示期内的异议经核实成立，该项目撤回，不予拨付。")
        }
    }

    /// The labels of codes as `decisions.csv` shows them (`reasons`): in the codes' order, joined by `；`.
    public static func labels(ofCodes codes: String) -> String {
        codes.split(separator: ";").map { FindingCode(rawValue: String($0))?.label ?? String($0) }
            .joined(separator: "；")
    }
}

extension QuarantineReason {
    public var label: String {
        switch self {
        case .malformed: "数据格式错误"
        case .wrongBatch: "不属于本批次"
        case .duplicateLine: "重复记录"
        case .revisionConflict: "版本冲突"
        case .superseded: "已被新版本取代"
        }
    }

    public var explanation: String {
        switch self {
        case .malformed: "该行不是有效的兑付申请记录，需由平台修正导出数据。"
        case .wrongBatch: "提交时间不在本批次月份内，在其所属月份的批次中处理。"
        case .duplicateLine: "与前面某行内容完全相同，只保留第一行。"
        case .revisionConflict: "同一申请的同一版本内容不一致，本月不予审核。"
        case .superseded: "同一申请有更高版本，只审核最新版本。"
        }
    }
}
