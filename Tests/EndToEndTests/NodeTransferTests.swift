import Foundation
import KeelCore
import KeelJSONRPC
import Testing

extension NodeSharedRollupTests {
    /// Transfers between development accounts over JSON-RPC, checked to the wei with the numbers a
    /// wallet shows: the receipts' `gasUsed` and `effectiveGasPrice`, the block's `baseFeePerGas`.
    @Suite struct Transfers {
        /// What a receipt and its block say about one included transaction.
        struct Inclusion {
            let block: UInt64
            let gasUsed: UInt128
            let effectiveGasPrice: UInt128
            let baseFee: UInt128
            var fee: UInt128 { gasUsed * effectiveGasPrice }
        }

        static func inclusion(_ hash: Hash32, on node: NodeSession) async throws -> Inclusion {
            let receipt = try await node.receipt(hash)
            #expect(receipt["status"] == "0x1", "transfer \(hash) failed: \(receipt)")
            let number = try #require(try receipt["blockNumber"]?.decodeQuantity())
            let block = try await node.block(number)
            return Inclusion(block: number, gasUsed: UInt128(try #require(try receipt["gasUsed"]?.decodeQuantity())),
                             effectiveGasPrice: try #require(try receipt["effectiveGasPrice"]?.decodeQuantity128()),
                             baseFee: try #require(try block["baseFeePerGas"]?.decodeQuantity128()))
        }

        @Test func sendersPayGasUsedTimesPriceAndValueRecipientsGetValueTheSequencerGetsTheTips() async throws {
            let node = try NodeSession.current()
            let sender = try NodeAccount.named("fees-sender")
            let legacySender = try NodeAccount.named("fees-legacy-sender")
            let recipient = try NodeAccount.named("fees-recipient")
            let sequencer = try NodeAccount.sequencer()
            #expect(try await node.balance(recipient.address) == NodeRollup.genesisBalance)

            // EIP-1559 with an odd tip; legacy (EIP-155) at a flat price; EIP-2930 with call data and
            // an access list, whose gas limit is above what it uses (the sender pays gas used).
            let tip: UInt128 = 1_234_567_891
            let dynamic = try sender.transfer(nonce: 0, to: recipient.address, value: 3 * NodeRollup.ether + 17, tip: tip)
            let legacy = try Transaction.legacy(chainId: NodeRollup.chainID, nonce: 0, gasPrice: 5_000_000_000, gasLimit: 21_000,
                                                to: recipient.address, value: 250_000_000_000_000_001).signed(with: legacySender.key)
            let accessList = [AccessListEntry(address: sequencer.address, storageKeys: [.zero])]
            let typed = try Transaction.accessList(chainId: NodeRollup.chainID, nonce: 1, gasPrice: 4_000_000_000, gasLimit: 40_000,
                                                   to: recipient.address, value: 9, data: [0x01, 0x00, 0x02],
                                                   accessList: accessList).signed(with: legacySender.key)
            for signed in [dynamic, legacy, typed] { try await node.send(signed) }

            let inDynamic = try await Self.inclusion(dynamic.hash, on: node)
            let inLegacy = try await Self.inclusion(legacy.hash, on: node)
            let inTyped = try await Self.inclusion(typed.hash, on: node)
            #expect(inDynamic.gasUsed == 21_000 && inLegacy.gasUsed == 21_000)
            // 21,000 + 16 + 4 + 16 (call data) + 2,400 (address) + 1,900 (storage key).
            #expect(inTyped.gasUsed == 25_336)
            #expect(inDynamic.effectiveGasPrice == inDynamic.baseFee + tip)
            #expect(inLegacy.effectiveGasPrice == 5_000_000_000)
            #expect(inTyped.effectiveGasPrice == 4_000_000_000)

            #expect(try await node.balance(sender.address)
                    == NodeRollup.genesisBalance - inDynamic.fee - (3 * NodeRollup.ether + 17))
            #expect(try await node.balance(legacySender.address)
                    == NodeRollup.genesisBalance - inLegacy.fee - inTyped.fee - 250_000_000_000_000_001 - 9)
            #expect(try await node.balance(recipient.address)
                    == NodeRollup.genesisBalance + 3 * NodeRollup.ether + 17 + 250_000_000_000_000_001 + 9)
            #expect(try await node.nonce(legacySender.address) == 2)

