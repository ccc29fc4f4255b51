import CLibXML2
import Foundation

/// Streams an XML file with libxml2's `xmlTextReader`, calling back with each element's path and
/// text, so that a written file can be read back and checked.
///
/// A document type declaration (`<!DOCTYPE …>`) or an entity reference refuses the file: no
/// ISO 20022 message has either, and the reader does not expand entities, so a status written as
/// `&rejected;` would otherwise be read as empty text — and fall back to the group's status —
/// where any other XML reader sees `RJCT`. Nothing is fetched from the network (`XML_PARSE_NONET`)
/// and no external DTD or entity is loaded.
enum XMLDocumentReader {
    /// Calls `element` with the slash-joined path of local names (`Document/CstmrCdtTrfInitn/GrpHdr/MsgId`),
    /// the element's attributes and its text content (for elements holding text only).
    static func read(
        path: String, _ element: (_ path: String, _ attributes: [String: String], _ text: String?) throws -> Void
    ) throws {
        let handle: FileHandle
        switch SafeFile.openInput(path) {
        case .success(let opened): handle = opened
        case .failure(let error): throw BankFileError("\(path) \(error)")
        }
        defer { try? handle.close() }
        guard let reader = xmlReaderForFd(handle.fileDescriptor, path, nil, Int32(XML_PARSE_NONET.rawValue)) else {
            throw BankFileError("libxml2 cannot open \(path)")
        }
        defer { xmlFreeTextReader(reader) }
        var stack: [String] = []
        var pending: (path: String, attributes: [String: String], text: String)?
        while true {
            let status = xmlTextReaderRead(reader)
            if status == 0 { break }
            guard status == 1 else { throw BankFileError("\(path) is not well-formed XML") }
            let type = xmlTextReaderNodeType(reader)
            switch type {
            case 1:  // element
                if let open = pending {
                    try element(open.path, open.attributes, nil)
                    pending = nil
                }
                let name = string(xmlTextReaderConstLocalName(reader))
                let empty = xmlTextReaderIsEmptyElement(reader) == 1
                stack.append(name)
                var attributes: [String: String] = [:]
                if xmlTextReaderHasAttributes(reader) == 1 {
                    while xmlTextReaderMoveToNextAttribute(reader) == 1 {
                        attributes[string(xmlTextReaderConstLocalName(reader))] = string(
                            xmlTextReaderConstValue(reader))
                    }
                    xmlTextReaderMoveToElement(reader)
                }
                pending = (stack.joined(separator: "/"), attributes, "")
                if empty {
                    try element(stack.joined(separator: "/"), attributes, nil)
                    pending = nil
                    stack.removeLast()
                }
            case 3, 4:  // text, CDATA
                pending?.text += string(xmlTextReaderConstValue(reader))
            case 5, 10:  // entity reference, document type declaration
                throw BankFileError(
                    "it has \(type == 10 ? "a document type declaration (<!DOCTYPE …>)" : "an entity reference"), "
                        + "which no ISO 20022 message has; nothing was read from it")
            case 15:  // end element
                if let open = pending {
                    try element(open.path, open.attributes, open.text)
                    pending = nil
                }
                stack.removeLast()
            default:
                break
            }
        }
    }

    static func string(_ pointer: UnsafePointer<xmlChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }
}

/// Validates an XML file against an XSD with libxml2, collecting the errors through a
/// per-context handler (never the global one, which Foundation shares).
public enum XMLSchemaValidator {
    final class Collector {
        var messages: [String] = []
    }

    /// The validation errors (empty when the file is valid).
    public static func validate(file: String, schema: String) throws -> [String] {
        // The file is read by path below: refuse a link, a FIFO or a device first.
        if case .failure(let error) = SafeFile.openInput(file) { throw BankFileError("\(file) \(error)") }
        guard let parserContext = xmlSchemaNewParserCtxt(schema) else {
            throw BankFileError("cannot read the schema \(schema)")
        }
        defer { xmlSchemaFreeParserCtxt(parserContext) }
        let collector = Collector()
        let context = Unmanaged.passUnretained(collector).toOpaque()
        xmlSchemaSetParserStructuredErrors(parserContext, XMLSchemaValidator.handler, context)
        guard let parsed = xmlSchemaParse(parserContext) else {
            throw BankFileError(
                "the schema \(schema) is not valid: \(collector.messages.prefix(3).joined(separator: "; "))")
        }
        defer { xmlSchemaFree(parsed) }
        guard let validation = xmlSchemaNewValidCtxt(parsed) else {
            throw BankFileError("libxml2: no validation context")
        }
        defer { xmlSchemaFreeValidCtxt(validation) }
        xmlSchemaSetValidStructuredErrors(validation, XMLSchemaValidator.handler, context)
        let result = xmlSchemaValidateFile(validation, file, 0)
        if result != 0 && collector.messages.isEmpty { collector.messages.append("validation failed (\(result))") }
        return collector.messages
    }

    static let handler: xmlStructuredErrorFunc = { context, error in
        guard let context, let error else { return }
        let collector = Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue()
        let message = error.pointee.message.map { String(cString: $0) } ?? "unknown error"
        collector.messages.append("line \(error.pointee.line): " + message.trimmingSuffix("\n"))
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        var text = self
        while text.hasSuffix(suffix) { text.removeLast(suffix.count) }
        return text
    }
}
