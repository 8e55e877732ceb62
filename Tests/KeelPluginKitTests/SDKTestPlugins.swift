import Foundation
import KeelPluginKit

// Small plugins of every kind, written with KeelPluginKit as a plugin author would, for testing the
// SDK's export of each kind's table. They live in the test process; SDKExportTests creates them
// through their C descriptors and calls them through the kernel's clients.

final class MemoryDA: DAProvider {
    static let name = "memory"
    static let version = "0.1.0"
    static let capabilities = ["da:offchain"]
    static let providerID: UInt8 = 0xF1
    let maxBlobSize: UInt64
    private var blobs: [[UInt8]: [UInt8]] = [:]

    init(config: PluginConfig, host: PluginHostServices) throws(PluginError) {
        try config.allowKeys(["max_blob_bytes"])
        maxBlobSize = try config.uint64("max_blob_bytes", default: 1 << 20)
    }

    func submit(_ blob: [UInt8]) throws(PluginError) -> [UInt8] {
        guard UInt64(blob.count) <= maxBlobSize else { throw PluginError(.tooLarge, "at most \(maxBlobSize) bytes") }
        let commitment = [Self.providerID] + Keccak256.hash(blob).bytes
        blobs[commitment] = blob
        return commitment
    }

    func retrieve(_ commitment: [UInt8]) throws(PluginError) -> [UInt8] {
        guard commitment.count == 33, commitment.first == Self.providerID else { throw PluginError(.invalidArgument, "not a memory commitment") }
        guard let blob = blobs[commitment] else { throw PluginError(.notFound, "no such blob") }
        return blob
    }

    func health() -> DAHealth { DAHealth(healthy: true, detail: "\(blobs.count) blobs") }
}

/// Transactions are `0x4B ‖ address(20)`: each bumps that account's nonce.
final class NonceVM: ExecutionVM {
    static let name = "nonces"
    static let version = "0.1.0"

    init(config: PluginConfig, host: PluginHostServices) throws(PluginError) {}

    static func address(of raw: [UInt8]) throws(PluginError) -> [UInt8] {
        guard raw.count == 21, raw[0] == 0x4B else { throw PluginError(.invalidArgument, "a transaction is 0x4B and a 20-byte address") }
        return Array(raw[1...])
    }

    func validateTransaction(_ raw: [UInt8], state: StateAccessor) throws(PluginError) -> TransactionSummary {
        let address = try Self.address(of: raw)
        let nonce = try account(address, state: state).nonce
        return TransactionSummary(type: 0x4B, hash: Keccak256.hash(raw).bytes, sender: address, recipient: nil, nonce: nonce,
                                  gasLimit: 1, intrinsicGas: 1, maxFeePerGas: 0, maxPriorityFeePerGas: 0, value: 0,
                                  maxCost: 0, encodedSize: UInt64(raw.count))
    }

    func account(_ address: [UInt8], state: StateAccessor) throws(PluginError) -> AccountState {
        let stored = try state.value(for: address) ?? []
        return AccountState(nonce: stored.reduce(0) { $0 << 8 | UInt64($1) }, balance: 0)
    }

    func beginBlock(_ block: BlockContext, state: StateAccessor) throws(PluginError) {}

    func execute(_ raw: [UInt8], block: BlockContext, blockGasUsed: UInt64, state: StateAccessor) throws(PluginError) -> TransactionOutcome {
        let address = try Self.address(of: raw)
        let next = try account(address, state: state).nonce + 1
        try state.setValue(withUnsafeBytes(of: next.bigEndian) { Array($0) }, for: address)
        return TransactionOutcome(succeeded: true, gasUsed: 1, feePaid: 0, l2ToL1Message: [0x57] + address)
    }

    func endBlock(_ block: BlockContext, blockGasUsed: UInt64, state: StateAccessor) throws(PluginError) -> UInt128 {
        block.baseFeePerGas
    }

    func call(_ request: CallRequest, block: BlockContext, state: StateAccessor) throws(PluginError) -> CallResult {
        CallResult(succeeded: true, gasUsed: 0, returnData: withUnsafeBytes(of: try account(request.sender, state: state).nonce.bigEndian) { Array($0) })
    }
}

