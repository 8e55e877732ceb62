import Foundation
import KeelCore
import KeelJSONRPC
import KeelKernel
import Logging
import ServiceLifecycle
import Synchronization
@testable import KeelNode

/// A small in-memory `NodeBackend` for the RPC layer's tests: a chain of blocks the test builds
/// from real signed transactions, a mempool that takes whatever decodes, and real feature flags.
final class RPCTestBackend: NodeBackend, Sendable {
    struct Chain {
        var blocks: [StoredBlock] = []
        var transactions: [Hash32: StoredTransaction] = [:]
        var pending: [Hash32: (raw: [UInt8], sender: Address)] = [:]
        var balances: [Address: UInt128] = [:]
        var inFlight = 0
        var maxInFlight = 0
        var submitted = 0
        var lastCall: CallRequest?
    }

    static let sequencerKey = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
    static let token = "5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e"

    let chainID: UInt64 = 901
    let clientVersion = "keel/test"
    let adminToken = RPCTestBackend.token
    let flags: FeatureFlags
    let folder: String
    let state = Mutex(Chain())
    /// How long each `submit` takes, so a test can see whether a batch's submissions overlap.
    let submitDelay: Duration

    init(submitDelay: Duration = .zero) throws {
        folder = NSTemporaryDirectory() + "keel-rpc-\(UUID().uuidString)"
        flags = try FeatureFlags(definitions: [
            FlagDefinition(name: "batch-codec-brotli", rule: .consensus(activateAtHeight: 1000)),
            FlagDefinition(name: "priority-lane", rule: .rollout(basisPoints: 1000, subject: .sender)),
        ], dataDirectory: folder, minimumLead: 10)
        self.submitDelay = submitDelay
        try appendBlock([], timestampMilliseconds: 0, signed: false)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    /// Appends a block holding `raws` (user transactions or deposits), signed by the sequencer key.
    @discardableResult
    func appendBlock(_ raws: [[UInt8]], timestampMilliseconds: UInt64 = 1_700_000_000_500, signed: Bool = true) throws -> StoredBlock {
        let key = try PrivateKey(hex: Self.sequencerKey)
        return try state.withLock { chain in
            let number = UInt64(chain.blocks.count)
            var header = BlockHeader(parentHash: chain.blocks.last?.hash ?? .zero, number: number, timestamp: timestampMilliseconds,
                                     stateRoot: Keccak256.hash([UInt8(number)]), transactionsRoot: .zero, receiptsRoot: .zero,
                                     withdrawalsRoot: .zero, baseFee: 1_000_000_000, gasUsed: 21_000 * UInt64(raws.count),
                                     gasLimit: 30_000_000)
            if signed { header = header.signed(with: key) }
            let hash = header.hash
            var cumulative: UInt64 = 0
            for (index, raw) in raws.enumerated() {
                let isDeposit = raw.first == DepositTransaction.typeByte
                let sender = isDeposit ? try Transaction.decodeDeposit(raw: raw).from : try Transaction.decode(raw: raw).sender
                let gas: UInt64 = isDeposit ? 0 : 21_000
                cumulative += gas
                let stored = StoredTransaction(hash: Keccak256.hash(raw), raw: raw, sender: sender, blockNumber: number, blockHash: hash,
                                               index: index, succeeded: true, gasUsed: gas, cumulativeGasUsed: cumulative,
                                               effectiveGasPrice: isDeposit ? 0 : 1_001_000_000, l2ToL1Message: nil)
                chain.transactions[stored.hash] = stored
                chain.pending[stored.hash] = nil
            }
            let block = StoredBlock(header: header, hash: hash, transactionHashes: raws.map { Keccak256.hash($0) }, size: 600 + 120 * raws.count)
            chain.blocks.append(block)
            return block
        }
    }

    var blocks: [StoredBlock] { state.withLock { $0.blocks } }
    var maxInFlight: Int { state.withLock { $0.maxInFlight } }
    var submitted: Int { state.withLock { $0.submitted } }
    var lastCall: CallRequest? { state.withLock { $0.lastCall } }

    func setBalance(_ address: Address, _ balance: UInt128) { state.withLock { $0.balances[address] = balance } }

    // MARK: NodeBackend

    func headNumber() -> UInt64 {
        headReaders.withLock { $0.append(BlockingWork.isCurrent) }
        return state.withLock { UInt64($0.blocks.count - 1) }
    }

    /// Whether each `headNumber` call ran on the offload executor, to show where the server runs handlers.
    let headReaders = Mutex<[Bool]>([])

    func account(_ address: Address, at block: BlockTag) throws(RPCError) -> AccountState {
        if case .number(let number) = block, number > headNumber() { throw RPCError.invalidParams("block \(number) is past the head") }
        return AccountState(nonce: 3, balance: state.withLock { $0.balances[address] ?? 0 })
    }

    func pendingNonce(_ address: Address) throws(RPCError) -> UInt64 { 5 }

    func submit(raw: [UInt8]) async throws(RPCError) -> Hash32 {
        let signed: SignedTransaction
        do { signed = try Transaction.decode(raw: raw) } catch { throw RPCError.transactionRejected("\(error)") }
        guard signed.chainId == chainID else { throw RPCError.transactionRejected("invalid chain id") }
        state.withLock { chain in
            chain.inFlight += 1
            chain.maxInFlight = max(chain.maxInFlight, chain.inFlight)
        }
        if submitDelay > .zero { try? await Task.sleep(for: submitDelay) }
        state.withLock { chain in
            chain.inFlight -= 1
            chain.submitted += 1
            chain.pending[signed.hash] = (raw, signed.sender)
        }
        return signed.hash
    }

    func transaction(_ hash: Hash32) throws(RPCError) -> TransactionLookup? {
        state.withLock { chain in
            if let stored = chain.transactions[hash] { return .included(stored) }
            return chain.pending[hash].map { .pending(raw: $0.raw, sender: $0.sender) }
        }
    }

    func block(_ tag: BlockTag) throws(RPCError) -> StoredBlock? {
        state.withLock { chain in
            switch tag {
            case .number(let number): number < chain.blocks.count ? chain.blocks[Int(number)] : nil
            case .earliest: chain.blocks.first
            default: chain.blocks.last
            }
        }
    }

    func block(hash: Hash32) throws(RPCError) -> StoredBlock? { state.withLock { $0.blocks.first { $0.hash == hash } } }

    func transactions(inBlock number: UInt64) throws(RPCError) -> [StoredTransaction] {
        state.withLock { chain in
            guard number < chain.blocks.count else { return [] }
            return chain.blocks[Int(number)].transactionHashes.compactMap { chain.transactions[$0] }
        }
    }

    func nextBaseFee() -> UInt128 { 1_000_000_000 }
    func suggestedPriorityFee() -> UInt128 { 1_000_000 }

    func feeHistory(count: Int, newest: BlockTag, rewardPercentiles: [Double]) throws(RPCError) -> FeeHistory {
        let last = headNumber()
        let first = last + 1 >= UInt64(count) ? last + 1 - UInt64(count) : 0
        let blocks = Int(last - first + 1)
        return FeeHistory(oldestBlock: first, baseFeePerGas: Array(repeating: 1_000_000_000, count: blocks + 1),
                          gasUsedRatio: Array(repeating: 0.5, count: blocks),
                          reward: rewardPercentiles.isEmpty ? [] : Array(repeating: rewardPercentiles.map { _ in 1_000_000 }, count: blocks))
    }

    func call(_ request: CallRequest, at block: BlockTag) throws(RPCError) -> CallResult {
        state.withLock { $0.lastCall = request }
        return CallResult(succeeded: request.value <= 1_000, gasUsed: 21_000)
    }

    func status() throws(RPCError) -> NodeStatus {
        NodeStatus(chainID: chainID, mode: "attested", height: headNumber(), stateRoot: .zero, batchCount: 2, finalBatchCount: 1,
                   lastBatchedBlock: 1, daProvider: "sqlite", activeFlags: [], pendingTransactions: 0, l1Head: 7, nextDepositIndex: 0)
    }

    func accountProof(_ address: Address, at block: BlockTag) throws(RPCError) -> AccountProof {
        AccountProof(address: address, blockNumber: headNumber(), stateRoot: .zero, key: [0x01] + address.bytes, value: nil,
                     account: AccountState(nonce: 0, balance: 0), proof: [0xAA, 0xBB])
    }

    func batch(_ index: UInt64) throws(RPCError) -> BatchView? {
        guard index == 0 else { return nil }
        return BatchView(index: 0, firstBlock: 1, lastBlock: 1, previousRoot: .zero, root: .zero, withdrawalsRoot: .zero,
                         codec: "zlib", size: 120, daCommitment: [0x01, 0x02], stage: "posted")
    }

    func withdrawalProof(_ txHash: Hash32) throws(RPCError) -> WithdrawalProof {
        throw RPCError.unavailable("the withdrawal's block is not in a posted batch yet")
    }

    func flagHeight() -> UInt64 { headNumber() }

    func metricsText() -> String { "# TYPE keel_blocks_total counter\nkeel_blocks_total \(headNumber())\n" }
}

/// Runs an `RPCServer` over `backend` on 127.0.0.1, on a port the system picks, for the length of `body`.
func withRPCServer(_ backend: RPCTestBackend, limits: RPCLimits = RPCLimits(), bearerToken: String? = nil,
                   _ body: (JSONRPCClient) async throws -> Void) async throws {
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    var logger = Logger(label: "rpc-test")
    logger.logLevel = .warning
    let server = RPCServer(backend: backend, host: "127.0.0.1", port: 0, limits: limits, logger: logger) { continuation.yield($0) }
    // In a service group, as the node runs it, so the test also shows a graceful shutdown stops it.
    let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
    let task = Task {
        defer { continuation.finish() }
        try await group.run()
    }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else {
        try await task.value
        throw RPCError.internalError("the RPC server stopped before it listened")
    }
    let client = JSONRPCClient(url: "http://127.0.0.1:\(port)", bearerToken: bearerToken)
    let outcome: Result<Void, any Error>
    do { outcome = .success(try await body(client)) } catch { outcome = .failure(error) }
    client.shutdown()
    await group.triggerGracefulShutdown()
    try await task.value
    try outcome.get()
}

enum RPCFixtures {
    static let key0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
    static let recipient = Address(hex: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8")

    static func transfer(nonce: UInt64, value: UInt128 = 1_000) throws -> SignedTransaction {
        try Transaction.dynamicFee(chainId: 901, nonce: nonce, maxPriorityFeePerGas: 1_000_000, maxFeePerGas: 2_000_000_000,
                                   gasLimit: 21_000, to: recipient, value: value).signed(with: try PrivateKey(hex: key0))
    }
}
