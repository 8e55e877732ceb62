import Foundation
import KeelCore
import KeelKernel
import KeelPluginKit
import KeelPluginTesting
import Testing

/// Attestations of ABI 1.2 sign the deposits a batch consumed (docs/FAULT_PROOFS.md §6): the local
/// bridge enforces forced inclusion with them; attestations without a count (older attestors) still count.
@Suite struct LocalBridgeAttestedDepositTests {
    typealias F = AttestFixtures

    static func counted(_ count: UInt64, _ signature: [UInt8]) -> [UInt8] { AttestationMessage.bigEndian(count) + signature }

    @Test func anAttestationSkippingADueDepositIsRefusedAndOneIncludingItIsKept() throws {
        let l1 = try LocalBridgeFixture("attested-deposits", threshold: 1)
        let bridge = try l1.bridge()
        _ = try bridge.devDeposit(from: [UInt8](repeating: 0xA1, count: 20), to: [UInt8](repeating: 0xA1, count: 20), amount: 4)
        try bridge.devAdvance(blocks: 60)
        var transition = F.transition(index: 0)
        try bridge.submitBatch(F.record(transition))
        // The batch was recorded when deposit 0 had waited 60 blocks: an attestation of 0 consumed is refused.
        transition.depositCount = 0
        F.expectRefusal(.rejected, "must be included (forced inclusion)") {
            try bridge.submitProof(batch: 0, proof: Self.counted(0, try l1.attestation(1, transition)))
        }
        // A count that does not match what was signed does not verify.
        transition.depositCount = 1
        #expect(throws: (any Error).self) { try bridge.submitProof(batch: 0, proof: Self.counted(2, try l1.attestation(1, transition))) }
        try bridge.submitProof(batch: 0, proof: Self.counted(1, try l1.attestation(1, transition)))
        #expect(try bridge.batchCount().final == 1)
        let status = try SettlementCall.response(try bridge.call(try SettlementCall.request(body: ["method": "batch.status", "index": 0], chainID: F.chainID)))
        #expect(status["deposit_count"] as? Int == 1)
    }

    @Test func anAttestationWithoutACountStillCounts() throws {
        let l1 = try LocalBridgeFixture("attested-legacy", threshold: 1)
        let bridge = try l1.bridge()
        let transition = F.transition(index: 0)
        try bridge.submitBatch(F.record(transition))
        try bridge.submitProof(batch: 0, proof: try l1.attestation(1, transition))
        #expect(try bridge.batchCount().final == 1)
    }
}
