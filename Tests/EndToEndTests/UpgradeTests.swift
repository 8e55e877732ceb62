import Foundation
import KeelCore
import KeelJSONRPC
import KeelKernel
import KeelPluginTesting
import Testing

/// Upgrades that act (docs/NODE.md, "Plugins per height"), against real `keel up` and `keel follow`
/// processes. The manifest switches the sequencer's key at block 3, the execution plugin to version
/// 1.1.0 with a 3 gwei base-fee floor at block 5, and the proof plugin to another attestor key at
/// block 7; an upgrade scheduled at runtime puts execution 1.0.0 with a 7 gwei floor at block 11; the
/// node restarts just below that height; a follower started with the original manifest reproduces
/// every block. Blocks are made only when there is work, so the test sets the heights.
@Suite struct UpgradeTests {
    static let gwei: UInt128 = 1_000_000_000

    /// The rollup's folder: keys A (genesis sequencer and attestor) and B (after the upgrades), the
    /// transfer plugin again as version 1.1.0 (`version_shim.c`), and the manifest.
    struct Rollup {
        let folder: String
        let manifest: String
        let a: NodeAccount
        let b: NodeAccount

        init() throws {
            folder = try TestProcess.temporaryFolder("upgrades")
            a = try NodeAccount.sequencer()
            b = try NodeAccount.named("next-sequencer")
            try KeelProcess.writeSecret(a.keyHex + "\n", to: folder + "/a.key")
            try KeelProcess.writeSecret(b.keyHex + "\n", to: folder + "/b.key")
            let next = folder + "/next"
            try FileManager.default.createDirectory(atPath: next, withIntermediateDirectories: true)
            let original = PluginUnderTest.buildDirectory + "/libkeel-execution-transfer.so"
            try TestProcess.compileCPlugin(TestProcess.repositoryRoot + "/Tests/Fixtures/plugins/version_shim.c",
                                           to: "libkeel-execution-transfer.so", in: next,
                                           defines: ["SHIM_TARGET=\"\(original)\"", "SHIM_VERSION=\"1.1.0\""])
            let sender = try NodeAccount.named("fees-sender")
            manifest = folder + "/rollup.yaml"
            try """
            rollup: { name: upgrades, chain_id: \(NodeRollup.chainID), mode: attested }
            plugin_paths: ["\(PluginUnderTest.buildDirectory)", "\(next)"]
            node:
              data_dir: data
              block_time_ms: 100
              batch: { max_blocks: 3, max_age_ms: 200 }
              upgrade_min_lead: 3
            genesis:
              alloc: { "\(sender.address)": "\(NodeRollup.genesisBalance)" }
            plugins:
              execution: { plugin: transfer, version: "1.0.0" }
              sequencer: { plugin: single, config: { key_file: a.key } }
              da: { plugin: sqlite, config: { path: da.sqlite } }
              proof: { plugin: attest, config: { members: ["\(a.address)", "\(b.address)"], threshold: 1, key_file: a.key } }
              bridge:
                plugin: local
                config: { l1_db: l1.sqlite, block_time_ms: 0, committee: { members: ["\(a.address)", "\(b.address)"], threshold: 1 } }
            upgrades:
              - { at_height: 3, sequencer: { plugin: single, config: { key_file: b.key } } }
              - { at_height: 5, execution: { plugin: transfer, version: "^1.1", config: { min_base_fee: "3000000000" } } }
              - at_height: 7
                proof: { plugin: attest, config: { members: ["\(a.address)", "\(b.address)"], threshold: 1, key_file: b.key } }
            """.write(toFile: manifest, atomically: true, encoding: .utf8)
        }

        func node(_ log: String) throws -> RunningNode {
            try RunningNode(manifest: manifest, logPath: folder + "/" + log)
        }
    }

    @Test func upgradesAtHeightsAtRuntimeAndAcrossARestartAreFollowed() async throws {
        let rollup = try Rollup()
        defer { try? FileManager.default.removeItem(atPath: rollup.folder) }
        var node = try rollup.node("node.log")
        var client = JSONRPCClient(url: node.url, timeoutSeconds: 10)
        let sender = try NodeAccount.named("fees-sender"), recipient = try NodeAccount.named("fees-recipient")
        var nonce: UInt64 = 0
        /// One transfer, one block: returns the block's number.
        func step(_ client: JSONRPCClient) async throws -> UInt64 {
            let signed = try sender.transfer(nonce: nonce, to: recipient.address, value: 1)
            let hash = try await client.call("eth_sendRawTransaction", [.data(signed.raw)]).decodeHash()
            nonce += 1
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                let receipt = try await client.call("eth_getTransactionReceipt", [.hash(hash)])
                if receipt != .null { return try receipt["blockNumber"]?.decodeQuantity() ?? 0 }
                try await Task.sleep(for: .milliseconds(20))
            }
            throw RunningNodeError(message: "no receipt for \(hash):\n\(node.log(lastLines: 20))")
        }
        func block(_ number: UInt64, _ client: JSONRPCClient) async throws -> JSONValue {
            try await client.call("eth_getBlockByNumber", [.quantity(number), false])
        }

