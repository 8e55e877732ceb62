/// Small text helpers the manifest reader shares, kept in one namespace so they cannot clash with
/// other parts of the module.
enum ManifestText {
    /// An ASCII decimal digit.
    static func isDigit(_ character: Character) -> Bool {
        character.isASCII && character.isNumber
    }

    /// `text` cut to a length that fits in a one-line message.
    static func abbreviated(_ text: String) -> String {
        text.count <= 60 ? text : String(text.prefix(57)) + "..."
    }

    /// `text` without spaces and tabs at either end.
    static func trimmed(_ text: String) -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(text.drop(while: isBlank).reversed().drop(while: isBlank).reversed())
    }

    /// The parts of `text` between occurrences of `separator` (all of them, empty ones included).
    static func split(_ text: String, on separator: String) -> [String] {
        var parts: [String] = [""]
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.hasPrefix(separator) {
                parts.append("")
                rest = rest.dropFirst(separator.count)
            } else {
                parts[parts.count - 1].append(rest.removeFirst())
            }
        }
        return parts
    }
}
