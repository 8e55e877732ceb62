/// A JSON-RPC error: the code and message a client sees (JSON-RPC 2.0 and EIP-1474 codes).
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: Int
    public var message: String
    /// More about the error for programs (the `data` member), e.g. a flag error's code.
    public var data: JSONValue?

    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public var description: String { "\(message) (\(code))" }

    public static func parse(_ message: String) -> RPCError { RPCError(code: -32700, message: message) }
    public static func invalidRequest(_ message: String) -> RPCError { RPCError(code: -32600, message: message) }
    public static func methodNotFound(_ method: String) -> RPCError {
        RPCError(code: -32601, message: "the method \(method) does not exist/is not available")
    }
    public static func invalidParams(_ message: String) -> RPCError { RPCError(code: -32602, message: message) }
    public static func internalError(_ message: String) -> RPCError { RPCError(code: -32603, message: message) }
    /// A refused transaction or call, as go-ethereum reports them (-32000, the message wallets match on).
    public static func transactionRejected(_ message: String) -> RPCError { RPCError(code: -32000, message: message) }
    /// Something the node cannot answer yet (a withdrawal not in a batch, a pruned state version).
    public static func unavailable(_ message: String) -> RPCError { RPCError(code: -32001, message: message) }
    /// An admin method without the right bearer token.
    public static func unauthorized(_ message: String) -> RPCError { RPCError(code: -32002, message: message) }
    /// A request body over the limit.
    public static func oversized(_ message: String) -> RPCError { RPCError(code: -32600, message: message) }
}
