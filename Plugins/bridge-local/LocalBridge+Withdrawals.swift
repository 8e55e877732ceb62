import Foundation
import GRDB
import KeelPluginKit

/// Withdrawals: an L2→L1 message is paid once, against a final batch, with a Merkle proof that it
/// is a leaf of the batch's withdrawals root (docs/FORMATS.md, "The withdrawal tree and its proofs").
extension LocalBridge {
    func claimWithdrawal(batch index: UInt64, message: [UInt8], proof: [UInt8]) throws(PluginError) {
        guard !message.isEmpty else {
            throw PluginError(.invalidArgument, "the withdrawal message is empty; pass the L2→L1 message the transaction sent")
        }
        let path = try WithdrawalProof(decoding: proof)
        let leaf = Keccak256.hash(message)
        let payout = WithdrawalPayout(message)
        let threshold = genesis.committee.threshold
        let claimedAt = try database.write("claim a withdrawal from batch \(index)") { db throws -> UInt64 in
            let count = try Self.batchCount(db)
            guard index < count else {
                throw PluginError(.notFound, "no batch \(index): \(count) batches are recorded; claim against the batch that carried the withdrawal")
            }
            guard try self.isFinal(db, index) else {
                if try Self.rule(db, batch: index) == "fault" {
                    throw PluginError(.rejected, "batch \(index) is not final (its challenge window is open, a game against it is unresolved, or it was rejected); "
                                      + "a withdrawal can be claimed once its batch is final")
                }
                let attestations = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attestations WHERE batch_idx = ?", arguments: [index.sql]) ?? 0
                let reason = attestations >= threshold
                    ? "it is attested, but a batch before it is not"
                    : "it has \(attestations) of the \(threshold) attestations it needs"
                throw PluginError(.rejected, "batch \(index) is not final (\(reason)); a withdrawal can be claimed once its batch is final")
            }
            let record = try Self.storedBatch(db, index)
            guard let root = Hash32(bytes: record.withdrawalsRoot),
                  MerkleTree.verify(root: root, leaf: leaf, index: path.leafIndex, proof: path.siblings) else {
                throw PluginError(.rejected, "the Merkle proof does not show this message as withdrawal \(path.leafIndex) of batch \(index) "
                                  + "(withdrawals root \(Hex.encode(record.withdrawalsRoot))); check the batch index, the leaf index and the message bytes")
            }
            if let earlier = try Row.fetchOne(db, sql: "SELECT batch_idx, l1_block FROM claims WHERE message_hash = ?", arguments: [Data(leaf.bytes)]) {
                let batch = UInt64(bitPattern: earlier["batch_idx"]), block = UInt64(bitPattern: earlier["l1_block"])
                throw PluginError(.rejected, "withdrawal \(Hex.encode(leaf.bytes)) was already claimed (batch \(batch), L1 block \(block)); it pays once")
            }
            let head = try headNumber(db)
            if let payout {
                try L1Ledger.move(db, payout.amount, from: .escrow, to: .user(payout.recipient), for: "withdrawal \(payout.nonce)")
            }
            try db.execute(sql: """
                INSERT INTO claims (message_hash, batch_idx, leaf_index, l1_block, message, recipient, amount)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [Data(leaf.bytes), index.sql, path.leafIndex, head.sql, Data(message),
                                 payout.map { Data($0.recipient.bytes) }, payout.map { Data(Self.bigEndian($0.amount)) }])
            return head
        }
        host.increment("withdrawals_claimed_total")
        if let payout {
            host.log(.info, "paid withdrawal \(payout.nonce) of batch \(index): \(payout.amount) wei to \(payout.recipient) (L1 block \(claimedAt))")
        } else {
            host.log(.info, "claimed withdrawal \(Hex.encode(leaf.bytes)) of batch \(index) (L1 block \(claimedAt)); its message is not a transfer withdrawal, so no payout is recorded")
        }
    }
}

/// The proof bytes `claim_withdrawal` takes: the leaf's index in the batch's withdrawal tree as 8
/// bytes big-endian, then the siblings from the leaf's level up, 32 bytes each (at least one).
struct WithdrawalProof: Sendable, Equatable {
    let leafIndex: Int
    let siblings: [Hash32]

    init(decoding bytes: [UInt8]) throws(PluginError) {
        guard bytes.count >= 8 + 32, (bytes.count - 8) % 32 == 0 else {
            throw PluginError(.invalidArgument, "a withdrawal proof is an 8-byte leaf index and one or more 32-byte hashes; got \(bytes.count) bytes")
        }
        let index = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard index < 1 << 62 else {
            throw PluginError(.invalidArgument, "the withdrawal proof's leaf index \(index) is out of range")
        }
        leafIndex = Int(index)
        siblings = stride(from: 8, to: bytes.count, by: 32).compactMap { Hash32(bytes: bytes[$0..<($0 + 32)]) }
    }
}

/// What a transfer plugin's withdrawal message pays (docs/plugins/transfer.md, "Withdrawal message"):
/// 65 bytes, `0x01 ‖ L2 sender (20) ‖ L1 recipient (20) ‖ amount (16, big-endian) ‖ nonce (8, big-endian)`.
/// Messages of any other shape are claimed as opaque bytes, without a recorded payout.
struct WithdrawalPayout: Sendable, Equatable {
    let sender: Address
    let recipient: Address
    let amount: UInt128
    let nonce: UInt64

    init?(_ message: [UInt8]) {
        guard message.count == 65, message[0] == 0x01,
              let sender = Address(bytes: message[1..<21]), let recipient = Address(bytes: message[21..<41]) else { return nil }
        self.sender = sender
        self.recipient = recipient
        amount = message[41..<57].reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
        nonce = message[57..<65].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }
}
