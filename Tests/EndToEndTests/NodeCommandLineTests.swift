import Foundation
import KeelCore
import KeelJSONRPC
import Testing

extension NodeSharedRollupTests {
    /// `keel status`, `keel balance` and `keel tx send` against the running node, read as a user reads them.
    @Suite struct Commands {
        @Test func statusShowsTheChain() async throws {
            let node = try NodeSession.current()
            let status = try node.keel(["status"])
            #expect(status.status == 0, "\(status.transcript)")
            #expect(status.output.hasPrefix("node at \(node.url)\n"), "\(status.transcript)")
            #expect(status.output.contains("  chain id:            901\n"), "\(status.transcript)")
            #expect(status.output.contains("  mode:                attested\n"), "\(status.transcript)")
            #expect(status.output.contains("  DA provider:         sqlite\n"), "\(status.transcript)")
            #expect(status.output.contains("  height:              "), "\(status.transcript)")

            let json = try node.keel(["status", "--json"])
            #expect(json.status == 0, "\(json.transcript)")
            let parsed = try JSONParser.parse(json.output)
            #expect(parsed["chainId"] == "0x385")
            #expect(try #require(try parsed["height"]?.decodeQuantity()) <= (try await node.blockNumber()))
        }

        @Test func balanceAndTxSendMoveExactAmounts() async throws {
            let node = try NodeSession.current()
            let sender = try NodeAccount.named("cli-sender")
            let recipient = try NodeAccount.named("cli-recipient")
            let balance = try node.keel(["balance", "\(recipient.address)"])
            #expect(balance.status == 0, "\(balance.transcript)")
            #expect(balance.output == "\(recipient.address): 10000000000000000000000 wei (10000 ETH)\n", "\(balance.transcript)")

            let keyFile = try node.rollup.keyFile(for: sender)
            let sent = try node.keel(["tx", "send", "--key-file", keyFile, "--to", "\(recipient.address)", "--value", "1.5eth"])
            #expect(sent.status == 0, "\(sent.transcript)")
            let hash = try sent.hash(after: "sent ")
            #expect(sent.output.contains("from:      \(sender.address)\n"), "\(sent.transcript)")
            #expect(sent.output.contains("value:     1500000000000000000 wei (1.5 ETH)\n"), "\(sent.transcript)")
            #expect(sent.output.contains("nonce:     0\n") && sent.output.contains("status:    success\n"), "\(sent.transcript)")
            #expect(sent.output.contains("gas used:  21000\n"), "\(sent.transcript)")

            // The fee it printed is the receipt's gas used × effective gas price, and what the sender lost.
            let receipt = try await node.receipt(hash)
            let fee = UInt128(try #require(try receipt["gasUsed"]?.decodeQuantity()))
                * (try #require(try receipt["effectiveGasPrice"]?.decodeQuantity128()))
            #expect(sent.output.contains("fee paid:  \(fee) wei ("), "\(sent.transcript)")
            #expect(try await node.balance(sender.address) == NodeRollup.genesisBalance - 1_500_000_000_000_000_000 - fee)
            let after = try node.keel(["balance", "\(recipient.address)"])
            #expect(after.output == "\(recipient.address): 10001500000000000000000 wei (10001.5 ETH)\n", "\(after.transcript)")
        }

        @Test func aKeyFileOthersCanReadIsRefused() async throws {
            let node = try NodeSession.current()
            let owner = try NodeAccount.named("cli-loose-key")
            let keyFile = try node.rollup.keyFile(for: owner, mode: 0o644)
            let sent = try node.keel(["tx", "send", "--key-file", keyFile, "--to", "\(owner.address)", "--value", "1wei"])
            #expect(sent.status == 1)
            #expect(sent.error.contains("chmod 600"), "\(sent.transcript)")
            #expect(try await node.nonce(owner.address, at: "pending") == 0)
        }
    }
}
