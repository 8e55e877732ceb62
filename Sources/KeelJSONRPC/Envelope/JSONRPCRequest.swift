/// A JSON-RPC 2.0 request id: a number, a string or null. Numbers keep their text so the server
/// echoes exactly what the client sent.
public enum JSONRPCID: Sendable, Hashable, CustomStringConvertible {
    case number(String)
    case string(String)
    case null

    /// The id of a request object's `id` member; `nil` when the member has a type JSON-RPC forbids.
    public init?(_ value: JSONValue) {
        switch value {
        case .number(let text): self = .number(text)
        case .string(let text): self = .string(text)
        case .null: self = .null
        default: return nil
        }
    }

    public var json: JSONValue {
        switch self {
        case .number(let text): .number(text)
        case .string(let text): .string(text)
        case .null: .null
        }
    }

    public var description: String { json.jsonText }
}

/// A JSON-RPC 2.0 request: `{"jsonrpc":"2.0","id":…,"method":…,"params":[…]}`.
public struct JSONRPCRequest: Sendable, Hashable {
    /// The id to echo; `nil` for a notification (no `id` member), which gets no response.
    public var id: JSONRPCID?
    public var method: String
    /// `.array` (by position), `.object` (by name) or `nil` (no params).
    public var params: JSONValue?

    public init(id: JSONRPCID?, method: String, params: JSONValue?) {
        self.id = id
        self.method = method
        self.params = params
    }

    /// Reads a request object, refusing (-32600, invalid request) what JSON-RPC 2.0 does not allow:
    /// not an object, `jsonrpc` other than "2.0", an id that is not a number, string or null,
    /// a method that is not a string, params that are neither an array nor an object.
    public init(_ value: JSONValue) throws(RPCError) {
        guard case .object(let members) = value else {
            throw RPCError.invalidRequest("invalid request: expected a JSON-RPC request object, found \(value.kind)")
        }
        guard members["jsonrpc"] == .string("2.0") else {
            throw RPCError.invalidRequest("invalid request: the member \"jsonrpc\" must be \"2.0\"")
        }
        if let idValue = members["id"] {
            guard let id = JSONRPCID(idValue) else {
                throw RPCError.invalidRequest("invalid request: the id must be a number, a string or null, found \(idValue.kind)")
            }
            self.id = id
        } else {
            self.id = nil
        }
        guard case .string(let method)? = members["method"] else {
            throw RPCError.invalidRequest("invalid request: the member \"method\" must be a string")
        }
        self.method = method
        switch members["params"] {
        case nil, .null?: params = nil
        case .array?, .object?: params = members["params"]
        case let other?:
            throw RPCError.invalidRequest("invalid request: \"params\" must be an array or an object, found \(other.kind)")
        }
    }

    /// The id a response to a refused request carries: the request's id when it could be read, else null.
    public static func echoedID(of value: JSONValue) -> JSONRPCID {
        value["id"].flatMap(JSONRPCID.init) ?? .null
    }

    /// Appends the request as JSON.
    public func write(to writer: inout JSONWriter) {
        writer.writeASCII("{\"jsonrpc\":\"2.0\"")
        if let id {
            writer.writeASCII(",\"id\":")
            writer.write(id.json)
        }
        writer.writeASCII(",\"method\":")
        writer.writeString(method)
        if let params {
            writer.writeASCII(",\"params\":")
            writer.write(params)
        }
        writer.writeASCII("}")
    }
}
