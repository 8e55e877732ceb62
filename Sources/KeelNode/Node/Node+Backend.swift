import KeelCore
import KeelState
import KeelJSONRPC
import KeelKernel
import Prometheus

extension Node: NodeBackend {
    public var chainID: UInt64 { manifest.rollup.chainID }
    public var clientVersion: String { "keel/1.0.0/linux-x86_64/swift-6" }

    public func headNumber() -> UInt64 { chain.head?.number ?? 0 }

    /// The state version a tag reads (pending reads the head: the mempool has no state of its own).
    func version(_ tag: BlockTag) throws(RPCError) -> UInt64 {
        let head = headNumber()
        switch tag {
        case .latest, .pending, .safe: return head
        case .earliest: return 0
        case .finalized: return finalizedBlock() ?? 0
        case .number(let number):
            guard number <= head else { throw RPCError.invalidParams("block \(number) is past the head (\(head))") }
            return number
        }
    }

    /// A view of the state at `tag`, or `unavailable` when that version was pruned.
    func stateView(_ tag: BlockTag) throws(RPCError) -> StateView {
        let version = try version(tag)
        if let oldest = chain.state.oldestRetainedVersion, version < oldest {
            throw RPCError.unavailable("the state of block \(version) was pruned; this node keeps blocks \(oldest) to \(headNumber())")
        }
        return StateView(store: chain.state, baseVersion: version)
    }

    public func account(_ address: Address, at block: BlockTag) throws(RPCError) -> AccountState {
        let state = try stateView(block)
        do { return try upgrades.executions.at(state.baseVersion ?? 0).account(address.bytes, state: state) } catch { throw RPCError.internalError(error.message) }
    }

    public func pendingNonce(_ address: Address) throws(RPCError) -> UInt64 {
        let nonce = try account(address, at: .latest).nonce
        return mempool.pendingNonce(address, accountNonce: nonce)
    }

    public func submit(raw: [UInt8]) async throws(RPCError) -> Hash32 {
        guard follower == nil else {
            throw RPCError.transactionRejected("this node follows the chain and takes no transactions; send them to the sequencer")
        }
        if raw.count > Transaction.maxRawSize {
            metrics.refused.increment()
            throw RPCError.transactionRejected("oversized data: the transaction is \(raw.count) bytes, the limit is \(Transaction.maxRawSize)")
        }
        let state = headState()
        let execution = upgrades.executions.at((state.baseVersion ?? 0) + 1)
        let summary: TransactionSummary
        let accountNonce: UInt64
        do throws(PluginCallError) {
            summary = try execution.validate(raw, state: state)
            accountNonce = try execution.account(summary.sender, state: state).nonce
        } catch {
            metrics.refused.increment()
            var rejected = RPCError.transactionRejected(error.message)
            if error.refusal != .unspecified { rejected.data = .object(["refusal": .string(error.refusal.description)]) }
            throw rejected
        }
        // The rollout feature `mempool-sender-limit`: a tighter cap for the senders in its cohort.
        let started = ContinuousClock.now
        let limited = isEnabled(.senderPendingLimit, subject: summary.sender)
        func measured(failed: Bool) {
            cohorts.record(.senderPendingLimit, cohort: limited, failed: failed, seconds: (ContinuousClock.now - started).seconds)
        }
        if limited, let sender = Address(bytes: summary.sender), mempool.pendingCount(of: sender) >= manifest.node.senderPendingLimit {
            metrics.refused.increment()
            measured(failed: true)
            throw RPCError.transactionRejected("sender rate limit: address \(sender) has \(manifest.node.senderPendingLimit) pending transactions, "
                                               + "the most this node keeps for it (node.sender_pending_limit); wait for them to be included")
        }
        do {
            try await mempool.add(summary: summary, raw: raw, accountNonce: accountNonce)
            measured(failed: false)
        } catch let refusal as MempoolRefusal {
            metrics.refused.increment()
            measured(failed: true)
            throw RPCError.transactionRejected(refusal.message)
        } catch {
            throw RPCError.internalError("\(error)")
        }
        let hash = Hash32(bytes: summary.hash) ?? Keccak256.hash(raw)
        if let sender = Address(bytes: summary.sender) { senders.insert(sender, for: hash) }
        return hash
    }

    public func transaction(_ hash: Hash32) throws(RPCError) -> TransactionLookup? {
        if let entry = mempool.entry(hash) { return .pending(raw: entry.raw, sender: entry.sender) }
        do {
            return try chain.transaction(hash).map { .included($0) }
        } catch {
            throw RPCError.internalError("\(error)")
        }
    }

    public func block(_ tag: BlockTag) throws(RPCError) -> StoredBlock? {
        let number: UInt64
        switch tag {
        case .number(let value):
            guard value <= headNumber() else { return nil }
            number = value
        default: number = try version(tag)
        }
        do { return try chain.block(number: number) } catch { throw RPCError.internalError("\(error)") }
    }

