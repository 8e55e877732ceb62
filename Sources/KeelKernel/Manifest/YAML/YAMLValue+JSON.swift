extension YAMLValue {
    /// This value as compact JSON text, or the diagnostics for parts JSON cannot hold.
    ///
    /// Mappings become objects (keys in file order), lists arrays, and scalars are typed by the
    /// YAML 1.2 core schema: `null`, booleans, numbers (integers of any size stay exact), and strings
    /// for everything else, including every quoted scalar. `.inf`, `.nan` and keys that are not
    /// scalars have no JSON form and are reported at their position.
    ///
    /// With `pathsRelativeTo`, a relative string under a path key (`ConfigPathKeys`) is resolved
    /// against that folder, as `node.data_dir` is, so a plugin sees the same file from any working directory.
    func jsonText(describedAs path: String, pathsRelativeTo directory: String? = nil) -> Result<String, ManifestError> {
        var output = ""
        var diagnostics: [ManifestDiagnostic] = []
        appendJSON(to: &output, path: path, pathsRelativeTo: directory, diagnostics: &diagnostics)
        return diagnostics.isEmpty ? .success(output) : .failure(ManifestError(diagnostics: diagnostics))
    }

    private func appendJSON(to output: inout String, path: String, pathsRelativeTo directory: String?, isPathValue: Bool = false,
                            diagnostics: inout [ManifestDiagnostic]) {
        switch content {
        case .mapping(let entries):
            output += "{"
            for (index, entry) in entries.enumerated() {
                if index > 0 { output += "," }
                guard let name = entry.name else {
                    diagnostics.append(.error(at: entry.key.location,
                        "`\(path)` has a key that is \(entry.key.kindDescription); JSON objects need text keys"))
                    continue
                }
                output += JSONString.quoted(name) + ":"
                entry.value.appendJSON(to: &output, path: path + "." + name, pathsRelativeTo: directory,
                                       isPathValue: ConfigPathKeys.isPathKey(name), diagnostics: &diagnostics)
            }
            output += "}"
        case .sequence(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                item.appendJSON(to: &output, path: "\(path)[\(index)]", pathsRelativeTo: directory, diagnostics: &diagnostics)
            }
            output += "]"
        case .scalar(let scalar):
            switch scalar.coreValue {
            case .null: output += "null"
            case .bool(let value): output += value ? "true" : "false"
            case .integer(let decimal): output += decimal
            case .float(let json?): output += json
            case .float(nil):
                diagnostics.append(.error(at: location,
                    "`\(path)` is `\(scalar.text)`, which JSON cannot represent; quote it to pass it as a string"))
                output += "null"
            case .string:
                if isPathValue, let directory, ConfigPathKeys.isRelativePath(scalar.text) {
                    output += JSONString.quoted(ManifestPath(written: scalar.text, relativeTo: directory, location: location).resolved)
                } else {
                    output += JSONString.quoted(scalar.text)
                }
            }
        }
    }
}

/// JSON string literals (RFC 8259 §7).
enum JSONString {
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
