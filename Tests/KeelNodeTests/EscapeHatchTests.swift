import Foundation
import KeelCore
import KeelKernel
import KeelState
import Testing
@testable import KeelNode

/// Forced withdrawals and the escape hatch (docs/FAULT_PROOFS.md, §6) on an optimistic node with
/// the real transfer plugin and the embedded L1: what the L1 pays, once, and what it refuses.
@Suite struct EscapeHatchTests {
    static let forceInclusion: UInt64 = 60

    struct Frozen {
        let fixture: NodeFixture
        let node: Node
        let user: DisputePlayer

        init(label: String, bridgeExtra: String = "") throws {
            fixture = try NodeFixture(label: label, bridgeExtra: bridgeExtra, optimistic: true)
            node = try FaultProposerTests.open(fixture)
            user = DisputePlayer(bridge: node.bridge, chainID: 901, signer: .key(try PrivateKey(hex: NodeFixture.key1), chainID: 901))
        }

        func call(_ method: String, _ fields: [String: Any] = [:], signed: Bool = false) throws -> [String: Any] {
            try user.call(method, fields, signed: signed)
        }

        /// One block with `transactions`, batched and posted with its trace.
        func postBlock(_ transactions: [SignedTransaction]) async throws -> UInt64 {
            for tx in transactions { _ = try await node.submit(raw: tx.raw) }
            _ = try #require(try node.producer!.produce(nowMilliseconds: Node.nowMilliseconds()))
            try node.batcher!.step(nowMilliseconds: Node.nowMilliseconds(), force: true)
            return try #require(try node.chain.lastBatch()).index
        }

        /// The account's state value and proof in the state after block `number`.
        func accountProof(_ address: Address, atBlock number: UInt64) throws -> (value: [UInt8], proof: [UInt8]) {
            let key = [0x01] + address.bytes
            let value = try #require(try node.chain.state.value(for: key, at: number))
            return (value, try node.chain.state.proof(for: key, at: number).encoded())
        }

        func balance(_ address: Address) throws -> UInt128 {
            UInt128(try call("ledger.balance", ["account": address.description])["balance"] as? String ?? "") ?? 0
        }

