/// Rules on the other documents: REPORT_MISSING, RND_PROOF, OTHER_FILE and ATTACHMENT_MISMATCH.
public enum DocumentRules {
    public static func check(_ context: RuleContext, into findings: inout FindingList) {
        let request = context.request
        let limit = context.policy.maximumFileBytes
        var reportsByService: [ByteString: [ServiceReport]] = [:]
        for report in request.serviceReports {
            reportsByService[ByteString(report.serviceID), default: []].append(report)
        }
        var checkedServices = FewSeen<ByteString>()
        for item in request.order.items where checkedServices.insert(ByteString(item.serviceID)) {
            guard let reports = reportsByService[ByteString(item.serviceID)] else {
                findings.add(.reportMissing, "服务 \(item.serviceID)（\(item.name)）没有服务报告")
                continue
            }
            for report in reports {
                if let problem = FileRule.problem(report.file, allowed: FileRule.pdfOnly, maximumBytes: limit) {
                    findings.add(.reportMissing, "服务 \(item.serviceID) 的报告：\(problem)")
                }
            }
        }
        if request.rndProofs.count != 1 {
            findings.add(.rndProof, "研发活动证明应有且仅有一份，实有 \(request.rndProofs.count) 份")
        } else if let proof = request.rndProofs.first,
            let problem = FileRule.problem(proof, allowed: FileRule.pdfOnly, maximumBytes: limit)
        {
            findings.add(.rndProof, "研发活动证明：\(problem)")
        }
        for other in request.otherMaterials {
            if let problem = FileRule.problem(other, allowed: FileRule.pdfOnly, maximumBytes: limit) {
                findings.add(.otherFile, "其他材料：\(problem)")
            }
        }
        for problem in context.input.attachmentProblems {
            findings.add(.attachmentMismatch, problem)
        }
    }
}
