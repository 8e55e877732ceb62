import KeelJSONRPC

/// One call as a method handler sees it: the node, the parameters and who asked.
public struct RPCCall: Sendable {
    /// The method's name, for messages.
    public let method: String
    public let params: RPCParameters
    public let backend: any NodeBackend
    /// The client's IP address, when the transport knows it (recorded as the actor of admin changes).
    public let clientAddress: String?
    /// The request's `X-API-Key` header, if any.
    public let apiKey: String?

    public init(method: String, params: RPCParameters, backend: any NodeBackend, clientAddress: String?, apiKey: String? = nil) {
        self.method = method
        self.params = params
        self.backend = backend
        self.clientAddress = clientAddress
        self.apiKey = apiKey
    }

    /// Who a `client` rollout flag is asked about: the API key when the request carries one, else
    /// the caller's IP address (docs/FLAGS.md, "Rollout features").
    public var clientSubject: [UInt8] { Array((apiKey ?? clientAddress ?? "").utf8) }
}

/// A JSON-RPC method: who may call it, whether batches run it concurrently, and its handler.
public struct RPCMethod: Sendable {
    /// Who may call a method.
    public enum Access: Sendable, Hashable {
        /// Anyone who can reach the port.
        case open
        /// Only a request with `Authorization: Bearer <the node's admin token>`.
        case admin
    }

    public typealias Handler = @Sendable (RPCCall) async throws(RPCError) -> JSONValue

    public let access: Access
    /// Whether calls in one batch may run at the same time (`eth_sendRawTransaction`: the mempool's
    /// group commit then writes them together). Other calls of a batch run one after another.
    public let concurrent: Bool
    public let handler: Handler

    public init(access: Access = .open, concurrent: Bool = false, handler: @escaping Handler) {
        self.access = access
        self.concurrent = concurrent
        self.handler = handler
    }
}

/// The methods a server answers, by name. `standard` holds every method of docs/RPC.md; a node
/// adds its own (`admin_swapDA`) with `register`.
public struct RPCMethodTable: Sendable {
    public private(set) var methods: [String: RPCMethod]

    public init(_ methods: [String: RPCMethod] = [:]) {
        self.methods = methods
    }

    /// Adds `method` under `name`, replacing any method of that name.
    public mutating func register(_ name: String, _ method: RPCMethod) {
        methods[name] = method
    }

    /// Adds every method of `other`, replacing those of the same name.
    public mutating func merge(_ other: RPCMethodTable) {
        methods.merge(other.methods) { _, new in new }
    }

    public subscript(name: String) -> RPCMethod? { methods[name] }

    /// The Ethereum (`eth_`, `net_`, `web3_`), `keel_` and `admin_` methods of docs/RPC.md.
    public static var standard: RPCMethodTable {
        var table = RPCMethodTable()
        table.merge(EthereumInfoMethods.table)
        table.merge(EthereumStateMethods.table)
        table.merge(EthereumChainMethods.table)
        table.merge(KeelMethods.table)
        table.merge(AdminMethods.table)
        table.merge(DAMethods.table)
        table.merge(UpgradeMethods.table)
        return table
    }
}
