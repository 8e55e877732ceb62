import KeelJSONRPC

/// Turns a request body into a response body, per JSON-RPC 2.0: single requests and batches,
/// notifications (no response), the id echoed as sent, a batch of invalid requests answered with
/// a batch of errors. Independent of HTTP, so it can be tested and reused on its own.
public struct RPCDispatcher: Sendable {
    /// What to send back: an HTTP status and a body (empty for 204, when only notifications came).
    public struct Reply: Sendable, Hashable {
        public var status: Int
        public var body: [UInt8]
    }

    public let backend: any NodeBackend
    public let methods: RPCMethodTable
    public let limits: RPCLimits

    public init(backend: any NodeBackend, methods: RPCMethodTable = .standard, limits: RPCLimits = RPCLimits()) {
        self.backend = backend
        self.methods = methods
        self.limits = limits
    }

    /// Parses `body` (read only during the call) as JSON; pass the result to `handle(_:authorization:clientAddress:)`.
    public func parse(_ body: UnsafeRawBufferPointer) -> Result<JSONValue, JSONParseError> {
        Result { () throws(JSONParseError) in
            try JSONParser.parse(body, limits: JSONParseLimits(maxDepth: limits.maxJSONDepth, maxBytes: limits.maxBodyBytes))
        }
    }

    /// The reply to a parsed body.
    public func handle(_ parsed: Result<JSONValue, JSONParseError>, authorization: String?, clientAddress: String?,
                       apiKey: String? = nil) async -> Reply {
        let document: JSONValue
        switch parsed {
        case .success(let value): document = value
        case .failure(let error):
            return Reply(status: 200, body: JSONRPCResponse(id: .null, error: .parse("parse error: \(error)")).jsonBytes)
        }
        guard case .array(let items) = document else {
            let response = await respond(to: Self.read(document), authorization: authorization, clientAddress: clientAddress, apiKey: apiKey)
            return Reply(status: response == nil ? 204 : 200, body: response ?? [])
        }
        guard !items.isEmpty else {
            return Reply(status: 200, body: JSONRPCResponse(id: .null, error: .invalidRequest("invalid request: empty batch")).jsonBytes)
        }
        guard items.count <= limits.maxBatchSize else {
            let error = RPCError.invalidRequest("batch of \(items.count) requests exceeds the limit of \(limits.maxBatchSize); split it into smaller batches")
            return Reply(status: 200, body: JSONRPCResponse(id: .null, error: error).jsonBytes)
        }
        let responses = await respond(toBatch: items.map(Self.read), authorization: authorization, clientAddress: clientAddress, apiKey: apiKey)
        var size = 2
        for case let response? in responses { size += response.count + 1 }
        guard size > 2 else { return Reply(status: 204, body: []) }
        var body: [UInt8] = []
        body.reserveCapacity(size)
        body.append(UInt8(ascii: "["))
        for case let response? in responses {
            if body.count > 1 { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: response)
        }
        body.append(UInt8(ascii: "]"))
        return Reply(status: 200, body: body)
    }

    /// A request read from its JSON, or the error response its id gets.
    enum Entry: Sendable {
        case request(JSONRPCRequest)
        case refused(JSONRPCResponse)
    }

    static func read(_ value: JSONValue) -> Entry {
        do throws(RPCError) {
            return .request(try JSONRPCRequest(value))
        } catch {
            return .refused(JSONRPCResponse(id: JSONRPCRequest.echoedID(of: value), error: error))
        }
    }

    /// Runs a batch: methods that allow it (`eth_sendRawTransaction`) concurrently in a task group,
    /// the rest one after another meanwhile; responses in request order.
    func respond(toBatch entries: [Entry], authorization: String?, clientAddress: String?, apiKey: String? = nil) async -> [[UInt8]?] {
        var responses = [[UInt8]?](repeating: nil, count: entries.count)
        let concurrent = entries.map { entry in
            if case .request(let request) = entry { return methods[request.method]?.concurrent ?? false }
            return false
        }
        guard concurrent.filter({ $0 }).count > 1 else {
            for (index, entry) in entries.enumerated() {
                responses[index] = await respond(to: entry, authorization: authorization, clientAddress: clientAddress, apiKey: apiKey)
            }
            return responses
        }
        await withTaskGroup(of: (Int, [UInt8]?).self) { group in
            for (index, entry) in entries.enumerated() where concurrent[index] {
                group.addTask { (index, await respond(to: entry, authorization: authorization, clientAddress: clientAddress, apiKey: apiKey)) }
            }
            for (index, entry) in entries.enumerated() where !concurrent[index] {
                responses[index] = await respond(to: entry, authorization: authorization, clientAddress: clientAddress, apiKey: apiKey)
            }
            for await (index, response) in group { responses[index] = response }
        }
        return responses
    }

    /// The response bytes for one entry; nil for a notification.
    func respond(to entry: Entry, authorization: String?, clientAddress: String?, apiKey: String? = nil) async -> [UInt8]? {
        switch entry {
        case .refused(let refusal):
            return refusal.jsonBytes
        case .request(let request):
            let outcome = await run(request, authorization: authorization, clientAddress: clientAddress, apiKey: apiKey)
            guard let id = request.id else { return nil }
            return JSONRPCResponse(id: id, outcome: outcome).jsonBytes
        }
    }

    /// Calls the method `request` names, checking the admin token first for admin methods.
    public func run(_ request: JSONRPCRequest, authorization: String?, clientAddress: String?,
                    apiKey: String? = nil) async -> Result<JSONValue, RPCError> {
        guard let method = methods[request.method] else { return .failure(.methodNotFound(request.method)) }
        do {
            if method.access == .admin {
                try AdminAuthorization.check(header: authorization, token: backend.adminToken, method: request.method)
            }
            let call = RPCCall(method: request.method, params: RPCParameters(request.params), backend: backend,
                               clientAddress: clientAddress, apiKey: apiKey)
            return .success(try await method.handler(call))
        } catch {
            return .failure(error)
        }
    }
}
