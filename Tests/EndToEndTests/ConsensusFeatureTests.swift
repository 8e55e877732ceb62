import Foundation
import KeelCore
import KeelJSONRPC
import KeelPluginTesting
import Testing

/// Consensus features at their activation height, against a real `keel up` and a `keel follow`:
/// `gas-limit-x2` (decided by the kernel) doubles the block gas limit, `eip-7623` (decided inside the
/// transfer plugin through the host's flag service) raises a data-heavy transfer's gas to the
/// calldata floor. Blocks are made only when there is work, so the test controls the heights.
@Suite struct ConsensusFeatureTests {
    static let activation: UInt64 = 4
    static let gasLimit: UInt64 = 30_000_000

    @Test func bothFeaturesStartAtTheirHeightAndAFollowerAgrees() async throws {
        let rollup = try NodeRollup(label: "consensus", features: """
              gas-limit-x2: { activate_at_height: \(Self.activation) }
              eip-7623: { activate_at_height: \(Self.activation) }
            """)
        defer { rollup.remove() }
        let session = try NodeSession(rollup)
        defer { session.stop() }
        let sender = try NodeAccount.named("fees-sender"), recipient = try NodeAccount.named("fees-recipient")
        let data = [UInt8](repeating: 0xAB, count: 100)   // intrinsic 22,600; EIP-7623 floor 25,000
        var nonce: UInt64 = 0
        func send(data: [UInt8] = []) async throws -> JSONValue {
            let hash = try await session.send(try sender.transfer(nonce: nonce, to: recipient.address, value: 1, gas: 40_000, data: data))
            nonce += 1
            return try await session.receipt(hash)
        }

        let early = try await send(data: data)
        let earlyBlock = try early["blockNumber"]?.decodeQuantity() ?? 0
        try #require(earlyBlock < Self.activation, "the first transfer landed in block \(earlyBlock)")
        #expect(try early["gasUsed"]?.decodeQuantity() == 22_600)
        #expect(try await session.block(earlyBlock)["gasLimit"]?.decodeQuantity() == Self.gasLimit)

        while try await session.blockNumber() < Self.activation - 1 { _ = try await send() }
        let call: JSONValue = .object(["from": .string(sender.address.description), "to": .string(recipient.address.description),
                                       "data": .data(data)])
        #expect(try await session.client.call("eth_estimateGas", [call]).decodeQuantity() == 25_000,
                "eth_estimateGas for the next block, the first with eip-7623")

        let late = try await send(data: data)
        let lateBlock = try late["blockNumber"]?.decodeQuantity() ?? 0
        #expect(lateBlock >= Self.activation)
        #expect(try late["gasUsed"]?.decodeQuantity() == 25_000)
        #expect(try await session.block(lateBlock)["gasLimit"]?.decodeQuantity() == 2 * Self.gasLimit)
        #expect(try await session.block(Self.activation - 1)["gasLimit"]?.decodeQuantity() == Self.gasLimit)

        // The chain settles, and a follower with the same manifest replays every block, checking the
        // gas limit of each header against the same flags.
        let height = try await session.blockNumber()
        try await session.waitFor("every block in a posted batch", within: 30) { () async throws -> Bool? in
            let status = try await session.client.call("keel_status")
            let last = status["lastBatchedBlock"] == .null ? 0 : try status["lastBatchedBlock"]?.decodeQuantity() ?? 0
            return last >= height ? true : nil
        }
        try await DALayerChecks.followerAgrees(manifest: rollup.manifestPath, folder: rollup.folder, node: session.client, height: height)
    }

    /// A consensus flag rescheduled at runtime through the admin API is recorded on the settlement
    /// layer: a follower with the unchanged manifest (which says height 1000) applies it too.
    @Test func aFlagScheduledAtRuntimeReachesTheFollower() async throws {
        let rollup = try NodeRollup(label: "runtime-flag", features: "  gas-limit-x2: { activate_at_height: 1000 }",
                                    nodeExtra: "  upgrade_min_lead: 2")
        defer { rollup.remove() }
        let session = try NodeSession(rollup)
        defer { session.stop() }
        let admin = try KeelProcess.adminClient(url: session.url, dataDirectory: rollup.dataDirectory)
        defer { admin.shutdown() }
        let sender = try NodeAccount.named("fees-sender"), recipient = try NodeAccount.named("fees-recipient")
        var nonce: UInt64 = 0
        func send() async throws -> UInt64 {
            let hash = try await session.send(try sender.transfer(nonce: nonce, to: recipient.address, value: 1))
            nonce += 1
            return try await session.receipt(hash)["blockNumber"]?.decodeQuantity() ?? 0
        }
        _ = try await send()
        let head = try await session.blockNumber()
        _ = try await admin.call("admin_setFlag", [.object(["name": "gas-limit-x2", "activate_at_height": .quantity(head + 2)])])
        while try await send() < head + 3 {}
        #expect(try await session.block(head + 1)["gasLimit"]?.decodeQuantity() == Self.gasLimit)
        #expect(try await session.block(head + 2)["gasLimit"]?.decodeQuantity() == 2 * Self.gasLimit)

        let height = try await session.blockNumber()
        try await session.waitFor("every block in a posted batch", within: 30) { () async throws -> Bool? in
            let status = try await session.client.call("keel_status")
            let last = status["lastBatchedBlock"] == .null ? 0 : try status["lastBatchedBlock"]?.decodeQuantity() ?? 0
            return last >= height ? true : nil
        }
        try await DALayerChecks.followerAgrees(manifest: rollup.manifestPath, folder: rollup.folder, node: session.client, height: height)
    }
}
