import KeelPluginKit

/// bridge {{NAME}}: an in-memory development L1 that keeps the rules a settlement contract keeps.
///
/// Written by `keel new plugin --kind bridge --lang swift`. It is complete, builds with
/// `swift build`, and passes Keel's bridge conformance suite (`swift test`). It records batches
/// chained by root, queues deposits, finalizes a batch once `finality_blocks` L1 blocks have passed
/// over it, and pays a withdrawal only with a Merkle proof against a final batch's withdrawals root,
/// once. Make it yours:
///
/// - REPLACE the storage: everything lives in this process's memory and is gone at restart, and no
///   other process sees it. Keel's `local` bridge keeps the same rules in a shared SQLite file; a
///   real bridge submits transactions to contracts on an L1 and reads their events.
/// - REPLACE `submitProof`: this L1 finalizes by time alone (a challenge window nobody can use) and
///   refuses proofs, since it has no verifier. Check proofs with your proof system's rules.
/// - REPLACE `isDevelopmentL1` with false on a real L1: deposits come from L1 users and the L1
///   advances by itself.
/// - KEEP the checks in `submitBatch` and `claimWithdrawal`: they are what protects users' money.
///
/// Withdrawal proof: the leaf's index as 8 bytes big-endian, then the 32-byte siblings from the
/// leaf's level up, as `MerkleTree.proof(index:)` makes them over `keccak256(message)` leaves.
/// Config: `finality_blocks` (default 10), `genesis_root` (optional, 32 bytes hex: the root batch 0
/// must chain to; without it, batch 0 may start from any root).
/// Not thread-safe (its state is mutable): the kernel serialises calls to an instance.
final class {{TYPE}}: SettlementBridge {
    static let name = "{{NAME}}"
    static let version = "0.1.0"
    static let isDevelopmentL1 = true
    static let secondsPerBlock: UInt64 = 12

    private let finalityBlocks: UInt64
    private let genesisRoot: [UInt8]?
    private let genesisTime: UInt64
    private let host: PluginHostServices
    private var head: UInt64 = 0
    private var batches: [BatchRecord] = []
    private var queuedDeposits: [Deposit] = []
    /// Claimed withdrawals: (batch index, leaf index).
    private var claimed: Set<[UInt64]> = []

    init(config: PluginConfig, host: PluginHostServices) throws(PluginError) {
        try config.allowKeys(["finality_blocks", "genesis_root"])
        finalityBlocks = try config.uint64("finality_blocks", default: 10)
        if let text = try config.optionalString("genesis_root") {
            guard let root = Hash32(hex: text) else {
                throw PluginError.config("genesis_root", "`genesis_root` must be 32 bytes as hex (0x and 64 digits)")
            }
            genesisRoot = root.bytes
        } else {
            genesisRoot = nil
        }
        genesisTime = host.nowUnixMilliseconds / 1000
        self.host = host
    }

    func l1Head() throws(PluginError) -> L1Head {
        let number = (0..<8).map { UInt8(truncatingIfNeeded: head >> (56 - 8 * $0)) }
        return L1Head(number: head, timestamp: genesisTime + head * Self.secondsPerBlock,
                      hash: Keccak256.hash(Array("keel-dev-l1-block".utf8) + number).bytes)
    }

    func submitBatch(_ record: BatchRecord) throws(PluginError) {
        guard !record.daCommitment.isEmpty else { throw PluginError(.invalidArgument, "the batch has no DA commitment") }
        guard record.firstBlock <= record.lastBlock else {
            throw PluginError(.invalidArgument, "the batch's first block is after its last block")
        }
        let count = UInt64(batches.count)
        if record.index < count {
            var stored = batches[Int(record.index)]
            stored.l1Block = record.l1Block
            stored.isFinal = record.isFinal
            guard stored == record else { throw PluginError(.rejected, "batch \(record.index) is already recorded with other contents") }
            return // a retried submit
        }
        guard record.index == count else {
            throw PluginError(.rejected, "batch index \(record.index) skips ahead: the next batch is \(count)")
        }
        if let expected = batches.last?.root ?? genesisRoot, record.previousRoot != expected {
            throw PluginError(.rejected, "batch \(record.index) does not chain: its previous root is not the root of "
                              + (batches.isEmpty ? "genesis" : "the batch before"))
        }
        if let last = batches.last, record.firstBlock != last.lastBlock + 1 {
            throw PluginError(.rejected, "batch \(record.index) starts at block \(record.firstBlock); the batch before ended at \(last.lastBlock)")
        }
        var stored = record
        stored.l1Block = head
        stored.isFinal = false
        batches.append(stored)
    }