    public func block(hash: Hash32) throws(RPCError) -> StoredBlock? {
        do { return try chain.block(hash: hash) } catch { throw RPCError.internalError("\(error)") }
    }

    public func transactions(inBlock number: UInt64) throws(RPCError) -> [StoredTransaction] {
        do { return try chain.transactions(inBlock: number) } catch { throw RPCError.internalError("\(error)") }
    }

    public func nextBaseFee() -> UInt128 { chain.head?.nextBaseFee ?? Self.genesisBaseFee }

    /// 0.001 gwei: enough to order by, small beside the base fee (the OP Stack's minimum suggestion).
    public func suggestedPriorityFee() -> UInt128 { 1_000_000 }

    public func feeHistory(count: Int, newest: BlockTag, rewardPercentiles: [Double]) throws(RPCError) -> FeeHistory {
        guard count >= 1 else { return FeeHistory(oldestBlock: 0, baseFeePerGas: [], gasUsedRatio: [], reward: []) }
        let last = try version(newest)
        let first = last + 1 >= UInt64(min(count, 1024)) ? last + 1 - UInt64(min(count, 1024)) : 0
        var baseFees: [UInt128] = []
        var ratios: [Double] = []
        var rewards: [[UInt128]] = []
        for number in first...last {
            guard let block = try block(.number(number)) else { break }
            baseFees.append(block.header.baseFee)
            ratios.append(block.header.gasLimit == 0 ? 0 : Double(block.header.gasUsed) / Double(block.header.gasLimit))
            if !rewardPercentiles.isEmpty {
                let tips = try transactions(inBlock: number).filter { $0.gasUsed > 0 }
                    .map { (tip: $0.effectiveGasPrice > block.header.baseFee ? $0.effectiveGasPrice - block.header.baseFee : 0, gas: $0.gasUsed) }
                    .sorted { $0.tip < $1.tip }
                let total = tips.reduce(UInt64(0)) { $0 + $1.gas }
                rewards.append(rewardPercentiles.map { percentile in
                    guard !tips.isEmpty else { return 0 }
                    let threshold = Double(total) * percentile / 100
                    var cumulative: UInt64 = 0
                    for tip in tips {
                        cumulative += tip.gas
                        if Double(cumulative) >= threshold { return tip.tip }
                    }
                    return tips[tips.count - 1].tip
                })
            }
        }
        let next = last == headNumber() ? nextBaseFee() : ((try? block(.number(last + 1)))??.header.baseFee ?? nextBaseFee())
        baseFees.append(next)
        return FeeHistory(oldestBlock: first, baseFeePerGas: baseFees, gasUsedRatio: ratios, reward: rewards)
    }

    public func call(_ request: CallRequest, at block: BlockTag) throws(RPCError) -> CallResult {
        let state = try stateView(block)
        guard let header = try self.block(block)?.header else { throw RPCError.invalidParams("no such block") }
        let context = BlockContext(chainID: chainID, number: header.number + 1, timestamp: Node.nowMilliseconds(),
                                   gasLimit: rules.gasLimit(atHeight: header.number + 1), baseFeePerGas: nextBaseFee(), feeRecipient: ((try? producer?.feeRecipient(at: header.number + 1)) ?? (try? header.sequencerAddress()) ?? nil ?? .zero).bytes,
                                   parentHash: header.hash.bytes)
        do { return try upgrades.executions.at(context.number).call(request, block: context, state: state) } catch { throw RPCError.transactionRejected(error.message) }
    }

    public func status() throws(RPCError) -> NodeStatus {
        let head = chain.head
        let height = head?.number ?? 0
        do {
            let counts = try bridge.batchCount()
            let last = try chain.lastBatch()
            var status = NodeStatus(
                chainID: chainID, mode: manifest.rollup.mode.description, height: height,
                stateRoot: head?.header.stateRoot ?? .zero, batchCount: try chain.postedBatchCount(), finalBatchCount: counts.final,
                lastBatchedBlock: last?.stage == .posted ? last?.lastBlock : nil, daProvider: da.current?.name ?? "none",
                activeFlags: flags.activeConsensusFlags(atHeight: height), pendingTransactions: mempool.count,
                l1Head: try bridge.l1Head().number, nextDepositIndex: head?.nextDeposit ?? 0)
            status.roles = roles.map { "\($0.role): \($0.current)" }
            status.disputes = disputesInFlight()
            status.plugins = upgrades.entries.map { entry in
                let state = entry.fromHeight <= height + 1 ? "past" : "scheduled"
                return "\(entry.slot) \(entry.plugin) \(entry.version) from \(entry.fromHeight) (\(state), \(entry.source))"
            }
            status.daSwaps = try chain.swaps().map {
                DASwapSummary(height: $0.height, batchIndex: $0.batchIndex, provider: $0.primary, configHash: $0.configHash)
            }
            return status
        } catch {
            throw RPCError.internalError("\(error)")
        }
    }

