import Foundation
import KeelJSONRPC

/// JSON values printed for people and scripts.
enum JSONText {
    /// A plugin's `--config` as given on the command line: a JSON object, or the user's error naming `command`.
    static func configObject(_ text: String, command: String) throws -> JSONValue {
        let value: JSONValue
        do { value = try JSONValue(parsing: text) } catch {
            throw UserError("\(command): --config is not JSON: \(error)")
        }
        guard case .object = value else { throw UserError("\(command): --config must be a JSON object") }
        return value
    }

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
