import KeelCore

/// A block number or one of the tags JSON-RPC allows.
public enum BlockTag: Sendable, Hashable {
    case number(UInt64)
    case latest
    case pending
    case earliest
    case safe
    case finalized
}

/// A committed block as the node stores it.
public struct StoredBlock: Sendable, Hashable {
    public var header: BlockHeader
    public var hash: Hash32
    /// Hashes of its transactions (deposits included), in order.
    public var transactionHashes: [Hash32]
    /// Size of the block's RLP encoding in bytes.
    public var size: Int

    public init(header: BlockHeader, hash: Hash32, transactionHashes: [Hash32], size: Int) {
        self.header = header
        self.hash = hash
        self.transactionHashes = transactionHashes
        self.size = size
    }
}

/// A transaction in a committed block, with its receipt.
public struct StoredTransaction: Sendable, Hashable {
    public var hash: Hash32
    /// EIP-2718 bytes (a deposit: `0x7e ‖ rlp(...)`).
    public var raw: [UInt8]
    public var sender: Address
    public var blockNumber: UInt64
    public var blockHash: Hash32
    public var index: Int
    public var succeeded: Bool
    public var gasUsed: UInt64
    public var cumulativeGasUsed: UInt64
    /// Price per gas paid: base fee + tip (0 for deposits).
    public var effectiveGasPrice: UInt128
    /// The L2→L1 message the transaction sent, if any.
    public var l2ToL1Message: [UInt8]?

    public init(hash: Hash32, raw: [UInt8], sender: Address, blockNumber: UInt64, blockHash: Hash32, index: Int,
                succeeded: Bool, gasUsed: UInt64, cumulativeGasUsed: UInt64, effectiveGasPrice: UInt128,
                l2ToL1Message: [UInt8]?) {
        self.hash = hash
        self.raw = raw
        self.sender = sender
        self.blockNumber = blockNumber
        self.blockHash = blockHash
        self.index = index
        self.succeeded = succeeded
        self.gasUsed = gasUsed
        self.cumulativeGasUsed = cumulativeGasUsed
        self.effectiveGasPrice = effectiveGasPrice
        self.l2ToL1Message = l2ToL1Message
    }
}

public enum TransactionLookup: Sendable, Hashable {
    case included(StoredTransaction)
    /// In the mempool: its raw bytes and sender.
    case pending(raw: [UInt8], sender: Address)
}

/// eth_feeHistory's answer, oldest block first.
public struct FeeHistory: Sendable, Hashable {
    public var oldestBlock: UInt64
    /// One more than the blocks: the last is the next block's base fee.
    public var baseFeePerGas: [UInt128]
    public var gasUsedRatio: [Double]
    /// Per block, one tip per requested percentile (empty when none were asked).
    public var reward: [[UInt128]]

    public init(oldestBlock: UInt64, baseFeePerGas: [UInt128], gasUsedRatio: [Double], reward: [[UInt128]]) {
        self.oldestBlock = oldestBlock
        self.baseFeePerGas = baseFeePerGas
        self.gasUsedRatio = gasUsedRatio
        self.reward = reward
    }
}

/// keel_status.
public struct NodeStatus: Sendable, Hashable {
    public var chainID: UInt64
    public var mode: String
    public var height: UInt64
    public var stateRoot: Hash32
    /// Batches the node has posted to the settlement layer, and how many of them are final there.
    public var batchCount: UInt64
    public var finalBatchCount: UInt64
    /// The last block inside a posted batch, if any.
    public var lastBatchedBlock: UInt64?
    public var daProvider: String
    public var activeFlags: [String]
    public var pendingTransactions: Int
    public var l1Head: UInt64
    public var nextDepositIndex: UInt64
    /// The DA swaps made so far, oldest first (docs/NODE.md, "DA").
    public var daSwaps: [DASwapSummary] = []
    /// The plugins of the per-block slots by height, e.g. `sequencer single 1.0.0 from 40 (scheduled, change log)`.
    public var plugins: [String] = []
    /// Each role the node can play with its state, e.g. `attestor: stopped` (docs/NODE.md, "Roles").
    public var roles: [String] = []
    /// The dispute games in flight on the settlement layer, one line each (docs/FAULT_PROOFS.md).
    public var disputes: [String] = []

