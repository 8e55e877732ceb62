import Foundation
import KeelJSONRPC

/// JSON values printed for people and scripts.
enum JSONText {
    /// One line, as the node sent it.
    static func compact(_ value: JSONValue) -> String {
        value.jsonText
    }

    /// Indented, keys sorted, for `--json`.
    static func pretty(_ value: JSONValue, indent: String = "") -> String {
        let inner = indent + "  "
        switch value {
        case .array(let items) where !items.isEmpty:
            return "[\n" + items.map { inner + pretty($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let members) where !members.isEmpty:
            let lines = members.keys.sorted().map { key in
                inner + compact(.string(key)) + ": " + pretty(members[key] ?? .null, indent: inner)
            }
            return "{\n" + lines.joined(separator: ",\n") + "\n\(indent)}"
        default:
            return compact(value)
        }
    }
}
