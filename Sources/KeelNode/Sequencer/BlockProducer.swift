import Foundation
import KeelCore
import KeelKernel

/// Builds the next block when there is work: the bridge's queued deposits first (forced
/// inclusion), then the executable mempool in the sequencer plugin's order (docs/NODE.md).
final class BlockProducer: @unchecked Sendable {
    let chain: ChainStore
    let mempool: Mempool
    /// The execution and sequencer plugins of each height (upgrades switch them at a block).
    let executions: PluginSchedule<ExecutionClient>
    let sequencers: PluginSchedule<SequencerClient>
    /// The bridge of each height (an upgrade may change its version or config, never the settlement layer).
    let bridges: PluginSchedule<BridgeClient>
    let chainID: UInt64
    let rules: ChainRules
    let maxDepositsPerBlock: Int
    /// Under fault proofs, the most transactions a block may hold so it fits in one trace
    /// (`TraceCommitment.maxSteps` less its two boundary steps); nil: no cap but gas.
    var maxTransactionsPerBlock: Int?
    private let lock = NSLock()
    private let signerLock = NSLock()
    // Guarded by `signerLock`: the address each sequencer instance signs with, found once.
    private var signers: [ObjectIdentifier: Address] = [:]

    init(chain: ChainStore, mempool: Mempool, executions: PluginSchedule<ExecutionClient>, sequencers: PluginSchedule<SequencerClient>,
         bridges: PluginSchedule<BridgeClient>, chainID: UInt64, rules: ChainRules, maxDepositsPerBlock: Int) throws {
        self.chain = chain
        self.mempool = mempool
        self.executions = executions
        self.sequencers = sequencers
        self.bridges = bridges
        self.chainID = chainID
        self.rules = rules
        self.maxDepositsPerBlock = maxDepositsPerBlock
        _ = try feeRecipient(at: (chain.head?.number ?? 0) + 1)
    }

    /// The address the sequencer plugin of `height` signs with; it receives that block's priority fees.
    func feeRecipient(at height: UInt64) throws -> Address {
        let sequencer = sequencers.at(height)
        let key = ObjectIdentifier(sequencer.instance)
        if let known = signerLock.withLock({ signers[key] }) { return known }
        let address = try Self.signerAddress(sequencer)
        signerLock.withLock { signers[key] = address }
        return address
    }

    /// The address behind the sequencer plugin's signatures: it signs a fixed hash and the node
    /// recovers the signer. Followers learn it the same way, from each header's signature.
    static func signerAddress(_ sequencer: SequencerClient) throws -> Address {
        let probe = Keccak256.hash(Array("keel-fee-recipient".utf8))
        let signature = try BlockSigning.signature(try sequencer.signHeader(probe.bytes))
        return try Secp256k1.recoverAddress(hash: probe, signature: signature)
    }

    /// Builds, commits and returns the next block, or `nil` when there is nothing to include or
    /// this node is not the leader. `nowMilliseconds` is the wall clock.
    func produce(nowMilliseconds: UInt64) throws -> (block: StoredBlock, deposits: Int, transactions: Int)? {
        try lock.withLock {
            guard let head = chain.head else { throw ChainStoreError(message: "the chain has no genesis") }
            let number = head.number + 1
            let sequencer = sequencers.at(number), execution = executions.at(number)
            guard try sequencer.isLeader(height: number) else { return nil }
            let gasLimit = rules.gasLimit(atHeight: number)
            let deposits = try bridges.at(number).deposits(from: head.nextDeposit, limit: maxDepositsPerBlock)
            let headState = StateView(store: chain.state, baseVersion: head.number)
            let pending = mempool.executable(gasBudget: gasLimit * 2, limit: 50_000) { sender in
                (try? execution.account(sender.bytes, state: headState).nonce) ?? 0
            }
            if deposits.isEmpty && pending.isEmpty { return nil }
            let order = pending.isEmpty ? [] : try sequencer.order(pending.map(\.candidate), baseFee: head.nextBaseFee, gasLimit: gasLimit)
            var inputs: [BlockExecutor.Input] = deposits.compactMap { deposit in
                guard let from = Address(bytes: deposit.from), let to = Address(bytes: deposit.to) else { return nil }
                let tx = DepositTransaction(depositIndex: deposit.index, l1Block: deposit.l1Block, from: from, to: to, amount: deposit.amount)
                return BlockExecutor.Input(raw: tx.encoded, hash: tx.hash, sender: from, isDeposit: true)
            }
            inputs += order.map { index in
                let entry = pending[index]
                return BlockExecutor.Input(raw: entry.raw, hash: entry.hash, sender: entry.sender, isDeposit: false)
            }
            if let cap = maxTransactionsPerBlock, inputs.count > cap { inputs.removeLast(inputs.count - cap) }
            let executor = BlockExecutor(execution: execution, chainID: chainID, feeRecipient: try feeRecipient(at: number))
            let timestamp = max(nowMilliseconds, head.header.timestamp + 1)
            let (block, refused) = try executor.run(
                number: number, timestamp: timestamp, parentHash: head.hash, baseFee: head.nextBaseFee, gasLimit: gasLimit,
                nextDeposit: head.nextDeposit, inputs: inputs, store: chain.state, baseVersion: head.number, skipRefused: true)
            let stored = try chain.commit(block) { hash in
                try BlockSigning.signature(try sequencer.signHeader(hash.bytes))
            }
            let nonces = Dictionary(pending.map { ($0.hash, $0.nonce) }, uniquingKeysWith: { first, _ in first })
            let included = block.transactions.filter { !$0.isDeposit }.map { ($0.hash, $0.sender, nonces[$0.hash] ?? 0) }
            let dropped = refused.filter { !$0.error.refusal.mayLaterSucceed }.map(\.input.hash)
            mempool.blockCommitted(included: included, dropped: dropped)
            return (stored, block.transactions.count - included.count, included.count)
        }
    }
}

/// Sequencer signatures: the ABI's 65 bytes `r ‖ s ‖ v` (v 0 or 1).
enum BlockSigning {
    static func signature(_ bytes: [UInt8]) throws -> Signature {
        guard bytes.count == 65, let r = Hash32(bytes: bytes[0..<32]), let s = Hash32(bytes: bytes[32..<64]) else {
            throw ChainStoreError(message: "the sequencer plugin returned a signature of \(bytes.count) bytes, not 65 (r ‖ s ‖ v)")
        }
        let v = bytes[64]
        return Signature(r: r, s: s, yParity: v >= 27 ? v - 27 : v)
    }
}
