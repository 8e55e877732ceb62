import Foundation
import KeelKernel
import KeelPluginKit
import KeelPluginTesting
import Testing

/// Withdrawals on the local bridge: claimed with a Merkle proof against a final batch's
/// withdrawals root, paid once.
@Suite struct LocalBridgeWithdrawalTests {
    typealias F = AttestFixtures

    /// Three withdrawal messages in the transfer plugin's format (docs/plugins/transfer.md):
    /// `0x01 ‖ L2 sender ‖ L1 recipient ‖ amount (16 bytes) ‖ nonce (8 bytes)`.
    static let messages: [[UInt8]] = (0..<3).map(message)

    static func message(_ nonce: Int) -> [UInt8] {
        let sender = [UInt8](repeating: 0xA0 + UInt8(nonce), count: 20)
        let recipient = [UInt8](repeating: 0xB0 + UInt8(nonce), count: 20)
        let amount = [UInt8](repeating: 0, count: 15) + [UInt8(10 + nonce)]
        let number = [UInt8](repeating: 0, count: 7) + [UInt8(nonce)]
        return [0x01] + sender + recipient + amount + number
    }

    static let tree = MerkleTree(leaves: messages.map { Keccak256.hash($0) })

    /// The proof bytes `claim_withdrawal` takes (docs/plugins/local-bridge.md): the leaf index as 8
    /// bytes big-endian, then the siblings, 32 bytes each.
    static func proof(_ leaf: Int) throws -> [UInt8] {
        (0..<8).reversed().map { UInt8(truncatingIfNeeded: leaf >> (8 * $0)) } + (try tree.proof(index: leaf)).flatMap(\.bytes)
    }

    /// A bridge with batch 0 carrying `messages`, final when `final`.
    func bridge(_ label: String, final: Bool) throws -> BridgeClient {
        try bridge(on: try LocalBridgeFixture(label, threshold: 1), final: final)
    }

    func bridge(on l1: LocalBridgeFixture, final: Bool) throws -> BridgeClient {
        let bridge = try l1.bridge()
        // The L2's genesis supply backs the withdrawals in escrow (docs/FAULT_PROOFS.md, §5).
        _ = try bridge.call(try SettlementCall.request(body: ["method": "escrow.genesis", "amount": "1000"], chainID: F.chainID))
        let t = F.transition(index: 0, withdrawalsRoot: Self.tree.root.bytes)
        try bridge.submitBatch(F.record(t))
        if final { try bridge.submitProof(batch: 0, proof: try l1.attestation(2, t)) }
        return bridge
    }

    @Test func aWithdrawalIsPaidOnce() throws {
        let l1 = try LocalBridgeFixture("withdraw-once", threshold: 1)
        let bridge = try bridge(on: l1, final: true)
        try bridge.claimWithdrawal(batch: 0, message: Self.messages[1], proof: try Self.proof(1))
        // The claim records the transfer withdrawal's payout: recipient 0xB1…B1, amount 11 wei.
        let claims = try TestProcess.run("sqlite3", [l1.database, "SELECT batch_idx, leaf_index, hex(recipient), hex(amount) FROM claims"])
        #expect(claims.standardOutput == "0|1|\(String(repeating: "B1", count: 20))|\(String(repeating: "00", count: 15))0B\n")
        // The escrow paid the recipient's L1 account.
        let balance = try SettlementCall.response(try bridge.call(try SettlementCall.request(
            body: ["method": "ledger.balance", "account": "0x" + String(repeating: "b1", count: 20)], chainID: F.chainID)))
        #expect(balance["balance"] as? String == "11")
        F.expectRefusal(.rejected, "was already claimed (batch 0") {
            try bridge.claimWithdrawal(batch: 0, message: Self.messages[1], proof: try Self.proof(1))
        }
        try bridge.claimWithdrawal(batch: 0, message: Self.messages[2], proof: try Self.proof(2))
        try bridge.claimWithdrawal(batch: 0, message: Self.messages[0], proof: try Self.proof(0))
    }

    @Test func aClaimAgainstANonFinalBatchIsRefused() throws {
        let bridge = try bridge("withdraw-not-final", final: false)
        F.expectRefusal(.rejected, "batch 0 is not final (it has 0 of the 1 attestations it needs)") {
            try bridge.claimWithdrawal(batch: 0, message: Self.messages[0], proof: try Self.proof(0))
        }
        F.expectRefusal(.notFound, "no batch 1") {
            try bridge.claimWithdrawal(batch: 1, message: Self.messages[0], proof: try Self.proof(0))
        }
    }

    @Test func aTamperedProofIsRefused() throws {
        let bridge = try bridge("withdraw-tampered", final: true)
        var tampered = try Self.proof(0)
        tampered[20] ^= 0x01
        F.expectRefusal(.rejected, "the Merkle proof does not show this message as withdrawal 0 of batch 0") {
            try bridge.claimWithdrawal(batch: 0, message: Self.messages[0], proof: tampered)
        }
        F.expectRefusal(.rejected, "does not show this message as withdrawal 1") {
            try bridge.claimWithdrawal(batch: 0, message: Self.messages[0], proof: try Self.proof(1))
        }
        var otherMessage = Self.messages[0]
        otherMessage[56] ^= 0x01
        F.expectRefusal(.rejected, "does not show this message") {
            try bridge.claimWithdrawal(batch: 0, message: otherMessage, proof: try Self.proof(0))
        }
        F.expectRefusal(.invalidArgument, "an 8-byte leaf index and one or more 32-byte hashes") {
            try bridge.claimWithdrawal(batch: 0, message: Self.messages[0], proof: Array(try Self.proof(0).prefix(20)))
        }
        // Refusals record nothing: the genuine claim still pays.
        try bridge.claimWithdrawal(batch: 0, message: Self.messages[0], proof: try Self.proof(0))
    }
}