            // The sequencer (dev account 0) is every block's fee recipient: in each block, it gains
            // gas used × tip of every transaction there (other tests' too); the base fee is burned.
            for number in Set([inDynamic.block, inLegacy.block, inTyped.block]).sorted() {
                let block = try await node.block(number)
                #expect(try block["miner"]?.decodeAddress() == sequencer.address)
                let baseFee = try #require(try block["baseFeePerGas"]?.decodeQuantity128())
                var tips: UInt128 = 0
                for transaction in try #require(block["transactions"]?.arrayValue) {
                    let receipt = try await node.receipt(try #require(try transaction["hash"]?.decodeHash()))
                    let gasUsed = UInt128(try #require(try receipt["gasUsed"]?.decodeQuantity()))
                    guard gasUsed > 0 else { continue }  // a deposit pays no gas
                    tips += gasUsed * (try #require(try receipt["effectiveGasPrice"]?.decodeQuantity128()) - baseFee)
                }
                #expect(tips > 0, "block \(number) holds this test's transfers, which pay tips")
                let before = try await node.balance(sequencer.address, at: .quantity(number - 1))
                let after = try await node.balance(sequencer.address, at: .quantity(number))
                #expect(after - before == tips, "block \(number): the sequencer got \(after - before) wei, the tips are \(tips)")
            }
        }

        @Test func aNonceGapIsHeldUntilFilledThenBothAreIncludedInOrder() async throws {
            let node = try NodeSession.current()
            let sender = try NodeAccount.named("gap-sender")
            let probe = try NodeAccount.named("gap-probe")
            let recipient = try NodeAccount.named("replace-recipient").address
            let second = try sender.transfer(nonce: 1, to: recipient, value: 2)
            try await node.send(second)
            #expect(try await node.nonce(sender.address, at: "pending") == 0, "nonce 1 without nonce 0 is not executable")

            // A block built after it arrived leaves it out.
            let sentAt = try await node.blockNumber()
            let probeHash = try await node.send(try probe.transfer(nonce: 0, to: recipient, value: 1))
            let probeBlock = try #require(try await node.receipt(probeHash)["blockNumber"]?.decodeQuantity())
            #expect(probeBlock > sentAt)
            #expect(try await node.hasNoReceipt(second.hash))
            let pending = try await node.client.call("eth_getTransactionByHash", [.hash(second.hash)])
            #expect(pending["blockNumber"] == .null && pending["nonce"] == "0x1", "\(pending)")

            let first = try sender.transfer(nonce: 0, to: recipient, value: 1)
            try await node.send(first)
            #expect(try await node.nonce(sender.address, at: "pending") == 2)
            let firstReceipt = try await node.receipt(first.hash)
            let secondReceipt = try await node.receipt(second.hash)
            let order = { (receipt: JSONValue) throws -> [UInt64] in
                [try #require(try receipt["blockNumber"]?.decodeQuantity()), try #require(try receipt["transactionIndex"]?.decodeQuantity())]
            }
            #expect(try order(firstReceipt).lexicographicallyPrecedes(try order(secondReceipt)))
            #expect(try await node.nonce(sender.address) == 2)
            #expect(try await node.nonce(sender.address, at: "pending") == 2)
        }

        @Test func aReplacementNeedsTenPercentMoreOfBothFees() async throws {
            let node = try NodeSession.current()
            let sender = try NodeAccount.named("replace-sender")
            let recipient = try NodeAccount.named("replace-recipient").address
            // Nonce 1 while 0 is missing: it stays pending while it is replaced.
            let original = try sender.transfer(nonce: 1, to: recipient, value: 100, tip: 1_000_000_000, maxFee: 10_000_000_000)
            try await node.send(original)

            for (tip, maxFee): (UInt128, UInt128) in [(1_099_999_999, 11_000_000_000), (1_100_000_000, 10_999_999_999), (1_000_000_000, 20_000_000_000)] {
                let cheap = try sender.transfer(nonce: 1, to: recipient, value: 200, tip: tip, maxFee: maxFee)
                let refusal = try await node.refusal(cheap.raw)
                #expect(refusal.code == -32000)
                #expect(refusal.message.hasPrefix("replacement transaction underpriced"), "\(refusal.message)")
                #expect(refusal.message.contains("a max fee of at least 11000000000 and a priority fee of at least 1100000000"), "\(refusal.message)")
                #expect(try await node.client.call("eth_getTransactionByHash", [.hash(cheap.hash)]) == .null)
            }

            let replacement = try sender.transfer(nonce: 1, to: recipient, value: 300, tip: 1_100_000_000, maxFee: 11_000_000_000)
            try await node.send(replacement)
            #expect(try await node.client.call("eth_getTransactionByHash", [.hash(original.hash)]) == .null)

            try await node.send(try sender.transfer(nonce: 0, to: recipient, value: 1))
            let receipt = try await node.receipt(replacement.hash)
            #expect(receipt["status"] == "0x1", "\(receipt)")
            #expect(try await node.hasNoReceipt(original.hash))
            #expect(try await node.client.call("eth_getTransactionByHash", [.hash(original.hash)]) == .null)
            #expect(try await node.nonce(sender.address) == 2)
        }
    }
}