    public init(chainID: UInt64, mode: String, height: UInt64, stateRoot: Hash32, batchCount: UInt64,
                finalBatchCount: UInt64, lastBatchedBlock: UInt64?, daProvider: String, activeFlags: [String],
                pendingTransactions: Int, l1Head: UInt64, nextDepositIndex: UInt64) {
        self.chainID = chainID
        self.mode = mode
        self.height = height
        self.stateRoot = stateRoot
        self.batchCount = batchCount
        self.finalBatchCount = finalBatchCount
        self.lastBatchedBlock = lastBatchedBlock
        self.daProvider = daProvider
        self.activeFlags = activeFlags
        self.pendingTransactions = pendingTransactions
        self.l1Head = l1Head
        self.nextDepositIndex = nextDepositIndex
    }
}

/// One DA swap as keel_status shows it.
public struct DASwapSummary: Sendable, Hashable {
    public var height: UInt64
    public var batchIndex: UInt64
    public var provider: String
    public var configHash: Hash32

    public init(height: UInt64, batchIndex: UInt64, provider: String, configHash: Hash32) {
        self.height = height
        self.batchIndex = batchIndex
        self.provider = provider
        self.configHash = configHash
    }
}

/// keel_getProof: an account's state key, its value (nil when absent) and the proof against `stateRoot`.
public struct AccountProof: Sendable, Equatable {
    public var address: Address
    public var blockNumber: UInt64
    public var stateRoot: Hash32
    public var key: [UInt8]
    public var value: [UInt8]?
    public var account: AccountState
    /// StateProof's encoding (docs/STATE.md).
    public var proof: [UInt8]

    public init(address: Address, blockNumber: UInt64, stateRoot: Hash32, key: [UInt8], value: [UInt8]?,
                account: AccountState, proof: [UInt8]) {
        self.address = address
        self.blockNumber = blockNumber
        self.stateRoot = stateRoot
        self.key = key
        self.value = value
        self.account = account
        self.proof = proof
    }
}

/// keel_getBatch: a batch as the node's outbox knows it.
public struct BatchView: Sendable, Hashable {
    public var index: UInt64
    public var firstBlock: UInt64
    public var lastBlock: UInt64
    public var previousRoot: Hash32
    public var root: Hash32
    public var withdrawalsRoot: Hash32
    public var codec: String
    public var size: Int
    /// The DA commitment, once stored.
    public var daCommitment: [UInt8]?
    /// `encoded`, `stored` (on DA), `posted` (on the settlement layer), `final`.
    public var stage: String

    public init(index: UInt64, firstBlock: UInt64, lastBlock: UInt64, previousRoot: Hash32, root: Hash32,
                withdrawalsRoot: Hash32, codec: String, size: Int, daCommitment: [UInt8]?, stage: String) {
        self.index = index
        self.firstBlock = firstBlock
        self.lastBlock = lastBlock
        self.previousRoot = previousRoot
        self.root = root
        self.withdrawalsRoot = withdrawalsRoot
        self.codec = codec
        self.size = size
        self.daCommitment = daCommitment
        self.stage = stage
    }
}

/// keel_getWithdrawalProof: what `claim_withdrawal` on the bridge takes.
public struct WithdrawalProof: Sendable, Hashable {
    public var transactionHash: Hash32
    public var batchIndex: UInt64
    public var message: [UInt8]
    /// 8-byte big-endian leaf index, then the 32-byte siblings (docs/plugins/local-bridge.md).
    public var proof: [UInt8]
    public var withdrawalsRoot: Hash32
    /// Whether the batch is final on the settlement layer (claimable now).
    public var isFinal: Bool

    public init(transactionHash: Hash32, batchIndex: UInt64, message: [UInt8], proof: [UInt8],
                withdrawalsRoot: Hash32, isFinal: Bool) {
        self.transactionHash = transactionHash
        self.batchIndex = batchIndex
        self.message = message
        self.proof = proof
        self.withdrawalsRoot = withdrawalsRoot
        self.isFinal = isFinal
    }
}
