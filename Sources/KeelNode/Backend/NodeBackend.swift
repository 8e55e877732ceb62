import KeelCore
import KeelJSONRPC
import KeelKernel

/// What the JSON-RPC layer asks of a node. `Node` implements it for the sequencer; the follower
/// (docs/NODE.md) implements the read half. Every method is safe to call from any task.
///
/// Errors are `RPCError`s carrying the JSON-RPC code and the message a wallet shows.
public protocol NodeBackend: Sendable {
    var chainID: UInt64 { get }
    var clientVersion: String { get }

    /// The number of the latest committed block (0 before the first block after genesis).
    func headNumber() -> UInt64

    /// The account at `block` (`.latest`, `.pending` and `.earliest` included).
    func account(_ address: Address, at block: BlockTag) throws(RPCError) -> AccountState

    /// The next nonce `address` can use: the account's nonce after its executable pending transactions.
    func pendingNonce(_ address: Address) throws(RPCError) -> UInt64

    /// Validates `raw` (EIP-2718 bytes), persists it in the mempool and returns its hash only once it is
    /// durable. Refusals are `RPCError.transactionRejected` with the wallet-known message.
    func submit(raw: [UInt8]) async throws(RPCError) -> Hash32

    /// A transaction by hash: included in a block, or still pending, or `nil`.
    func transaction(_ hash: Hash32) throws(RPCError) -> TransactionLookup?

    /// A block by number or tag (`.pending` reads as latest); `nil` past the head.
    func block(_ tag: BlockTag) throws(RPCError) -> StoredBlock?
    func block(hash: Hash32) throws(RPCError) -> StoredBlock?

    /// The transactions of a committed block, in order, with their receipts.
    func transactions(inBlock number: UInt64) throws(RPCError) -> [StoredTransaction]

    /// The base fee the next block will charge.
    func nextBaseFee() -> UInt128
    /// The priority fee the node suggests (eth_maxPriorityFeePerGas).
    func suggestedPriorityFee() -> UInt128

    /// Fee history over `count` blocks ending at `newest` (eth_feeHistory semantics).
    func feeHistory(count: Int, newest: BlockTag, rewardPercentiles: [Double]) throws(RPCError) -> FeeHistory

    /// eth_call / eth_estimateGas for a plain transfer against `block`'s state.
    func call(_ request: CallRequest, at block: BlockTag) throws(RPCError) -> CallResult

    /// keel_status.
    func status() throws(RPCError) -> NodeStatus
    /// keel_getProof: the account's value under its state key and the tree proof at `block`.
    func accountProof(_ address: Address, at block: BlockTag) throws(RPCError) -> AccountProof
    /// keel_getBatch: the node's record of batch `index`, or `nil`.
    func batch(_ index: UInt64) throws(RPCError) -> BatchView?
    /// keel_getWithdrawalProof: the message of a withdrawal transaction and its proof against its batch.
    func withdrawalProof(_ txHash: Hash32) throws(RPCError) -> WithdrawalProof

    /// The admin token (`DATA_DIR/admin.token`) the `admin_*` methods require as a bearer token.
    var adminToken: String { get }
    /// The feature flags (admin_listFlags, admin_setFlag, admin_killFlag).
    var flags: FeatureFlags { get }
    /// The height rollout changes and kills are stamped with.
    func flagHeight() -> UInt64

    /// Prometheus text for GET /metrics.
    func metricsText() -> String

    /// admin_swapDA: loads `plugin` with `configJSON` (a JSON object), health-checks it and makes it
    /// the first DA provider from the next batch on; returns the recorded swap.
    func swapDA(plugin: String, configJSON: String) throws(RPCError) -> JSONValue
    /// keel_daStatus: the DA providers, their health, failovers and swaps.
    func daStatus() throws(RPCError) -> JSONValue

    /// admin_scheduleUpgrade: from block `height` on (past the minimum lead), `slot` is served by
    /// `plugin` (of a version within `version`, if given) with `configJSON`; recorded on the settlement layer.
    func scheduleUpgrade(height: UInt64, slot: String, plugin: String, version: String?, configJSON: String) throws(RPCError) -> JSONValue
    /// admin_cancelUpgrade: cancels the runtime upgrade of `slot` at `height` (past the minimum lead).
    func cancelUpgrade(height: UInt64, slot: String) throws(RPCError) -> JSONValue
    /// keel_upgrades: the plugins of the per-block slots by height, past and scheduled.
    func upgradesStatus() throws(RPCError) -> JSONValue
    /// admin_startRole / admin_stopRole: starts or stops one of the node's roles; returns `{role, state}`.
    func setRole(_ name: String, running: Bool) throws(RPCError) -> JSONValue

    /// Whether the rollout feature is on for `subject` (an address's bytes, or a client's UTF-8 text).
    func isEnabled(_ feature: RolloutFeature, subject: [UInt8]) -> Bool
    /// Records one request of a rollout feature by cohort (docs/FLAGS.md, "Rollout features").
    func recordRollout(_ feature: RolloutFeature, cohort: Bool, failed: Bool, seconds: Double)
    /// Records a consensus flag scheduled (`height`) or cancelled (`nil`) at runtime on the settlement layer.
    func publishConsensusFlag(_ name: String, height: UInt64?) throws(RPCError)
}

extension NodeBackend {
    public func swapDA(plugin: String, configJSON: String) throws(RPCError) -> JSONValue {
        throw RPCError.methodNotFound("admin_swapDA")
    }

    public func daStatus() throws(RPCError) -> JSONValue {
        throw RPCError.methodNotFound("keel_daStatus")
    }

    public func scheduleUpgrade(height: UInt64, slot: String, plugin: String, version: String?, configJSON: String) throws(RPCError) -> JSONValue {
        throw RPCError.methodNotFound("admin_scheduleUpgrade")
    }

    public func cancelUpgrade(height: UInt64, slot: String) throws(RPCError) -> JSONValue {
        throw RPCError.methodNotFound("admin_cancelUpgrade")
    }

    public func upgradesStatus() throws(RPCError) -> JSONValue {
        throw RPCError.methodNotFound("keel_upgrades")
    }

    public func isEnabled(_ feature: RolloutFeature, subject: [UInt8]) -> Bool { false }

    public func recordRollout(_ feature: RolloutFeature, cohort: Bool, failed: Bool, seconds: Double) {}

    public func publishConsensusFlag(_ name: String, height: UInt64?) throws(RPCError) {}

    public func setRole(_ name: String, running: Bool) throws(RPCError) -> JSONValue {
        throw RPCError.methodNotFound(running ? "admin_startRole" : "admin_stopRole")
    }
}
