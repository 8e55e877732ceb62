import Foundation
import KeelCore
import KeelJSONRPC
import KeelKernel
import Testing

extension NodeSharedRollupTests {
    /// Deposits and withdrawals between the running node and its embedded L1, the way a user
    /// makes them: `keel l1 deposit`, `keel withdraw`, `keel claim`.
    @Suite struct Bridge {
        @Test func aDepositIsCreditedOnL2ToTheWei() async throws {
            let node = try NodeSession.current()
            let recipient = try NodeAccount.named("deposit-recipient").address
            let before = try await node.balance(recipient)
            let deposit = try KeelProcess.keel(["l1", "deposit", "--to", "\(recipient)", "--value", "1eth", "--manifest", node.rollup.manifestPath])
            #expect(deposit.status == 0, "\(deposit.transcript)")
            #expect(deposit.output.contains("1000000000000000000 wei (1 ETH) from \(recipient) (L1) to \(recipient) (L2)"), "\(deposit.transcript)")
            let after = try await node.waitFor("the deposit's credit") { () async throws -> UInt128? in
                let balance = try await node.balance(recipient)
                return balance == before ? nil : balance
            }
            #expect(after == before + NodeRollup.ether)

            // In the block that credited it, the deposit is a 0x7e transaction as op-geth shows one.
            var number = try await node.blockNumber()
            while try await node.balance(recipient, at: .quantity(number - 1)) != before { number -= 1 }
            let block = try await node.block(number)
            let shown = try #require(block["transactions"]?.arrayValue?.first { $0["type"] == "0x7e" && $0["to"] == .address(recipient) },
                                     "no deposit to \(recipient) in block \(number): \(block)")
            #expect(shown["mint"] == .quantity(NodeRollup.ether) && shown["value"] == .quantity(NodeRollup.ether))
            #expect(shown["from"] == .address(recipient), "the L1 sender defaults to the recipient")
            let receipt = try await node.receipt(try #require(try shown["hash"]?.decodeHash()))
            #expect(receipt["gasUsed"] == "0x0" && receipt["status"] == "0x1", "\(receipt)")
        }

        @Test func aWithdrawalIsClaimedOnL1OnceWithItsProof() async throws {
            let node = try NodeSession.current()
            let withdrawer = try NodeAccount.named("withdrawer")
            let keyFile = try node.rollup.keyFile(for: withdrawer)
            let sent = try node.keel(["withdraw", "--key-file", keyFile, "--value", "2eth"])
            #expect(sent.status == 0, "\(sent.transcript)")
            let hash = try sent.hash(after: "sent withdrawal ")
            #expect(sent.output.contains("to:        \(withdrawer.address) (L1)"), "\(sent.transcript)")
            #expect(sent.output.contains("keel claim \(hash)"), "\(sent.transcript)")

            // On L2 the value is gone with the fee; nobody on L2 received it.
            let receipt = try await node.receipt(hash)
            let fee = UInt128(try #require(try receipt["gasUsed"]?.decodeQuantity()))
                * (try #require(try receipt["effectiveGasPrice"]?.decodeQuantity128()))
            #expect(try await node.balance(withdrawer.address) == NodeRollup.genesisBalance - 2 * NodeRollup.ether - fee)
            #expect(try await node.balance(NodeRollup.bridgeAddress) == 0)

            let proof = try await Self.finalProof(of: hash, on: node)
            let batch = try #require(try proof["batchIndex"]?.decodeQuantity())
            let message = try #require(try proof["message"]?.decodeData())
            let path = try #require(try proof["proof"]?.decodeData())
            #expect(message.count == 65 && Array(message[1..<21]) == withdrawer.address.bytes)

            // A tampered proof or message is refused by the L1 itself (the CLI cannot send one).
            let bridge = try node.rollup.bridge()
            var tamperedPath = path
            tamperedPath[tamperedPath.count - 1] ^= 0x01
            var tamperedMessage = message
            tamperedMessage[56] ^= 0x01  // the amount's last byte
            for (label, bytes, siblings) in [("proof", message, tamperedPath), ("message", tamperedMessage, path)] {
                do throws(PluginCallError) {
                    try bridge.claimWithdrawal(batch: batch, message: bytes, proof: siblings)
                    Issue.record("a claim with a tampered \(label) was paid")
                } catch {
                    #expect(error.message.hasPrefix("the Merkle proof does not show this message as withdrawal"), "\(label): \(error)")
                }
            }

            let claim = try node.keelWithManifest(["claim", "\(hash)"])
            #expect(claim.status == 0, "\(claim.transcript)")
            #expect(claim.output.contains("claimed withdrawal \(hash) of batch \(batch) on L1"), "\(claim.transcript)")
            #expect(claim.output.contains("paid:      2000000000000000000 wei (2 ETH)"), "\(claim.transcript)")
            #expect(claim.output.contains("to:        \(withdrawer.address) (L1)"), "\(claim.transcript)")

            let again = try node.keelWithManifest(["claim", "\(hash)"])
            #expect(again.status == 1)
            #expect(again.error.contains("keel claim: the settlement layer refused withdrawal \(hash) of batch \(batch)"), "\(again.transcript)")
            #expect(again.error.contains("was already claimed (batch \(batch), "), "\(again.transcript)")
            #expect(again.error.contains("it pays once"), "\(again.transcript)")
        }

        @Test func aTransferThatIsNoWithdrawalCannotBeClaimed() async throws {
            let node = try NodeSession.current()
            let sender = try NodeAccount.named("claim-pretender")
            let transfer = try sender.transfer(nonce: 0, to: try NodeAccount.named("refusal-recipient").address, value: 1)
            _ = try await node.receipt(try await node.send(transfer))
            let claim = try node.keelWithManifest(["claim", "\(transfer.hash)"])
            #expect(claim.status == 1)
            #expect(claim.error.contains("keel claim: no withdrawal proof for \(transfer.hash) yet: "
                                         + "transaction \(transfer.hash) is not a withdrawal (it sent no L2→L1 message)"), "\(claim.transcript)")
            let unknown = Hash32(hex: "0x" + String(repeating: "12", count: 32)) ?? .zero
            let nothing = try node.keelWithManifest(["claim", "\(unknown)"])
            #expect(nothing.status == 1)
            #expect(nothing.error.contains("keel claim: no withdrawal proof for \(unknown) yet: transaction \(unknown) is not in a block (yet)"),
                    "\(nothing.transcript)")
        }