/// A proof is keccak(secret ‖ the transition's fields): it shows the SDK's proof table, not security.
final class KeyedHashProof: ProofSystem {
    static let name = "keyed-hash"
    static let version = "0.1.0"
    static let capabilities = ["proof:attestation"]
    private let secret: [UInt8]

    init(config: PluginConfig, host: PluginHostServices) throws(PluginError) {
        secret = Array(try config.string("secret").utf8)
    }

    func digest(_ t: Transition) -> [UInt8] {
        var hasher = Keccak256.Hasher()
        for part in [secret, t.previousRoot, t.root, t.withdrawalsRoot, t.daCommitment, t.batch] { hasher.absorb(part) }
        return hasher.finish().bytes
    }

    func prove(_ transition: Transition, state: StateAccessor) throws(PluginError) -> [UInt8] { digest(transition) }

    func verify(_ transition: Transition, proof: [UInt8]) throws(PluginError) {
        guard proof == digest(transition) else { throw PluginError(.rejected, "the proof does not match the transition") }
    }
}

/// A radix-2 NTT and a Keccak Merkle tree in plain Swift.
final class SwiftGPU: GPUBackend {
    static let name = "swift-reference"
    static let version = "0.1.0"
    static let capabilities = ["thread-safe", "gpu:ntt:goldilocks", "gpu:merkle:keccak256"]

    init(config: PluginConfig, host: PluginHostServices) throws(PluginError) {}

    func deviceInfo() throws(PluginError) -> GPUDeviceInfo { GPUDeviceInfo(name: "swift", memoryBytes: 0, computeUnits: 1) }

    func ntt(field: NTTField, values: UnsafeMutableBufferPointer<UInt64>, logN: Int, inverse: Bool) throws(PluginError) {
        guard field == .goldilocks else { throw PluginError(.unsupported, "goldilocks only") }
        let p = field.modulus, n = 1 << logN
        guard values.allSatisfy({ $0 < p }) else { throw PluginError(.invalidArgument, "an element is not below the modulus") }
        func mul(_ a: UInt64, _ b: UInt64) -> UInt64 { UInt64(UInt128(a) * UInt128(b) % UInt128(p)) }
        func pow(_ b: UInt64, _ e: UInt64) -> UInt64 { e == 0 ? 1 : (e & 1 == 1 ? mul(b, pow(mul(b, b), e >> 1)) : pow(mul(b, b), e >> 1)) }
        var root = pow(7, (p - 1) >> UInt64(logN))
        if inverse { root = pow(root, p - 2) }
        for start in stride(from: 0, to: values.count, by: n) {
            let input = Array(values[start..<(start + n)])
            for i in 0..<n {
                var sum: UInt64 = 0
                let w = pow(root, UInt64(i))
                var x: UInt64 = 1
                for c in input {
                    sum = UInt64((UInt128(sum) + UInt128(mul(c, x))) % UInt128(p))
                    x = mul(x, w)
                }
                values[start + i] = inverse ? mul(sum, pow(UInt64(n), p - 2)) : sum
            }
        }
    }

    func merkleTree(leaves: UnsafeBufferPointer<UInt8>, leafSize: Int, nodes: UnsafeMutableBufferPointer<UInt8>) throws(PluginError) {
        let count = nodes.count / 64
        var tree = [Hash32](repeating: .zero, count: 2 * count)
        for j in 0..<count { tree[count + j] = Keccak256.hash(Array(leaves[(j * leafSize)..<((j + 1) * leafSize)])) }
        for i in stride(from: count - 1, through: 1, by: -1) { tree[i] = Keccak256.hash(tree[2 * i], tree[2 * i + 1]) }
        for (index, node) in tree.enumerated() { for (offset, byte) in node.bytes.enumerated() { nodes[index * 32 + offset] = byte } }
    }
}

/// Signs header hashes with a secp256k1 key given in the config (tests only; real sequencers read key files).
final class KeyedSequencer: SequencerConsensus {
    static let name = "keyed"
    static let version = "0.1.0"
    private let key: PrivateKey

    init(config: PluginConfig, host: PluginHostServices) throws(PluginError) {
        do {
            key = try PrivateKey(hex: try config.string("key"))
        } catch let error as PluginError {
            throw error
        } catch {
            throw PluginError.config("key", "not a private key: \(error)")
        }
    }

