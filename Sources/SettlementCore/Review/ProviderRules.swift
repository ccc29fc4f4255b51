/// Rules on the service provider: PROVIDER_UNKNOWN, PROVIDER_SUSPENDED, RELATED_PARTY,
/// USCC_INVALID (provider) and MIXED_PROVIDERS.
public enum ProviderRules {
    public static func check(_ context: RuleContext, into findings: inout FindingList) {
        let request = context.request
        switch context.input.provider {
        case .absent:
            findings.add(.providerUnknown, "服务单位 '\(RequestDecoder.quoted(request.shopID))' 不在服务单位名单中")
        case .defective(let detail):
            findings.add(.providerUnknown, "服务单位 '\(RequestDecoder.quoted(request.shopID))' 的记录无法读取：\(detail)")
        case .found(let provider):
            if !USCC.isValid(provider.uscc) {
                findings.add(.usccInvalid, "服务单位统一社会信用代码 '\(RequestDecoder.quoted(provider.uscc))' 校验不通过")
            }
            if provider.isSuspended {
                findings.add(.providerSuspended, "服务单位 \(provider.shopID)（\(provider.name)）已暂停")
            }
            if provider.uscc.sameBytes(as: request.enterpriseUSCC) {
                findings.add(.relatedParty, "服务单位与申请企业为同一主体（\(provider.uscc)）")
            }
        }
        let foreign = request.order.items.filter { !$0.shopID.sameBytes(as: request.shopID) }.map(\.shopID)
        if !foreign.isEmpty {
            findings.add(
                .mixedProviders,
                "订单含其他店铺的服务（\(Set(foreign.map(ByteString.init)).sorted().map(\.text).joined(separator: ", "))），不同店铺订单不能合并"
            )
        }
    }
}
