/// A YAML document as the manifest reader sees it: every node keeps its position in the file.
///
/// Built from Yams' node tree, which is not `Sendable` and gives no easy way to carry a file name.
/// Scalars keep their source text and whether they were written plain, so they can be typed by
/// the YAML 1.2 core schema (`CoreScalar`) where a type is expected, and kept as text otherwise.
struct YAMLValue: Sendable, Hashable {
    enum Content: Sendable, Hashable {
        case scalar(YAMLScalar)
        case mapping([YAMLEntry])
        case sequence([YAMLValue])
    }

    var content: Content
    var location: SourceLocation

    var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    var entries: [YAMLEntry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    var items: [YAMLValue]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// The value under the key `key`, if this is a mapping that has it.
    func entry(_ key: String) -> YAMLEntry? {
        entries?.first { $0.key.scalar?.text == key }
    }

    /// How a user would name this value's type in a message: "a string (`abc`)", "a list", …
    var kindDescription: String {
        switch content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let scalar):
            switch scalar.coreValue {
            case .null: return "nothing (null)"
            case .bool(let value): return "the boolean `\(value)`"
            case .integer: return "the integer `\(scalar.text)`"
            case .float: return "the number `\(scalar.text)`"
            case .string: return "the string `\(ManifestText.abbreviated(scalar.text))`"
            }
        }
    }
}

/// A key and its value in a mapping. Keys are usually scalars; their position is where the key starts.
struct YAMLEntry: Sendable, Hashable {
    var key: YAMLValue
    var value: YAMLValue

    /// The key's text, or `nil` for a key that is itself a mapping or a list.
    var name: String? { key.scalar?.text }
}

/// A scalar's text and the facts the core schema needs to type it.
struct YAMLScalar: Sendable, Hashable {
    /// The text after YAML processing (quotes removed, escapes applied, folded lines joined).
    var text: String
    /// Written without quotes and not as a `|` or `>` block: only such scalars get implicit types.
    var isPlain: Bool
    /// An explicit tag such as `tag:yaml.org,2002:str` (written `!!str`), if the author gave one.
    var explicitTag: String?

    /// The value under the YAML 1.2 core schema.
    var coreValue: CoreScalar { CoreScalar(self) }
}