    /// `game 3 on batch 7: bisection 0…512, proposer owes until L1 41, challenger 0x… until 39` for
    /// each unresolved game, when the settlement layer runs games.
    func disputesInFlight() -> [String] {
        guard bridge.answersCalls, let answer = try? bridge.settle(["method": "game.list", "running": true], chainID: chainID) else { return [] }
        return (answer["games"] as? [[String: Any]] ?? []).filter { $0["phase"] as? String != "resolved" }.map(DisputeSummary.line)
    }

    public func accountProof(_ address: Address, at block: BlockTag) throws(RPCError) -> AccountProof {
        let version = try version(block)
        let execution = upgrades.executions.at(version)
        let named: [UInt8]?
        do { named = try execution.accountKey(address.bytes) } catch { throw RPCError.internalError(error.message) }
        guard let key = named else {
            throw RPCError.unavailable("the execution plugin \(execution.instance.library.name) does not name its account keys "
                                       + "(ABI 1.1's account_key), so this node cannot prove accounts")
        }
        do {
            let state = try stateView(block)
            let account = try execution.account(address.bytes, state: state)
            let value = try chain.state.value(for: key, at: version)
            let proof = try chain.state.proof(for: key, at: version)
            let root = try chain.state.root(at: version)
            return AccountProof(address: address, blockNumber: version, stateRoot: root, key: key, value: value, account: account,
                                proof: proof.encoded())
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError.internalError("\(error)")
        }
    }

    public func batch(_ index: UInt64) throws(RPCError) -> BatchView? {
        do {
            guard let row = try chain.batchRow(index) else { return nil }
            var stage = row.stage.name
            if row.stage == .posted, index < (try bridge.batchCount().final) { stage = "final" }
            return BatchView(index: row.index, firstBlock: row.firstBlock, lastBlock: row.lastBlock, previousRoot: row.previousRoot,
                             root: row.root, withdrawalsRoot: row.withdrawalsRoot, codec: row.codec.description, size: row.blob.count,
                             daCommitment: row.commitment, stage: stage)
        } catch {
            throw RPCError.internalError("\(error)")
        }
    }

    public func withdrawalProof(_ txHash: Hash32) throws(RPCError) -> WithdrawalProof {
        do {
            guard let tx = try chain.transaction(txHash) else {
                throw RPCError.invalidParams("transaction \(txHash) is not in a block (yet)")
            }
            guard let message = tx.l2ToL1Message else {
                throw RPCError.invalidParams("transaction \(txHash) is not a withdrawal (it sent no L2→L1 message)")
            }
            guard let row = try chain.batchContaining(block: tx.blockNumber), row.stage == .posted else {
                throw RPCError.unavailable("the withdrawal's block \(tx.blockNumber) is not in a posted batch yet; batches close every "
                                           + "\(manifest.node.batchMaxBlocks) blocks or \(manifest.node.batchMaxAgeMilliseconds) ms")
            }
            let messages = try chain.messages(row.firstBlock...row.lastBlock)
            guard let leaf = messages.firstIndex(where: { $0.txHash == txHash }) else {
                throw RPCError.internalError("the batch's messages do not include \(txHash)")
            }
            let tree = MerkleTree(leaves: messages.map { Keccak256.hash($0.message) })
            let siblings = try tree.proof(index: leaf)
            var proof = ChainStore.bytes(UInt64(leaf))
            for sibling in siblings { proof += sibling.bytes }
            let isFinal = row.index < (try bridge.batchCount().final)
            return WithdrawalProof(transactionHash: txHash, batchIndex: row.index, message: message, proof: proof,
                                   withdrawalsRoot: row.withdrawalsRoot, isFinal: isFinal)
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError.internalError("\(error)")
        }
    }

    public func flagHeight() -> UInt64 { headNumber() }

    public func metricsText() -> String {
        metrics.mempoolSize.set(Double(mempool.count))
        metrics.height.set(Double(headNumber()))
        var text = metrics.registry.emitToString()
        let snapshot = services.metricsSnapshot
        for (name, value) in snapshot.counters.sorted(by: { $0.key < $1.key }) { text += "# TYPE \(name) counter\n\(name) \(value)\n" }
        for (name, value) in snapshot.gauges.sorted(by: { $0.key < $1.key }) { text += "# TYPE \(name) gauge\n\(name) \(value)\n" }
        return text
    }

    /// The last block of the last final batch.
    func finalizedBlock() -> UInt64? {
        guard let final = try? bridge.batchCount().final, final > 0, let row = try? chain.batchRow(final - 1) else { return nil }
        return row.lastBlock
    }

    public func isEnabled(_ feature: RolloutFeature, subject: [UInt8]) -> Bool {
        flags.isEnabled(feature.rawValue, subject: subject)
    }

    public func recordRollout(_ feature: RolloutFeature, cohort: Bool, failed: Bool, seconds: Double) {
        cohorts.record(feature, cohort: cohort, failed: failed, seconds: seconds)
    }
}
