import CLibXML2

/// A thin wrapper over libxml2's streaming `xmlTextWriter`, writing UTF-8 to a file. Free text
/// must go through `XMLText.clean` first: the writer does not escape control characters, and
/// libxml2 would then refuse to read the file back. The file is complete only after `finish()`.
final class XMLStreamWriter {
    private var writer: xmlTextWriterPtr?
    let path: String

    init(path: String) throws {
        guard let writer = xmlNewTextWriterFilename(path, 0) else {
            throw BankFileError("cannot open \(path) for XML writing")
        }
        self.writer = writer
        self.path = path
        xmlTextWriterSetIndent(writer, 1)
        xmlTextWriterSetIndentString(writer, "  ")
        try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil), "start the document")
    }

    deinit {
        if let writer { xmlFreeTextWriter(writer) }
    }

    private func check(_ status: Int32, _ what: String) throws {
        guard status >= 0 else { throw BankFileError("libxml2 could not \(what) in \(path)") }
    }

    private var handle: xmlTextWriterPtr {
        get throws {
            guard let writer else { throw BankFileError("the XML writer of \(path) is already closed") }
            return writer
        }
    }

    func start(_ name: String, namespace: String? = nil) throws {
        try check(xmlTextWriterStartElement(try handle, name), "start <\(name)>")
        if let namespace { try attribute("xmlns", namespace) }
    }

    func attribute(_ name: String, _ value: String) throws {
        try check(xmlTextWriterWriteAttribute(try handle, name, XMLText.clean(value)), "write @\(name)")
    }

    func end() throws {
        try check(xmlTextWriterEndElement(try handle), "end an element")
    }

    /// Text inside the open element, cleaned and escaped.
    func text(_ text: String) throws {
        try check(xmlTextWriterWriteString(try handle, XMLText.clean(text)), "write text")
    }

    /// `<name>text</name>`, the text cleaned and escaped.
    func element(_ name: String, _ text: String) throws {
        try check(xmlTextWriterWriteElement(try handle, name, XMLText.clean(text)), "write <\(name)>")
    }

    /// Ends the document and frees the writer, which flushes and closes the file.
    func finish() throws {
        try check(xmlTextWriterEndDocument(try handle), "end the document")
        if let writer { xmlFreeTextWriter(writer) }
        writer = nil
    }
}

/// Free text made safe for XML 1.0.
enum XMLText {
    /// Removes characters XML 1.0 forbids (C0 controls other than tab, LF and CR; U+FFFE; U+FFFF),
    /// turns tab, LF and CR into spaces, and collapses runs of spaces.
    static func clean(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var lastWasSpace = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value == 0x09 || value == 0x0A || value == 0x0D || value == 0x20 || value == 0x3000 {
                if !lastWasSpace && !out.isEmpty { out.append(" ") }
                lastWasSpace = true
                continue
            }
            if value < 0x20 || value == 0xFFFE || value == 0xFFFF || (0x7F...0x9F).contains(value) { continue }
            out.append(scalar)
            lastWasSpace = false
        }
        var result = String(out)
        while result.hasSuffix(" ") { result.removeLast() }
        return result
    }

    /// At most `limit` characters (ISO 20022 Max35Text, Max140Text).
    static func limited(_ text: String, _ limit: Int) -> String {
        let cleaned = clean(text)
        return cleaned.count <= limit ? cleaned : String(cleaned.prefix(limit))
    }
}

public struct BankFileError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
