import KeelCore
import KeelJSONRPC

/// A request's `params`, read the way go-ethereum reads them: by position, with errors such as
/// `invalid argument 0: hex string without 0x prefix` and `missing value for required argument 1`
/// (all -32602). A missing or `null` optional argument takes its default.
public struct RPCParameters: Sendable {
    /// The params as sent: an array, an object, or nil when absent.
    public let value: JSONValue?

    public init(_ value: JSONValue?) {
        self.value = value
    }

    /// The positional arguments; empty for none.
    public var positional: [JSONValue] {
        if case .array(let items)? = value { return items }
        return []
    }

    /// The params object of methods that take named params (`admin_setFlag`): the object itself, or
    /// an array's first element when it is an object.
    public func namedObject() throws(RPCError) -> [String: JSONValue] {
        switch value {
        case .object(let members)?: return members
        case .array(let items)? where items.count == 1:
            if case .object(let members) = items[0] { return members }
            throw RPCError.invalidParams("invalid argument 0: expected an object, found \(items[0].kind)")
        default:
            throw RPCError.invalidParams("missing value for required argument 0: expected an object of named parameters")
        }
    }

    /// Refuses more than `count` positional arguments, and params given as an object.
    public func expect(atMost count: Int) throws(RPCError) {
        if case .object? = value {
            throw RPCError.invalidParams("non-array args: this method takes its parameters as a JSON array")
        }
        if positional.count > count { throw RPCError.invalidParams("too many arguments, want at most \(count)") }
    }

    /// The argument at `index`, or nil when absent or null.
    public func optional(_ index: Int) -> JSONValue? {
        let items = positional
        guard index < items.count, items[index] != .null else { return nil }
        return items[index]
    }

    /// The argument at `index`; refused when absent or null.
    public func required(_ index: Int) throws(RPCError) -> JSONValue {
        guard let argument = optional(index) else { throw RPCError.invalidParams("missing value for required argument \(index)") }
        return argument
    }

    /// `invalid argument N: <reason>`.
    public static func invalid(_ index: Int, _ reason: some CustomStringConvertible) -> RPCError {
        RPCError.invalidParams("invalid argument \(index): \(reason)")
    }

    public func quantity(_ index: Int) throws(RPCError) -> UInt64 {
        let argument = try required(index)
        do { return try argument.decodeQuantity() } catch { throw Self.invalid(index, error) }
    }

    public func data(_ index: Int) throws(RPCError) -> [UInt8] {
        let argument = try required(index)
        do { return try argument.decodeData() } catch { throw Self.invalid(index, error) }
    }

    public func address(_ index: Int) throws(RPCError) -> Address {
        let argument = try required(index)
        do { return try argument.decodeAddress() } catch { throw Self.invalid(index, error) }
    }

    public func hash(_ index: Int) throws(RPCError) -> Hash32 {
        let argument = try required(index)
        do { return try argument.decodeHash() } catch { throw Self.invalid(index, error) }
    }

    /// A boolean argument; `defaultValue` when absent or null.
    public func bool(_ index: Int, default defaultValue: Bool) throws(RPCError) -> Bool {
        guard let argument = optional(index) else { return defaultValue }
        guard case .bool(let flag) = argument else {
            throw Self.invalid(index, "expected true or false, found \(argument.kind)")
        }
        return flag
    }

    /// A block number or tag (`latest`, `pending`, `earliest`, `safe`, `finalized`, or a quantity), or
    /// an EIP-1898 object `{"blockNumber": …}`; `defaultValue` when absent or null. An EIP-1898
    /// `{"blockHash": …}` comes back as `.hash` for the caller to look up.
    public func block(_ index: Int, default defaultValue: BlockTag = .latest) throws(RPCError) -> BlockSelector {
        guard let argument = optional(index) else { return .tag(defaultValue) }
        switch argument {
        case .string(let text):
            return .tag(try Self.blockTag(text, index: index))
        case .object(let members):
            if let number = members["blockNumber"], members["blockHash"] == nil, case .string(let text) = number {
                return .tag(try Self.blockTag(text, index: index))
            }
            if let hash = members["blockHash"], members["blockNumber"] == nil {
                do { return .hash(try hash.decodeHash()) } catch { throw Self.invalid(index, error) }
            }
            throw Self.invalid(index, "a block object needs exactly one of \"blockNumber\" or \"blockHash\"")
        default:
            throw Self.invalid(index, "expected a block number or tag, found \(argument.kind)")
        }
    }

    static func blockTag(_ text: String, index: Int) throws(RPCError) -> BlockTag {
        switch text {
        case "latest": return .latest
        case "pending": return .pending
        case "earliest": return .earliest
        case "safe": return .safe
        case "finalized": return .finalized
        default:
            do { return .number(try EthereumHex.decodeQuantity(text)) } catch { throw Self.invalid(index, error) }
        }
    }
}

/// A block as a parameter names it: a number or tag, or a hash (EIP-1898).
public enum BlockSelector: Sendable, Hashable {
    case tag(BlockTag)
    case hash(Hash32)

    /// The tag for the backend: a hash is looked up and becomes its number.
    func resolve(_ backend: any NodeBackend) throws(RPCError) -> BlockTag {
        switch self {
        case .tag(let tag): return tag
        case .hash(let hash):
            guard let block = try backend.block(hash: hash) else {
                throw RPCError.invalidParams("header for hash not found: \(hash)")
            }
            return .number(block.header.number)
        }
    }
}
