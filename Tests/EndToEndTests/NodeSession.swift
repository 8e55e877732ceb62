import Foundation
import KeelCore
import KeelJSONRPC
import KeelPluginTesting
import Testing

/// A running `keel up` on a `NodeRollup` (loopback, port 0) with a JSON-RPC client, and the calls
/// the end-to-end tests make as a wallet or an operator would: send, wait for a receipt, read
/// balances, run `keel` commands against it.
final class NodeSession: Sendable {
    /// The node a suite marked `.sharedNode` shares between its tests.
    @TaskLocal static var shared: NodeSession?

    let rollup: NodeRollup
    let node: RunningNode
    let client: JSONRPCClient
    var url: String { node.url }

    /// Starts `keel up MANIFEST --rpc-port 0 extra…`, logging to `FOLDER/LOG`.
    init(_ rollup: NodeRollup, extraArguments: [String] = [], log: String = "node.log") throws {
        self.rollup = rollup
        node = try RunningNode(manifest: rollup.manifestPath, extraArguments: extraArguments, logPath: rollup.folder + "/" + log)
        client = JSONRPCClient(url: node.url, timeoutSeconds: 10)
    }

    /// SIGTERM; returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        client.shutdown()
        return node.terminate()
    }

    /// SIGINT (Ctrl-C); waits for the exit and returns its status.
    @discardableResult
    func interrupt() -> Int32 {
        client.shutdown()
        if node.process.isRunning { kill(node.process.processIdentifier, SIGINT) }
        node.process.waitUntilExit()
        return node.process.terminationStatus
    }

    /// The node's last lines of output, for failure messages.
    var log: String { node.log(lastLines: 30) }

    // MARK: - Transactions

    /// `eth_sendRawTransaction`; checks that the hash returned is the transaction's.
    @discardableResult
    func send(_ signed: SignedTransaction) async throws -> Hash32 {
        let hash = try await client.call("eth_sendRawTransaction", [.data(signed.raw)]).decodeHash()
        #expect(hash == signed.hash, "the node returned another hash than the transaction's")
        return hash
    }

    /// `eth_sendRawTransaction` of bytes the node must refuse; returns its JSON-RPC error.
    func refusal(_ raw: [UInt8]) async throws -> RPCError {
        try await refusal("eth_sendRawTransaction", [.data(raw)])
    }

    /// A call the node must refuse; returns its JSON-RPC error.
    func refusal(_ method: String, _ params: [JSONValue]) async throws -> RPCError {
        do {
            let result = try await client.call(method, params)
            throw RunningNodeError(message: "the node accepted \(method) and answered \(result), a refusal was expected")
        } catch let error as RPCError {
            return error
        }
    }

    /// Polls `eth_getTransactionReceipt` until the receipt is there.
    func receipt(_ hash: Hash32, within seconds: Int = 20) async throws -> JSONValue {
        // `JSONValue` is `ExpressibleByNilLiteral`: spell out the optional, or `nil` becomes `.null`.
        try await waitFor("the receipt of \(hash)", within: seconds) { () async throws -> JSONValue? in
            let receipt = try await client.call("eth_getTransactionReceipt", [.hash(hash)])
            if receipt == .null { return Optional.none }
            return receipt
        }
    }

    /// Whether the node answers `eth_getTransactionReceipt` with null: not (yet) in a block.
    func hasNoReceipt(_ hash: Hash32) async throws -> Bool {
        try await client.call("eth_getTransactionReceipt", [.hash(hash)]) == .null
    }

    // MARK: - State and blocks

    func balance(_ address: Address, at block: JSONValue = "latest") async throws -> UInt128 {
        try await client.call("eth_getBalance", [.address(address), block]).decodeQuantity128()
    }

    func nonce(_ address: Address, at block: JSONValue = "latest") async throws -> UInt64 {
        try await client.call("eth_getTransactionCount", [.address(address), block]).decodeQuantity()
    }

    func blockNumber() async throws -> UInt64 {
        try await client.call("eth_blockNumber").decodeQuantity()
    }

    /// The block object with full transactions.
    func block(_ number: UInt64) async throws -> JSONValue {
        let block = try await client.call("eth_getBlockByNumber", [.quantity(number), true])
        try #require(block != .null, "block \(number) is missing")
        return block
    }

    /// Polls `body` every 50 ms until it returns a value; throws, with the node's log, after `seconds`.
    func waitFor<Value>(_ what: String, within seconds: Int = 20, _ body: () async throws -> Value?) async throws -> Value {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while true {
            if let value = try await body() { return value }
            guard ContinuousClock.now < deadline else {
                throw RunningNodeError(message: "\(what) did not come within \(seconds) s; the node's log ends:\n\(log)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    // MARK: - The command line

    /// `keel ARGUMENTS… --rpc URL`.
    func keel(_ arguments: [String]) throws -> KeelProcess.Result {
        try KeelProcess.keel(arguments + ["--rpc", url])
    }

    /// `keel ARGUMENTS… --rpc URL --manifest MANIFEST`, for the commands that open the bridge or read the token.
    func keelWithManifest(_ arguments: [String]) throws -> KeelProcess.Result {
        try KeelProcess.keel(arguments + ["--rpc", url, "--manifest", rollup.manifestPath])
    }
}

/// Starts one node for a suite and every suite nested in it, and stops it with SIGTERM after them;
/// the tests read it from `NodeSession.shared`.
struct SharedNodeTrait: SuiteTrait, TestScoping {
    let label: String

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let rollup = try NodeRollup(label: label)
        let session = try NodeSession(rollup)
        do {
            try await NodeSession.$shared.withValue(session) { try await function() }
        } catch {
            session.stop()
            throw error
        }
        let status = session.stop()
        #expect(status == 0, "the shared node did not stop cleanly:\n\(session.log)")
        if status == 0 { rollup.remove() }
    }
}

extension Trait where Self == SharedNodeTrait {
    /// One `keel up` for the suite's tests (they must use accounts of their own).
    static func sharedNode(_ label: String) -> Self { SharedNodeTrait(label: label) }
}

extension NodeSession {
    /// The suite's shared node.
    static func current() throws -> NodeSession {
        try #require(shared, "this test needs the node of a suite marked .sharedNode")
    }
}

/// The tests that share one node, in nested suites: transfers and fees, nonce gaps and
/// replacement, refusals, admin, deposits and withdrawals, the command line.
@Suite(.sharedNode("shared")) struct NodeSharedRollupTests {}

extension KeelProcess.Result {
    /// The `0x…` hash after `prefix` on a line of standard output (`sent 0x…`).
    func hash(after prefix: String) throws -> Hash32 {
        let line = try #require(output.split(separator: "\n").first { $0.hasPrefix(prefix) }, "no line `\(prefix)…` in:\n\(transcript)")
        return try #require(Hash32(hex: String(line.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)),
                            "no hash in `\(line)`")
    }
}

/// The JSON-RPC error `body` throws, or nil when it succeeds (or fails otherwise).
func rpcRefusal(_ body: () async throws -> Void) async -> RPCError? {
    do { try await body() } catch let error as RPCError { return error } catch { return nil }
    return nil
}
