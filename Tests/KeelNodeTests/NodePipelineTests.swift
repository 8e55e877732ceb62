import Foundation
import KeelJSONRPC
import KeelCore
import KeelKernel
import Testing
@testable import KeelNode

/// The node's pipeline driven step by step on real plugins (dlopen), real SQLite files and the
/// embedded L1: mempool → block → batch on DA → record on L1 → attestation → final → claim.
@Suite struct NodePipelineTests {
    @Test func aTransferIsExecutedBatchedAttestedAndFinal() async throws {
        let fixture = try NodeFixture(label: "pipeline")
        let node = try fixture.open()
        defer { node.close() }
        let tx = try NodeFixture.transfer(key: NodeFixture.key0, nonce: 0, to: NodeFixture.account1, value: NodeFixture.ether)
        let hash = try await node.submit(raw: tx.raw)
        #expect(hash == tx.hash)
        #expect(try node.pendingNonce(NodeFixture.account0) == 1)
        let produced = try #require(try node.producer!.produce(nowMilliseconds: Node.nowMilliseconds()))
        #expect(produced.block.header.number == 1)
        #expect(produced.transactions == 1)
        let receipt = try #require(try node.chain.transaction(tx.hash))
        #expect(receipt.succeeded && receipt.gasUsed == 21_000)
        // Account 0 is also the sequencer, so the tip comes back to it: it loses the burned base fee.
        let burned = UInt128(21_000) * produced.block.header.baseFee
        #expect(receipt.effectiveGasPrice == produced.block.header.baseFee + 1_000_000)
        #expect(try node.account(NodeFixture.account1, at: .latest).balance == 10_001 * NodeFixture.ether)
        #expect(try node.account(NodeFixture.account0, at: .latest).balance == 9_999 * NodeFixture.ether - burned)
        #expect(try node.producer!.produce(nowMilliseconds: Node.nowMilliseconds()) == nil)

        try node.batcher!.step(nowMilliseconds: Node.nowMilliseconds(), force: true)
        #expect(try node.bridge.batchCount().count == 1)
        let attestor = try #require(node.attestor)
        #expect(try attestor.step() == 1)
        #expect(try node.bridge.batchCount().final == 1)
        #expect(try node.batch(0)?.stage == "final")
    }

    @Test func aDepositIsCreditedAndAWithdrawalIsClaimedOnce() async throws {
        let fixture = try NodeFixture(label: "withdraw")
        let node = try fixture.open()
        defer { node.close() }
        let fresh = Address(hex: "0x00000000000000000000000000000000000000aa")!
        _ = try node.bridge.devDeposit(from: NodeFixture.account1.bytes, to: fresh.bytes, amount: 5)
        let withdrawal = try NodeFixture.transfer(key: NodeFixture.key1, nonce: 0, to: NodeFixture.bridgeAddress, value: 7)
        _ = try await node.submit(raw: withdrawal.raw)
        _ = try #require(try node.producer!.produce(nowMilliseconds: Node.nowMilliseconds()))
        #expect(try node.account(fresh, at: .latest).balance == 5)

        #expect { try node.withdrawalProof(withdrawal.hash) } throws: { ($0 as? RPCError)?.code == -32001 }
        try node.batcher!.step(nowMilliseconds: Node.nowMilliseconds(), force: true)
        let early = try node.withdrawalProof(withdrawal.hash)
        #expect(!early.isFinal)
        #expect(throws: (any Error).self) {
            try node.bridge.claimWithdrawal(batch: early.batchIndex, message: early.message, proof: early.proof)
        }
        try #require(node.attestor).step()
        let proof = try node.withdrawalProof(withdrawal.hash)
        #expect(proof.isFinal)
        var tampered = proof.proof
        tampered[tampered.count - 1] ^= 1
        #expect(throws: (any Error).self) {
            try node.bridge.claimWithdrawal(batch: proof.batchIndex, message: proof.message, proof: tampered)
        }
        try node.bridge.claimWithdrawal(batch: proof.batchIndex, message: proof.message, proof: proof.proof)
        #expect(throws: (any Error).self) {
            try node.bridge.claimWithdrawal(batch: proof.batchIndex, message: proof.message, proof: proof.proof)
        }
    }

    @Test func aRestartResumesTheChainAndTheMempool() async throws {
        let fixture = try NodeFixture(label: "restart")
        let gap = try NodeFixture.transfer(key: NodeFixture.key0, nonce: 1, to: NodeFixture.account1, value: 2)
        do {
            let node = try fixture.open()
            defer { node.close() }
            let first = try NodeFixture.transfer(key: NodeFixture.key0, nonce: 0, to: NodeFixture.account1, value: 1)
            _ = try await node.submit(raw: first.raw)
            _ = try #require(try node.producer!.produce(nowMilliseconds: Node.nowMilliseconds()))
            let skip = try NodeFixture.transfer(key: NodeFixture.key0, nonce: 2, to: NodeFixture.account1, value: 3)
            _ = try await node.submit(raw: skip.raw)
            #expect(try node.producer!.produce(nowMilliseconds: Node.nowMilliseconds()) == nil)
        }
        let node = try fixture.open()
        defer { node.close() }
        #expect(node.headNumber() == 1)
        #expect(node.mempool.count == 1)
        _ = try await node.submit(raw: gap.raw)
        let produced = try #require(try node.producer!.produce(nowMilliseconds: Node.nowMilliseconds()))
        #expect(produced.transactions == 2)
        #expect(try node.account(NodeFixture.account0, at: .latest).nonce == 3)
    }
}
