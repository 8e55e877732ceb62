/// What one HTTP request to the RPC server may hold.
public struct RPCLimits: Sendable, Hashable {
    /// The largest request body, in bytes (5 MiB by default); a larger one gets HTTP 413 and a -32600 error.
    public var maxBodyBytes: Int
    /// The most requests in one batch (1,000 by default); a larger batch gets one -32600 error.
    public var maxBatchSize: Int
    /// The deepest nesting of JSON arrays and objects in a request.
    public var maxJSONDepth: Int

    public init(maxBodyBytes: Int = 5 * 1024 * 1024, maxBatchSize: Int = 1_000, maxJSONDepth: Int = 64) {
        self.maxBodyBytes = maxBodyBytes
        self.maxBatchSize = maxBatchSize
        self.maxJSONDepth = maxJSONDepth
    }
}
