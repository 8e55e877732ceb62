/// Reads a manifest's YAML tree into typed values, collecting every problem instead of stopping
/// at the first: each reader reports what it can and returns `nil` for what it cannot build.
struct ManifestReader {
    /// A mapping's entries by key, with the mapping's own position and manifest path.
    struct Fields {
        var value: YAMLValue
        var path: String
        var entries: [String: YAMLEntry]

        subscript(key: String) -> YAMLValue? { entries[key]?.value }

        /// `path.key`, or `key` at the top level.
        func path(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    }

    /// The manifest's name in diagnostics.
    let file: String
    /// The absolute folder relative paths are resolved against.
    let directory: String
    private(set) var diagnostics: [ManifestDiagnostic] = []

    init(file: String, directory: String) {
        self.file = file
        self.directory = directory
    }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    mutating func error(at location: SourceLocation, _ message: String) {
        diagnostics.append(.error(at: location, message))
    }

    mutating func warning(at location: SourceLocation, _ message: String) {
        diagnostics.append(.warning(at: location, message))
    }

    mutating func report(_ more: [ManifestDiagnostic]) {
        diagnostics += more
    }

    /// How messages name a path: "`rollup`", or "the manifest" at the top level.
    static func subject(_ path: String) -> String { path.isEmpty ? "the manifest" : "`\(path)`" }

    // MARK: Mappings

    /// The entries of `value` if it is a mapping, reporting every key not in `known` (with a
    /// "did you mean" for near misses). `expected` names the mapping in the wrong-type message.
    mutating func fields(of value: YAMLValue, path: String, known: [String],
                         expected: String = "a mapping") -> Fields? {
        guard let entries = value.entries else {
            wrongType(value, path: path, expected: expected)
            return nil
        }
        var byName: [String: YAMLEntry] = [:]
        for entry in entries {
            guard let name = entry.name else {
                error(at: entry.key.location, "\(ManifestReader.subject(path)) has a key that is "
                      + "\(entry.key.kindDescription); keys are names")
                continue
            }
            guard known.contains(name) else {
                unknownKey(name, at: entry.key.location, path: path, known: known)
                continue
            }
            byName[name] = entry
        }
        return Fields(value: value, path: path, entries: byName)
    }

    mutating func unknownKey(_ name: String, at location: SourceLocation, path: String, known: [String]) {
        let place = path.isEmpty ? "at the top level" : "in `\(path)`"
        if let suggestion = DidYouMean.suggestion(for: name, among: known) {
            error(at: location, "unknown key `\(name)` \(place); did you mean `\(suggestion)`?")
        } else {
            let list = known.map { "`\($0)`" }.joined(separator: ", ")
            error(at: location, "unknown key `\(name)` \(place); expected one of \(list)")
        }
    }

    /// The value under `key`, or an error at the mapping if it is missing.
    mutating func required(_ key: String, in fields: Fields) -> YAMLValue? {
        if let value = fields[key] { return value }
        error(at: fields.value.location,
              "\(ManifestReader.subject(fields.path)) is missing the required key `\(key)`")
        return nil
    }

    mutating func wrongType(_ value: YAMLValue, path: String, expected: String, hint: String = "") {
        error(at: value.location, "\(ManifestReader.subject(path)) must be \(expected), but is \(value.kindDescription)\(hint)")
    }

    // MARK: Scalars

    /// Text: any scalar but null and booleans (a number written plain is taken as its text).
    mutating func text(_ value: YAMLValue, path: String, expected: String = "text") -> String? {
        guard let scalar = value.scalar else {
            wrongType(value, path: path, expected: expected)
            return nil
        }
        switch scalar.coreValue {
        case .null, .bool:
            wrongType(value, path: path, expected: expected, hint: "; quote it if it is meant as text")
            return nil
        case .string, .integer, .float:
            return scalar.text
        }
    }

    /// Non-empty text.
    mutating func nonEmptyText(_ value: YAMLValue, path: String) -> String? {
        guard let text = text(value, path: path) else { return nil }
        guard !text.isEmpty else {
            error(at: value.location, "`\(path)` is empty; give it a value")
            return nil
        }
        return text
    }

    /// A whole number written plain (not quoted) within `range`.
    mutating func integer<T: FixedWidthInteger & UnsignedInteger>(
        _ value: YAMLValue, path: String, in range: ClosedRange<T> = T.min...T.max
    ) -> T? {
        guard let scalar = value.scalar, case .integer(let decimal) = scalar.coreValue else {
            let looksNumeric = value.scalar.map { !$0.text.isEmpty && $0.text.allSatisfy(ManifestText.isDigit) } ?? false
            wrongType(value, path: path, expected: "a whole number",
                      hint: looksNumeric ? "; write it without quotes" : "")
            return nil
        }
        guard !decimal.hasPrefix("-"), let number = T(decimal), range.contains(number) else {
            error(at: value.location,
                  "`\(path)` must be from \(range.lowerBound) to \(range.upperBound), but is \(decimal)")
            return nil
        }
        return number
    }

    /// One of a fixed set of words, with "did you mean" for a near miss.
    mutating func choice<Choice: RawRepresentable & CaseIterable>(
        _ value: YAMLValue, path: String, noun: String
    ) -> Choice? where Choice.RawValue == String {
        guard let word = text(value, path: path, expected: "a \(noun)") else { return nil }
        if let found = Choice(rawValue: word) { return found }
        let options = Choice.allCases.map(\.rawValue)
        var message = "`\(path)` is `\(ManifestText.abbreviated(word))`, which is not a \(noun)"
        if let suggestion = DidYouMean.suggestion(for: word, among: options) {
            message += "; did you mean `\(suggestion)`?"
        } else {
            message += "; expected one of " + options.map { "`\($0)`" }.joined(separator: ", ")
        }
        error(at: value.location, message)
        return nil
    }

    /// A path from the manifest, resolved against its folder.
    mutating func path(_ value: YAMLValue, path: String) -> ManifestPath? {
        guard let written = nonEmptyText(value, path: path) else { return nil }
        return ManifestPath(written: written, relativeTo: directory, location: value.location)
    }
}
