import SettlementCore
import SettlementFormats

/// Writes a redemption request as one JSON line, keys in the platform's order.
enum RequestJSON {
    static func line(_ request: RedemptionRequest, submittedAt: String, createdAt: String) -> String {
        var out = "{"
        out += field("request_id", string(request.requestID)) + ","
        out += field("revision", String(request.revision)) + ","
        out += field("order_no", string(request.orderNumber)) + ","
        out += field("voucher_year", String(request.voucherYear)) + ","
        out += field("submitted_at", string(submittedAt)) + ","
        out += field("enterprise_uscc", string(request.enterpriseUSCC)) + ","
        out += field("shop_id", string(request.shopID)) + ","
        let order = request.order
        let items = order.items.map { item in
            "{"
                + [
                    field("service_id", string(item.serviceID)), field("name", string(item.name)),
                    field("category", string(item.category)), field("shop_id", string(item.shopID)),
                    field("quantity", String(item.quantity)), field("unit_price", string(item.unitPrice.yuanText)),
                ].joined(separator: ",") + "}"
        }
        out +=
            field(
                "order",
                "{"
                    + [
                        field("created_at", string(createdAt)), field("status", string(order.status)),
                        field("quoted_amount", string(order.quotedAmount.yuanText)),
                        field("planned_voucher_amount", string(order.plannedVoucherAmount.yuanText)),
                        field("items", "[" + items.joined(separator: ",") + "]"),
                    ].joined(separator: ",") + "}") + ","
        out +=
            field(
                "contracts",
                "["
                    + request.contracts.map { contract in
                        "{"
                            + [
                                field("contract_no", string(contract.contractNumber)),
                                field("amount", string(contract.amount.yuanText)),
                                field("signed_on", string(contract.signedOn.description)),
                                field("file", file(contract.file)),
                            ].joined(separator: ",") + "}"
                    }.joined(separator: ",") + "]") + ","
        out += field("requested_voucher_amount", string(request.requestedVoucherAmount.yuanText)) + ","
        out +=
            field(
                "invoices",
                "["
                    + request.invoices.map { invoice in
                        "{"
                            + [
                                field("code", invoice.code.map(string) ?? "null"),
                                field("number", string(invoice.number)),
                                field("amount", string(invoice.amount.yuanText)),
                                field("issued_on", string(invoice.issuedOn.description)),
                                field("seller_uscc", string(invoice.sellerUSCC)),
                                field("buyer_uscc", string(invoice.buyerUSCC)),
                                field("file", file(invoice.file)),
                            ].joined(separator: ",") + "}"
                    }.joined(separator: ",") + "]") + ","
        out +=
            field(
                "bank_receipts",
                "["
                    + request.bankReceipts.map { receipt in
                        "{"
                            + [
                                field("amount", string(receipt.amount.yuanText)),
                                field("paid_on", string(receipt.paidOn.description)),
                                field("file", file(receipt.file)),
                            ].joined(separator: ",") + "}"
                    }.joined(separator: ",") + "]") + ","
        out +=
            field(
                "service_reports",
                "["
                    + request.serviceReports.map { report in
                        "{" + field("service_id", string(report.serviceID)) + "," + field("file", file(report.file))
                            + "}"
                    }.joined(separator: ",") + "]") + ","
        out +=
            field(
                "rnd_proofs",
                "[" + request.rndProofs.map { "{" + field("file", file($0)) + "}" }.joined(separator: ",") + "]") + ","
        out += field(
            "other_materials",
            "[" + request.otherMaterials.map { "{" + field("file", file($0)) + "}" }.joined(separator: ",") + "]")
        return out + "}"
    }

    static func field(_ key: String, _ value: String) -> String { string(key) + ":" + value }

    static func string(_ text: String) -> String { JSONText.string(text) }

    static func file(_ file: FileDescriptor) -> String {
        var parts = [
            field("name", string(file.name)), field("type", string(file.type)), field("size", String(file.size)),
            field("sha256", string(file.sha256)),
        ]
        if let path = file.path { parts.append(field("path", string(path))) }
        return "{" + parts.joined(separator: ",") + "}"
    }
}
