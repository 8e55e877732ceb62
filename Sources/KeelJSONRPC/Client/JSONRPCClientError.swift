/// A JSON-RPC call that got no JSON-RPC answer: the node could not be reached, did not answer in
/// time, or answered with something that is not JSON-RPC. (An error *response* is an `RPCError`.)
public struct JSONRPCClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is, for programs that retry some and not others.
    public enum Kind: Sendable, Hashable {
        /// No connection: refused, unresolvable host, network down.
        case unreachable
        /// Connected, but no complete answer before the timeout.
        case timeout
        /// An answer that is not a JSON-RPC response (wrong HTTP status, not JSON, wrong shape).
        case badResponse
        /// The client was shut down before the call.
        case shutDown
    }

    public var kind: Kind
    /// The whole message: what happened, where, and what to try.
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    static func unreachable(_ url: String, reason: String) -> JSONRPCClientError {
        JSONRPCClientError(.unreachable, "cannot reach the node at \(url): \(reason); is `keel up` running?")
    }

    /// Words for a transport error: "connection refused" rather than NIO's struct dump when possible.
    static func reason(for error: any Error) -> String {
        let text = String(describing: error)
        let lowered = text.lowercased()
        if lowered.contains("connection refused") || lowered.contains("econnrefused") { return "connection refused" }
        if lowered.contains("connection reset") { return "connection reset by the node" }
        if lowered.contains("name or service not known") || lowered.contains("nodename nor servname")
            || lowered.contains("no address") { return "the host name does not resolve" }
        return text
    }
}
