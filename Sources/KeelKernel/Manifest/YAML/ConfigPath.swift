/// A path into a plugin's `config`, as a plugin reports it in `keel_error.config_path`:
/// keys joined by `.`, list items as `[n]` (`members[1].url`, `shards[0][2]`, `limits.max_bytes`).
enum ConfigPathStep: Sendable, Hashable {
    case key(String)
    case index(Int)

    /// The steps of `path`. Text that does not follow the grammar ends the path there, so a
    /// malformed path still leads as far as it can be read.
    static func parse(_ path: String) -> [ConfigPathStep] {
        var steps: [ConfigPathStep] = []
        var key = ""
        var characters = Substring(path)
        func flushKey() {
            if !key.isEmpty { steps.append(.key(key)) }
            key = ""
        }
        while let character = characters.first {
            characters = characters.dropFirst()
            switch character {
            case ".":
                flushKey()
            case "[":
                flushKey()
                let digits = characters.prefix { $0 != "]" }
                guard let index = Int(digits), characters.dropFirst(digits.count).first == "]" else {
                    return steps
                }
                steps.append(.index(index))
                characters = characters.dropFirst(digits.count + 1)
            default:
                key.append(character)
            }
        }
        flushKey()
        return steps
    }
}

extension YAMLValue {
    /// The position of the value at `steps` below this one, or of its nearest ancestor that exists.
    ///
    /// A value that exists is pointed at directly. When the path leaves the tree, the answer is the
    /// last key that matched (where a missing child would be written) or the last list item.
    /// `nil` when not even the first step matches.
    func location(following steps: [ConfigPathStep]) -> SourceLocation? {
        var current = self
        var found: SourceLocation?
        for (position, step) in steps.enumerated() {
            let isLast = position == steps.count - 1
            switch step {
            case .key(let name):
                guard let entry = current.entry(name) else { return found }
                // An empty value (`url:`) has no text of its own to point at; its key stands for it.
                let isEmpty = entry.value.scalar.map { $0.isPlain && $0.text.isEmpty } ?? false
                found = isLast && !isEmpty ? entry.value.location : entry.key.location
                current = entry.value
            case .index(let index):
                guard let items = current.items, items.indices.contains(index) else { return found }
                current = items[index]
                found = current.location
            }
        }
        return found
    }
}