    func isLeader(height: UInt64) throws(PluginError) -> Bool { true }

    func order(_ candidates: [OrderCandidate], baseFee: UInt128, gasLimit: UInt64) throws(PluginError) -> [Int] {
        var gas: UInt64 = 0
        let byAccount = candidates.indices.sorted { a, b in
            candidates[a].sender == candidates[b].sender
                ? candidates[a].nonce < candidates[b].nonce
                : candidates[a].sender.lexicographicallyPrecedes(candidates[b].sender)
        }
        return byAccount.filter { index in
                guard gas + candidates[index].gasLimit <= gasLimit else { return false }
                gas += candidates[index].gasLimit
                return true
            }
    }

    func signHeader(_ hash: [UInt8]) throws(PluginError) -> [UInt8] {
        guard let digest = Hash32(bytes: hash) else { throw PluginError(.invalidArgument, "a header hash is 32 bytes") }
        return key.sign(hash: digest).compactBytes
    }

    func verifyHeader(height: UInt64, hash: [UInt8], signature: [UInt8]) throws(PluginError) {
        guard let digest = Hash32(bytes: hash), signature.count == 65,
              let r = Hash32(bytes: signature[0..<32]), let s = Hash32(bytes: signature[32..<64]),
              let signer = try? Secp256k1.recoverAddress(hash: digest, signature: Signature(r: r, s: s, yParity: signature[64])),
              signer == key.address else {
            throw PluginError(.rejected, "not the sequencer's signature")
        }
    }
}

/// A development L1 in memory.
final class MemoryBridge: SettlementBridge {
    static let name = "memory-l1"
    static let version = "0.1.0"
    static let isDevelopmentL1 = true
    private var head: UInt64 = 1
    private var batches: [BatchRecord] = []
    private var queued: [Deposit] = []

    init(config: PluginConfig, host: PluginHostServices) throws(PluginError) {}

    func l1Head() throws(PluginError) -> L1Head { L1Head(number: head, timestamp: 1_700_000_000 + head, hash: Keccak256.hash(withUnsafeBytes(of: head) { Array($0) }).bytes) }

    func submitBatch(_ record: BatchRecord) throws(PluginError) {
        if record.index < UInt64(batches.count) {
            var stored = batches[Int(record.index)]
            stored.l1Block = record.l1Block
            stored.isFinal = record.isFinal
            guard stored == record else { throw PluginError(.rejected, "batch \(record.index) is already recorded differently") }
            return
        }
        guard record.index == UInt64(batches.count) else { throw PluginError(.rejected, "the next batch is \(batches.count)") }
        guard record.previousRoot == (batches.last?.root ?? [UInt8](repeating: 0, count: 32)) else {
            throw PluginError(.rejected, "the previous root does not chain")
        }
        var stored = record
        stored.l1Block = head
        batches.append(stored)
    }

    func batchCount() throws(PluginError) -> (count: UInt64, final: UInt64) { (UInt64(batches.count), 0) }

    func batch(_ index: UInt64) throws(PluginError) -> BatchRecord {
        guard index < UInt64(batches.count) else { throw PluginError(.notFound, "no batch \(index)") }
        return batches[Int(index)]
    }

    func submitProof(batch index: UInt64, proof: [UInt8]) throws(PluginError) {
        throw PluginError(.rejected, "this L1 checks no proofs")
    }

    func deposits(from index: UInt64, limit: Int) throws(PluginError) -> [Deposit] {
        Array(queued.dropFirst(Int(min(index, UInt64(queued.count)))).prefix(limit))
    }

    func claimWithdrawal(batch index: UInt64, message: [UInt8], proof: [UInt8]) throws(PluginError) {
        throw PluginError(.rejected, "batch \(index) is not final")
    }

    func devDeposit(from: [UInt8], to: [UInt8], amount: UInt128) throws(PluginError) -> UInt64 {
        queued.append(Deposit(index: UInt64(queued.count), l1Block: head, from: from, to: to, amount: amount))
        return UInt64(queued.count - 1)
    }

    func devAdvance(blocks: UInt64) throws(PluginError) { head += blocks }
}
