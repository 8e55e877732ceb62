import Yams

/// Parses YAML text into a `YAMLValue` tree whose positions name `file`, turning Yams' errors
/// (syntax, duplicate keys, undefined aliases) into `FILE:LINE:COL: error: …` diagnostics.
enum YAMLDocument {
    /// The document's root, `nil` for an empty document, or the syntax error.
    static func parse(_ yaml: String, file: String) -> Result<YAMLValue?, ManifestError> {
        do {
            // The basic resolver types nothing: typing is done here, by the core schema, and only
            // where a type is expected.
            guard let root = try Yams.compose(yaml: yaml, .basic) else { return .success(nil) }
            return .success(convert(root, file: file))
        } catch let error as YamlError {
            return .failure(ManifestError(diagnostics: [diagnostic(for: error, yaml: yaml, file: file)]))
        } catch {
            return .failure(ManifestError(at: SourceLocation(file: file, line: 1, column: 1),
                                          "cannot read the YAML: \(error)"))
        }
    }

    private static func convert(_ node: Node, file: String) -> YAMLValue {
        let location = SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        switch node {
        case .scalar(let scalar):
            return YAMLValue(content: .scalar(scalarValue(scalar)), location: location)
        case .mapping(let mapping):
            let entries = mapping.map { key, value in
                YAMLEntry(key: convert(key, file: file), value: convert(value, file: file))
            }
            return YAMLValue(content: .mapping(entries), location: location)
        case .sequence(let sequence):
            return YAMLValue(content: .sequence(sequence.map { convert($0, file: file) }), location: location)
        case .alias(let alias):
            // Yams resolves aliases while composing; an unresolved one is a string of its name.
            return YAMLValue(content: .scalar(YAMLScalar(text: "*" + alias.anchor.rawValue, isPlain: false,
                                                        explicitTag: nil)),
                             location: location)
        }
    }

    private static func scalarValue(_ scalar: Node.Scalar) -> YAMLScalar {
        // `Tag.description` is the tag's name: empty for a plain scalar without a tag, the `str` tag
        // for a quoted one, and the full name for an explicit `!!int`, `!custom`, ….
        let tagName = scalar.tag.description
        let isPlain = scalar.style == .plain || scalar.style == .any
        let explicitTag: String?
        if tagName.isEmpty || (!isPlain && tagName == Tag.Name.str.rawValue) {
            explicitTag = nil
        } else {
            explicitTag = tagName
        }
        return YAMLScalar(text: scalar.string, isPlain: isPlain, explicitTag: explicitTag)
    }

    private static func diagnostic(for error: YamlError, yaml: String, file: String) -> ManifestDiagnostic {
        func at(_ mark: Mark) -> SourceLocation {
            SourceLocation(file: file, line: max(mark.line, 1), column: max(mark.column, 1))
        }
        func withContext(_ problem: String, _ context: YamlError.Context?) -> String {
            guard let context else { return "invalid YAML: \(problem)" }
            return "invalid YAML: \(problem) (\(context.text) at \(context.mark.line):\(context.mark.column))"
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            // The end of the file is never where the fix goes: point at what was left open.
            if problem == "found unexpected end of stream", let context {
                return .error(at: at(context.mark), "invalid YAML: the file ends \(context.text) that starts here")
            }
            if character(at: mark, in: yaml) == "\t" {
                return .error(at: at(mark), "invalid YAML: a tab where YAML allows only spaces; indent with spaces")
            }
            return .error(at: at(mark), withContext(problem, context))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "`\($0)`" }.joined(separator: ", ")
            let noun = duplicates.count == 1 ? "key" : "keys"
            return .error(at: at(context.mark),
                          "duplicate \(noun) \(names) in one mapping; keep only one of each")
        case .reader(let problem, let offset, _, _):
            return .error(at: location(ofCharacterOffset: offset ?? 0, in: yaml, file: file),
                          "cannot read the file as UTF-8 YAML: \(problem)")
        default:
            return .error(at: SourceLocation(file: file, line: 1, column: 1), "cannot read the YAML: \(error)")
        }
    }

    /// The character at a 1-based line and column (columns in Unicode scalars), if there is one.
    private static func character(at mark: Mark, in yaml: String) -> Unicode.Scalar? {
        var line = 1
        var column = 1
        for scalar in yaml.unicodeScalars {
            if line == mark.line && column == mark.column { return scalar }
            if scalar == "\n" {
                if line == mark.line { return nil }
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return nil
    }

    private static func location(ofCharacterOffset offset: Int, in yaml: String, file: String) -> SourceLocation {
        var line = 1
        var column = 1
        for character in yaml.prefix(offset) {
            if character == "\n" || character == "\r\n" {
                line += 1
                column = 1
            } else {
                column += character.unicodeScalars.count
            }
        }
        return SourceLocation(file: file, line: line, column: column)
    }
}
