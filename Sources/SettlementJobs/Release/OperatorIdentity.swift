import Foundation

/// Who prepared a payment batch and who releases it, compared as people rather than as bytes.
///
/// Identifiers are compared by their bytes everywhere else; here the comparison guards the two-key
/// release (双人复核), and a byte comparison would let one person pass as a second by writing their
/// name with a trailing space, in capitals, in full-width letters or with an invisible character.
/// So two names are the same person when their folded forms are: compatibility-normalized (NFKC:
/// full-width letters and the ideographic space become their plain forms), lowercased, invisible
/// characters (format and default-ignorable code points such as U+200B, U+FEFF), control
/// characters and white space dropped (`王 会计` is `王会计`). Folding only ever makes more names
/// equal, so it errs towards refusing a release, never towards allowing one.
enum OperatorIdentity {
    static func folded(_ name: String) -> String {
        let compatible = name.precomposedStringWithCompatibilityMapping.lowercased()
            .precomposedStringWithCompatibilityMapping
        var folded = String.UnicodeScalarView()
        for scalar in compatible.unicodeScalars {
            let properties = scalar.properties
            guard
                !properties.isWhitespace, !properties.isDefaultIgnorableCodePoint,
                properties.generalCategory != .format, properties.generalCategory != .control
            else { continue }
            folded.append(scalar)
        }
        return String(folded)
    }

    /// Whether the two names are the same person's (their folded forms have the same bytes).
    static func samePerson(_ one: String, _ other: String) -> Bool {
        folded(one).sameBytes(as: folded(other))
    }
}