        while try await step(client) < 8 {}
        let admin = try KeelProcess.adminClient(url: node.url, dataDirectory: rollup.folder + "/data")
        func schedule(_ height: UInt64, _ admin: JSONRPCClient) async throws -> JSONValue {
            try await admin.call("admin_scheduleUpgrade", [.object([
                "height": .quantity(height), "slot": "execution", "plugin": "transfer", "version": "=1.0.0",
                "config": .object(["min_base_fee": "7000000000"]),
            ])])
        }
        // In the past, and inside the minimum lead of 3 blocks: refused with the reason.
        await #expect { _ = try await schedule(8, admin) } throws: { error in
            (error as? RPCError)?.message == "an upgrade cannot be scheduled at height 8: the chain is at 8, so that block exists already; choose 11 or later"
        }
        await #expect { _ = try await schedule(10, admin) } throws: { error in
            (error as? RPCError)?.message == "an upgrade cannot be scheduled at height 10: the minimum lead is 3 blocks (node.upgrade_min_lead) and the chain is at 8; choose 11 or later"
        }
        let scheduled = try await schedule(11, admin)
        #expect(scheduled["version"]?.stringValue == "1.0.0" && scheduled["source"]?.stringValue == "change log")
        admin.shutdown()

        // Up to the block below the runtime upgrade, then a restart: block 11 is the first after it.
        while try await step(client) < 10 {}
        client.shutdown()
        #expect(node.terminate() == 0)
        node = try rollup.node("node-2.log")
        defer { node.terminate() }
        client = JSONRPCClient(url: node.url, timeoutSeconds: 10)
        defer { client.shutdown() }
        while try await step(client) < 12 {}

        // The sequencer's key from block 3 on.
        #expect(try await block(2, client)["miner"]?.stringValue?.lowercased() == rollup.a.address.description.lowercased())
        #expect(try await block(3, client)["miner"]?.stringValue?.lowercased() == rollup.b.address.description.lowercased())
        // The base-fee floor of execution 1.1.0 from block 5 (it sets the next block's base fee), and 1.0.0's
        // new floor from block 11, across the restart.
        func baseFee(_ number: UInt64) async throws -> UInt128 { try await block(number, client)["baseFeePerGas"]?.decodeQuantity128() ?? 0 }
        #expect(try await baseFee(5) < 3 * Self.gwei)
        #expect(try await baseFee(6) == 3 * Self.gwei)
        #expect(try await baseFee(11) == 3 * Self.gwei)
        #expect(try await baseFee(12) == 7 * Self.gwei)
        let listed = try await client.call("keel_upgrades")["upgrades"]?.arrayValue ?? []
        let rows = listed.map { "\($0["slot"]?.stringValue ?? "") \($0["plugin"]?.stringValue ?? "") \($0["version"]?.stringValue ?? "") from \((try? $0["height"]?.decodeQuantity()) ?? 0) \($0["source"]?.stringValue ?? "")" }
        #expect(rows == ["execution transfer 1.0.0 from 0 manifest", "proof attest 1.0.0 from 0 manifest", "sequencer single 1.0.0 from 0 manifest",
                         "bridge local 1.0.0 from 0 manifest", "sequencer single 1.0.0 from 3 upgrades", "execution transfer 1.1.0 from 5 upgrades", "proof attest 1.0.0 from 7 upgrades",
                         "execution transfer 1.0.0 from 11 change log"], "\(rows)")

        // Batches are attested by the proof plugin of their first block: key A below 7, key B from 7.
        try await waitForFinality(client, lastBlock: 12)
        let signers = try TestProcess.run("sqlite3", [rollup.folder + "/l1.sqlite",
            "SELECT b.first_block, lower(hex(a.signer)) FROM attestations a JOIN batches b ON b.idx = a.batch_idx ORDER BY b.idx"])
        let attested = signers.standardOutput.split(separator: "\n").map { $0.split(separator: "|").map(String.init) }
        #expect(!attested.isEmpty, "\(signers.output)")
        for row in attested where row.count == 2 {
            let expected = (UInt64(row[0]) ?? 0) >= 7 ? rollup.b.address : rollup.a.address
            #expect("0x" + row[1] == expected.description.lowercased(), "the batch from block \(row[0]) was attested by 0x\(row[1])")
        }

        // A follower with the original manifest (no runtime upgrade in it) learns the runtime one from
        // the settlement layer and reproduces every block.
        try await DALayerChecks.followerAgrees(manifest: rollup.manifest, folder: rollup.folder, node: client, height: 12)
    }

    /// Waits until every block up to `lastBlock` is in a final batch.
    func waitForFinality(_ client: JSONRPCClient, lastBlock: UInt64) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let status = try await client.call("keel_status")
            let final = try status["finalBatchCount"]?.decodeQuantity() ?? 0
            if final > 0, let batch = try? await client.call("keel_getBatch", [.quantity(final - 1)]),
               (try? batch["lastBlock"]?.decodeQuantity()) ?? 0 >= lastBlock {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("blocks up to \(lastBlock) did not become final")
    }
}

