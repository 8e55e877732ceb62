/// A JSON-RPC 2.0 response: a result or an error, with the request's id.
public struct JSONRPCResponse: Sendable, Hashable {
    public var id: JSONRPCID
    public var outcome: Result<JSONValue, RPCError>

    public init(id: JSONRPCID, outcome: Result<JSONValue, RPCError>) {
        self.id = id
        self.outcome = outcome
    }

    public init(id: JSONRPCID, result: JSONValue) {
        self.init(id: id, outcome: .success(result))
    }

    public init(id: JSONRPCID, error: RPCError) {
        self.init(id: id, outcome: .failure(error))
    }

    /// Appends `{"jsonrpc":"2.0","id":…,"result":…}` or `…,"error":{"code":…,"message":…,"data":…}}`.
    public func write(to writer: inout JSONWriter) {
        writer.writeASCII("{\"jsonrpc\":\"2.0\",\"id\":")
        writer.write(id.json)
        switch outcome {
        case .success(let result):
            writer.writeASCII(",\"result\":")
            writer.write(result)
        case .failure(let error):
            writer.writeASCII(",\"error\":{\"code\":")
            writer.writeNumber(String(error.code))
            writer.writeASCII(",\"message\":")
            writer.writeString(error.message)
            if let data = error.data {
                writer.writeASCII(",\"data\":")
                writer.write(data)
            }
            writer.writeASCII("}")
        }
        writer.writeASCII("}")
    }

    /// The response as JSON bytes.
    public var jsonBytes: [UInt8] {
        var writer = JSONWriter(reservingCapacity: 128)
        write(to: &writer)
        return writer.bytes
    }

    /// Reads a response object (what a client receives). Throws a description of what is wrong
    /// when `value` is not a JSON-RPC 2.0 response.
    public init(_ value: JSONValue) throws(JSONRPCResponseError) {
        guard case .object(let members) = value else {
            throw JSONRPCResponseError("expected a JSON-RPC response object, found \(value.kind)")
        }
        guard let idValue = members["id"], let id = JSONRPCID(idValue) else {
            throw JSONRPCResponseError("the response has no valid \"id\"")
        }
        self.id = id
        if let error = members["error"], error != .null {
            guard case .object(let fields) = error, let codeText = fields["code"], case .number(let digits) = codeText,
                  let code = Int(digits), case .string(let message)? = fields["message"] else {
                throw JSONRPCResponseError("the response's \"error\" is not an object with a numeric code and a message")
            }
            outcome = .failure(RPCError(code: code, message: message, data: fields["data"]))
        } else if let result = members["result"] {
            outcome = .success(result)
        } else {
            throw JSONRPCResponseError("the response has neither \"result\" nor \"error\"")
        }
    }
}

/// A JSON-RPC response that does not follow JSON-RPC 2.0.
public struct JSONRPCResponseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