        /// Polls `keel_getWithdrawalProof` until the withdrawal's batch is final.
        static func finalProof(of hash: Hash32, on node: NodeSession) async throws -> JSONValue {
            try await node.waitFor("a final batch holding withdrawal \(hash)", within: 30) { () async throws -> JSONValue? in
                do {
                    let proof = try await node.client.call("keel_getWithdrawalProof", [.hash(hash)])
                    if proof["final"] != true { return Optional.none }
                    return proof
                } catch let error as RPCError where error.code == -32001 {
                    return Optional.none  // its block is not in a posted batch yet
                }
            }
        }
    }
}

/// A claim against a batch that is not final: the node runs with `--no-attest`, so its batches
/// are posted to the L1 and never attested.
@Suite struct NodeUnattestedClaimTests {
    @Test func aClaimBeforeFinalityIsRefusedWithWhatToWaitFor() async throws {
        let rollup = try NodeRollup(label: "unattested")
        let node = try NodeSession(rollup, extraArguments: ["--no-attest"])
        let withdrawer = try NodeAccount.named("unattested-withdrawer")
        let withdrawal = try withdrawer.transfer(nonce: 0, to: NodeRollup.bridgeAddress, value: 5 * NodeRollup.ether)
        try await node.send(withdrawal)
        _ = try await node.receipt(withdrawal.hash)
        let proof = try await node.waitFor("a posted batch holding the withdrawal") { () async throws -> JSONValue? in
            do {
                return try await node.client.call("keel_getWithdrawalProof", [.hash(withdrawal.hash)])
            } catch let error as RPCError where error.code == -32001 {
                return Optional.none
            }
        }
        #expect(proof["final"] == false)
        let batch = try #require(try proof["batchIndex"]?.decodeQuantity())

        let claim = try node.keelWithManifest(["claim", "\(withdrawal.hash)"])
        #expect(claim.status == 1)
        #expect(claim.error.contains("keel claim: the settlement layer refused withdrawal \(withdrawal.hash) of batch \(batch): "
                                     + "batch \(batch) is not final (it has 0 of the 1 attestations it needs)"), "\(claim.transcript)")
        #expect(claim.error.contains("wait until batch \(batch) is final"), "\(claim.transcript)")

        let status = try node.keel(["status"])
        #expect(status.output.contains("batches final:       0\n"), "\(status.transcript)")
        #expect(node.stop() == 0, "\(node.log)")
        rollup.remove()
    }
}
