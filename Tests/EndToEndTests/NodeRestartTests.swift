import Foundation
import KeelCore
import KeelJSONRPC
import Testing

/// SIGTERM, SIGINT and restart of a real `keel up`: the node exits 0 saying it stopped cleanly, and a new
/// process on the same data directory goes on from the same head, balances and mempool.
@Suite struct NodeRestartTests {
    @Test func sigtermStopsCleanlyAndARestartResumes() async throws {
        let rollup = try NodeRollup(label: "restart")
        let sender = try NodeAccount.named("restart-sender")
        let recipient = try NodeAccount.named("restart-recipient").address
        let first = try sender.transfer(nonce: 0, to: recipient, value: 1_000)
        let held = try sender.transfer(nonce: 2, to: recipient, value: 3_000)  // waits for nonce 1

        let node = try NodeSession(rollup, log: "first.log")
        try await node.send(first)
        let included = try await node.receipt(first.hash)
        let fee = UInt128(try #require(try included["gasUsed"]?.decodeQuantity()))
            * (try #require(try included["effectiveGasPrice"]?.decodeQuantity128()))
        try await node.send(held)
        // Wait for a posted batch, so that the stop interrupts no half-finished pipeline by chance only.
        _ = try await node.waitFor("a posted batch") { () async throws -> Bool? in
            let posted = try await node.client.call("keel_status")["batchCount"]
            return posted == "0x0" ? Bool?.none : true
        }
        let height = try await node.blockNumber()
        let senderBalance = try await node.balance(sender.address)
        #expect(senderBalance == NodeRollup.genesisBalance - 1_000 - fee)

        let status = node.stop()
        let log = try String(contentsOfFile: rollup.folder + "/first.log", encoding: .utf8)
        #expect(status == 0, "\(log)")
        #expect(log.contains("keel: stopped cleanly at block "), "\(log)")
        let stoppedAt = log.split(separator: "\n").last { $0.hasPrefix("keel: stopped cleanly at block ") }
            .flatMap { UInt64($0.split(separator: " ").last ?? "") }
        #expect(try #require(stoppedAt) >= height)

        let restarted = try NodeSession(rollup, log: "second.log")
        #expect(try await restarted.blockNumber() >= height)
        #expect(try await restarted.balance(sender.address) == senderBalance)
        #expect(try await restarted.balance(recipient) == NodeRollup.genesisBalance + 1_000)
        #expect(try await restarted.receipt(first.hash)["blockNumber"] == included["blockNumber"])
        let pending = try await restarted.client.call("eth_getTransactionByHash", [.hash(held.hash)])
        #expect(try pending["hash"]?.decodeHash() == held.hash, "the transaction pending at the stop is gone: \(pending)")
        #expect(pending["blockNumber"] == .null)

        let filler = try sender.transfer(nonce: 1, to: recipient, value: 2_000)
        try await restarted.send(filler)
        let last = try await restarted.receipt(held.hash)
        #expect(last["status"] == "0x1")
        #expect(try await restarted.nonce(sender.address) == 3)
        #expect(try await restarted.balance(recipient) == NodeRollup.genesisBalance + 6_000)

        // Ctrl-C stops it as cleanly as SIGTERM.
        #expect(restarted.interrupt() == 0, "\(restarted.log)")
        let secondLog = try String(contentsOfFile: rollup.folder + "/second.log", encoding: .utf8)
        #expect(secondLog.contains("keel: stopped cleanly at block "), "\(secondLog)")
        rollup.remove()
    }
}