/// An upgrade of the bridge slot: a new version of `local` (the shim, which counts the batches
/// submitted through it) from block 4 on the same settlement layer; and one whose config names
/// another L1, which the node refuses at start.
@Suite struct BridgeUpgradeTests {
    func rollup(bridgeUpgradeL1: String) throws -> (folder: String, manifest: String) {
        let folder = try TestProcess.temporaryFolder("bridge-upgrade")
        let a = try NodeAccount.sequencer()
        try KeelProcess.writeSecret(a.keyHex + "\n", to: folder + "/a.key")
        let next = folder + "/next"
        try FileManager.default.createDirectory(atPath: next, withIntermediateDirectories: true)
        try TestProcess.compileCPlugin(TestProcess.repositoryRoot + "/Tests/Fixtures/plugins/version_shim.c",
                                       to: "libkeel-bridge-local.so", in: next,
                                       defines: ["SHIM_TARGET=\"\(PluginUnderTest.buildDirectory)/libkeel-bridge-local.so\"",
                                                 "SHIM_VERSION=\"1.1.0\"", "SHIM_COUNT_BRIDGE_SUBMITS"])
        let sender = try NodeAccount.named("fees-sender")
        let bridgeConfig = { (l1: String) in
            "{ l1_db: \(l1), block_time_ms: 0, committee: { members: [\"\(a.address)\"], threshold: 1 } }"
        }
        let manifest = folder + "/rollup.yaml"
        try """
        rollup: { name: bridge-upgrade, chain_id: \(NodeRollup.chainID), mode: attested }
        plugin_paths: ["\(PluginUnderTest.buildDirectory)", "\(next)"]
        node: { data_dir: data, block_time_ms: 100, batch: { max_blocks: 2, max_age_ms: 200 } }
        genesis:
          alloc: { "\(sender.address)": "\(NodeRollup.genesisBalance)" }
        plugins:
          execution: { plugin: transfer }
          sequencer: { plugin: single, config: { key_file: a.key } }
          da: { plugin: sqlite, config: { path: da.sqlite } }
          proof: { plugin: attest, config: { members: ["\(a.address)"], threshold: 1, key_file: a.key } }
          bridge: { plugin: local, version: "=1.0.0", config: \(bridgeConfig("l1.sqlite")) }
        upgrades:
          - { at_height: 4, bridge: { plugin: local, version: "^1.1", config: \(bridgeConfig(bridgeUpgradeL1)) } }
        """.write(toFile: manifest, atomically: true, encoding: .utf8)
        return (folder, manifest)
    }

    @Test func batchesFromTheHeightGoThroughTheNewBridgeAndAFollowerAgrees() async throws {
        let (folder, manifest) = try rollup(bridgeUpgradeL1: "l1.sqlite")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let node = try RunningNode(manifest: manifest, logPath: folder + "/node.log")
        defer { node.terminate() }
        let client = JSONRPCClient(url: node.url, timeoutSeconds: 10)
        defer { client.shutdown() }
        let sender = try NodeAccount.named("fees-sender"), recipient = try NodeAccount.named("fees-recipient")
        for nonce in 0..<8 as Range<UInt64> {
            let signed = try sender.transfer(nonce: nonce, to: recipient.address, value: 1)
            _ = try await client.call("eth_sendRawTransaction", [.data(signed.raw)])
            while try await client.call("eth_getTransactionReceipt", [.hash(signed.hash)]) == .null {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let status = try await DALayerChecks.settle(client)
        let count = try status["batchCount"]?.decodeQuantity() ?? 0
        var fromHeight = 0
        for index in 0..<count {
            let batch = try await client.call("keel_getBatch", [.quantity(index)])
            if (try batch["firstBlock"]?.decodeQuantity() ?? 0) >= 4 { fromHeight += 1 }
        }
        #expect(fromHeight > 0 && UInt64(fromHeight) < count, "batches \(count), from block 4 on \(fromHeight)")
        let metrics = String(decoding: try await JSONRPCClient(url: node.url).get(path: "/metrics").body, as: UTF8.self)
        #expect(metrics.contains("keel_plugin_bridge_local_shim_submits_total \(fromHeight)\n"),
                "the new bridge did not post exactly the \(fromHeight) batches from block 4 on")
        let height = try status["height"]?.decodeQuantity() ?? 0
        try await DALayerChecks.followerAgrees(manifest: manifest, folder: folder, node: client, height: height)
    }

    @Test func aBridgeUpgradeOnAnotherSettlementLayerIsRefusedAtStart() throws {
        let (folder, manifest) = try rollup(bridgeUpgradeL1: "another-l1.sqlite")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let started = try KeelProcess.keel(["up", manifest, "--rpc-port", "0"])
        #expect(started.status != 0)
        #expect(started.error.contains("the bridge upgrade at height 4 (local 1.1.0) sees another settlement layer than the chain's"),
                "\(started.transcript)")
    }
}
