import KeelCore
import KeelJSONRPC

/// A node's answer to one call, read field by field: a missing or malformed field is a
/// `UserError` naming the method and the field, so a node speaking another dialect is told apart
/// from a user's mistake.
struct RPCReply: Sendable {
    let method: String
    let url: String
    let command: String
    /// The result as the node sent it.
    let value: JSONValue

    /// The reply narrowed to `value[key]` (for nested objects).
    func member(_ key: String) throws(UserError) -> RPCReply {
        RPCReply(method: method, url: url, command: command, value: try field(key))
    }

    /// Whether the result is JSON `null` (a receipt not yet there, a block past the head).
    var isNull: Bool { value == .null }

    /// `value[key]`, or `value` itself for `nil`; refuses a missing member.
    func field(_ key: String?) throws(UserError) -> JSONValue {
        guard let key else { return value }
        guard let member = value[key] else {
            throw malformed(key, "it is missing (the result is \(value.kind))")
        }
        return member
    }

    /// A quantity of at most 64 bits.
    func quantity(_ key: String? = nil) throws(UserError) -> UInt64 {
        let member = try field(key)
        do { return try member.decodeQuantity() } catch { throw malformed(key, error.description) }
    }

    /// A quantity of at most 128 bits (wei).
    func quantity128(_ key: String? = nil) throws(UserError) -> UInt128 {
        let member = try field(key)
        do { return try member.decodeQuantity128() } catch { throw malformed(key, error.description) }
    }

    /// Hex data.
    func data(_ key: String? = nil) throws(UserError) -> [UInt8] {
        let member = try field(key)
        do { return try member.decodeData() } catch { throw malformed(key, error.description) }
    }

    /// A 32-byte hash.
    func hash(_ key: String? = nil) throws(UserError) -> Hash32 {
        let member = try field(key)
        do { return try member.decodeHash() } catch { throw malformed(key, error.description) }
    }

    /// A boolean.
    func bool(_ key: String? = nil) throws(UserError) -> Bool {
        guard let flag = try field(key).boolValue else { throw malformed(key, "expected true or false") }
        return flag
    }

    /// A string.
    func string(_ key: String? = nil) throws(UserError) -> String {
        guard let text = try field(key).stringValue else { throw malformed(key, "expected a string") }
        return text
    }

    private func malformed(_ key: String?, _ reason: String) -> UserError {
        let subject = key.map { "`\($0)` in its answer" } ?? "its answer"
        return UserError("\(command): the node at \(url) answered \(method) with an unexpected value: \(subject): \(reason); "
                         + "is the URL a Keel node of this version?")
    }
}