        /// Every pool and account sums to what was minted.
        func checkLedger() throws {
            let totals = try call("ledger.totals").compactMapValues { ($0 as? String).flatMap { UInt128($0) } }
            #expect(totals["users", default: 0] + totals["escrow", default: 0] + totals["bonds", default: 0] + totals["burned", default: 0]
                    == totals["minted", default: 0])
        }
    }

    @Test func theHatchFiresAtExactlyTForceAndThenNoBatchIsAccepted() async throws {
        let frozen = try Frozen(label: "escape-tforce")
        defer { frozen.node.close() }
        let batch = try await frozen.postBlock([try NodeFixture.transfer(key: NodeFixture.key1, nonce: 0, to: NodeFixture.account0, value: 1)])
        try frozen.node.bridge.devAdvance(blocks: 20)
        #expect(try FaultProposerTests.status(frozen.node, batch) == "final")
        // A deposit the sequencer never includes.
        _ = try frozen.node.bridge.devDeposit(from: NodeFixture.account1.bytes, to: NodeFixture.account1.bytes, amount: 3)
        try frozen.node.bridge.devAdvance(blocks: Self.forceInclusion - 1)
        #expect(throws: (any Error).self) { try frozen.call("escape.trigger") }
        #expect(try frozen.call("escape.status")["may_fire"] == nil)
        try frozen.node.bridge.devAdvance(blocks: 1)
        let fired = try frozen.call("escape.trigger")
        #expect(fired["final_batches"] as? Int == 1)
        #expect(throws: (any Error).self) { try frozen.call("escape.trigger") }
        // No batch, deposit or game is accepted any more.
        await #expect(throws: (any Error).self) {
            _ = try await frozen.postBlock([try NodeFixture.transfer(key: NodeFixture.key1, nonce: 1, to: NodeFixture.account0, value: 1)])
        }
        #expect(try frozen.node.bridge.batchCount().count == 1, "the proposer's next batch was refused")
        #expect(throws: (any Error).self) { _ = try frozen.node.bridge.devDeposit(from: NodeFixture.account1.bytes, to: NodeFixture.account1.bytes, amount: 3) }
        // The unconsumed deposit goes back to its sender, once.
        let before = try frozen.balance(NodeFixture.account1)
        #expect(try frozen.call("escape.refund", ["deposit": 0])["paid"] as? String == "3")
        #expect(try frozen.balance(NodeFixture.account1) == before + 3)
        #expect(throws: (any Error).self) { try frozen.call("escape.refund", ["deposit": 0]) }
        try frozen.checkLedger()
    }

    @Test func everyUserExitsItsFrozenBalanceOnceAndAClaimedWithdrawalIsNotPaidTwice() async throws {
        // A long window keeps batch 1 pending while the hatch's no-finality limit runs out.
        let frozen = try Frozen(label: "escape-exit", bridgeExtra: "fault: { challenge_window: 200 }")
        defer { frozen.node.close() }
        // Batch 0: account 1 withdraws 7 wei and sends 11 to account 0; it becomes final.
        let withdrawal = try NodeFixture.transfer(key: NodeFixture.key1, nonce: 0, to: NodeFixture.bridgeAddress, value: 7)
        let first = try await frozen.postBlock([withdrawal, try NodeFixture.transfer(key: NodeFixture.key1, nonce: 1, to: NodeFixture.account0, value: 11)])
        try frozen.node.bridge.devAdvance(blocks: 200)
        let claimed = try frozen.node.withdrawalProof(withdrawal.hash)
        try frozen.node.bridge.claimWithdrawal(batch: claimed.batchIndex, message: claimed.message, proof: claimed.proof)
        // Batch 1 (never final): account 1 withdraws again.
        let late = try NodeFixture.transfer(key: NodeFixture.key1, nonce: 2, to: NodeFixture.bridgeAddress, value: 13)
        _ = try await frozen.postBlock([late])
        // The operator stops; T_dead after batch 0 became final the hatch may fire, at batch 0's root.
        try frozen.node.bridge.devAdvance(blocks: 119)
        #expect(throws: (any Error).self) { try frozen.call("escape.trigger") }
        try frozen.node.bridge.devAdvance(blocks: 1)
        let fired = try frozen.call("escape.trigger")
        let lastFinalBlock = try frozen.node.bridge.batch(first).lastBlock
        #expect(fired["frozen_root"] as? String == Hash32(bytes: try frozen.node.bridge.batch(first).root)?.description)
        // The late withdrawal's batch never became final: its claim is refused.
        let lateProof = try frozen.node.withdrawalProof(late.hash)
        #expect(throws: (any Error).self) { try frozen.node.bridge.claimWithdrawal(batch: lateProof.batchIndex, message: lateProof.message, proof: lateProof.proof) }
        // Account 1 exits what the frozen root holds (after its first withdrawal), once.
        let (value, proof) = try frozen.accountProof(NodeFixture.account1, atBlock: lastFinalBlock)
        let frozenBalance = try LocalBalance.of(value)
        let before = try frozen.balance(NodeFixture.account1)
        let exit = try frozen.call("escape.exit", ["account": NodeFixture.account1.description, "value": Hex.encode(value), "proof": Hex.encode(proof)])
        #expect(exit["paid"] as? String == "\(frozenBalance)")
        #expect(try frozen.balance(NodeFixture.account1) == before + frozenBalance)
        #expect(throws: (any Error).self) {
            try frozen.call("escape.exit", ["account": NodeFixture.account1.description, "value": Hex.encode(value), "proof": Hex.encode(proof)])
        }
        // A made-up balance does not prove.
        var inflated = value
        inflated[inflated.count - 1] ^= 1
        #expect(throws: (any Error).self) {
            try frozen.call("escape.exit", ["account": NodeFixture.account0.description, "value": Hex.encode(inflated), "proof": Hex.encode(proof)])
        }
        try frozen.checkLedger()
    }

    @Test func aForcedWithdrawalIsIncludedWithoutTheSequencersConsentAndPaid() async throws {
        let frozen = try Frozen(label: "escape-forced")
        defer { frozen.node.close() }
        let queued = try frozen.call("forced.request", ["amount": "5"], signed: true)
        let index = try #require((queued["index"] as? NSNumber)?.uint64Value)
        let l2Before = try frozen.node.account(NodeFixture.account1, at: .latest).balance
        let batch = try await frozen.postBlock([])
        #expect(try frozen.node.account(NodeFixture.account1, at: .latest).balance == l2Before - 5)
        // Its L2 transaction is the deposit carrying the request; its withdrawal is claimed once final.
        let deposit = try #require(try frozen.node.bridge.deposits(from: index, limit: 1).first)
        let hash = DepositTransaction(depositIndex: deposit.index, l1Block: deposit.l1Block, from: NodeFixture.account1,
                                      to: NodeFixture.bridgeAddress, amount: 5).hash
        try frozen.node.bridge.devAdvance(blocks: 20)
        #expect(try FaultProposerTests.status(frozen.node, batch) == "final")
        let proof = try frozen.node.withdrawalProof(hash)
        let before = try frozen.balance(NodeFixture.account1)
        try frozen.node.bridge.claimWithdrawal(batch: proof.batchIndex, message: proof.message, proof: proof.proof)
        #expect(try frozen.balance(NodeFixture.account1) == before + 5)
        try frozen.checkLedger()
    }

    @Test func underAttestationTheAttestedDepositCountFiresTheHatchAndRefunds() async throws {
        let fixture = try NodeFixture(label: "escape-attested")
        let node = try fixture.open()
        defer { node.close() }
        _ = try node.bridge.devDeposit(from: NodeFixture.account1.bytes, to: NodeFixture.account1.bytes, amount: 4)
        _ = try #require(try node.producer!.produce(nowMilliseconds: Node.nowMilliseconds()))
        try node.batcher!.step(nowMilliseconds: Node.nowMilliseconds(), force: true)
        try #require(node.attestor).step()
        let call = { (method: String, fields: [String: Any]) in
            try SettlementCall.response(try node.bridge.call(try SettlementCall.request(body: fields.merging(["method": method]) { $1 }, chainID: 901)))
        }
        #expect(try call("batch.status", ["index": 0])["deposit_count"] as? Int == 1, "the attestor signed the deposit it replayed")
        // A second deposit the sequencer never includes: the hatch fires at exactly T_force.
        _ = try node.bridge.devDeposit(from: NodeFixture.account1.bytes, to: NodeFixture.account1.bytes, amount: 6)
        try node.bridge.devAdvance(blocks: Self.forceInclusion - 1)
        #expect(throws: (any Error).self) { _ = try call("escape.trigger", [:]) }
        try node.bridge.devAdvance(blocks: 1)
        _ = try call("escape.trigger", [:])
        #expect(throws: (any Error).self) { _ = try call("escape.refund", ["deposit": 0]) }
        #expect(try call("escape.refund", ["deposit": 1])["paid"] as? String == "6")
    }
}

/// The balance in a transfer account's state value, `rlp([nonce, balance])`.
enum LocalBalance {
    static func of(_ value: [UInt8]) throws -> UInt128 {
        var reader = try RLPReader(value)
        var list = try reader.readList()
        _ = try list.readUInt64()
        return try list.readUInt128()
    }
}