    func batchCount() throws(PluginError) -> (count: UInt64, final: UInt64) {
        (UInt64(batches.count), UInt64(batches.prefix { isFinal($0) }.count))
    }

    func batch(_ index: UInt64) throws(PluginError) -> BatchRecord {
        guard index < UInt64(batches.count) else {
            throw PluginError(.notFound, "no batch \(index): \(batches.count) batches are recorded")
        }
        var record = batches[Int(index)]
        record.isFinal = isFinal(record)
        return record
    }

    func submitProof(batch index: UInt64, proof: [UInt8]) throws(PluginError) {
        // REPLACE: verify `proof` for batch `index` with your proof system, then finalize it.
        throw PluginError(.unsupported, "{{NAME}} takes no proofs: batches become final after finality_blocks L1 blocks")
    }

    func deposits(from index: UInt64, limit: Int) throws(PluginError) -> [Deposit] {
        guard index < UInt64(queuedDeposits.count) else { return [] }
        return Array(queuedDeposits[Int(index)...].prefix(max(0, limit)))
    }

    func claimWithdrawal(batch index: UInt64, message: [UInt8], proof: [UInt8]) throws(PluginError) {
        guard index < UInt64(batches.count) else {
            throw PluginError(.notFound, "no batch \(index): \(batches.count) batches are recorded")
        }
        let batch = batches[Int(index)]
        guard isFinal(batch) else {
            throw PluginError(.rejected, "batch \(index) is not final: withdrawals against it open at L1 block "
                              + "\(batch.l1Block + finalityBlocks) (now \(head))")
        }
        let steps = (proof.count - 8) / 32
        guard proof.count >= 8 + 32, (proof.count - 8) % 32 == 0, steps < 64 else {
            throw PluginError(.invalidArgument, "a withdrawal proof is an 8-byte leaf index and 1 to 63 siblings of 32 bytes")
        }
        let leaf = proof[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let siblings = (0..<steps).compactMap { Hash32(bytes: proof[(8 + 32 * $0)..<(40 + 32 * $0)]) }
        guard leaf < UInt64(Int.max), let root = Hash32(bytes: batch.withdrawalsRoot),
              MerkleTree.verify(root: root, leaf: Keccak256.hash(message), index: Int(leaf), proof: siblings) else {
            throw PluginError(.rejected, "the proof does not show this message under the batch's withdrawals root")
        }
        guard claimed.insert([index, leaf]).inserted else {
            throw PluginError(.rejected, "this withdrawal was already claimed")
        }
        // REPLACE: pay out. A development L1 holds no money, so it only records the claim.
        host.log(.info, "withdrawal \(leaf) of batch \(index) claimed on the development L1")
    }

    func devDeposit(from: [UInt8], to: [UInt8], amount: UInt128) throws(PluginError) -> UInt64 {
        guard from.count == 20, to.count == 20 else { throw PluginError(.invalidArgument, "addresses are 20 bytes") }
        let index = UInt64(queuedDeposits.count)
        queuedDeposits.append(Deposit(index: index, l1Block: head, from: from, to: to, amount: amount))
        return index
    }

    func devAdvance(blocks: UInt64) throws(PluginError) {
        guard blocks <= UInt64.max / Self.secondsPerBlock - head else {
            throw PluginError(.invalidArgument, "that many blocks would overflow the L1 clock")
        }
        head += blocks
    }

    private func isFinal(_ batch: BatchRecord) -> Bool {
        head >= batch.l1Block && head - batch.l1Block >= finalityBlocks
    }
}

@_cdecl("keel_plugin_entry_v1")
public func keelPluginEntry() -> UnsafeRawPointer { PluginExport.descriptor(for: {{TYPE}}.self) }
