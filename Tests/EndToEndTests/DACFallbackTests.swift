import Foundation
import KeelCore
import KeelJSONRPC
import KeelPluginTesting
import Testing

/// Issue 5's DAC through the node: a committee of three `keel dac-member` processes (k = 2) with
/// sqlite behind it. One member down still certifies; two down and batches fall back to sqlite;
/// nothing acknowledged is lost, the bridge checked every certificate, and a follower derives it all.
@Suite(.serialized) struct DACFallbackTests {
    @Test func oneMemberDownStillCertifiesTwoDownFallsBackToSQLite() async throws {
        let rollup = try DARollup("dac-fallback")
        let keys = Array(DARollup.senderKeys.prefix(3))
        var members: [RunningProcess] = []
        for (index, key) in keys.enumerated() {
            let keyPath = rollup.folder + "/member-\(index).key"
            FileManager.default.createFile(atPath: keyPath, contents: Data((key + "\n").utf8), attributes: [.posixPermissions: 0o600])
            members.append(try RunningProcess(keel: ["dac-member", "--key-file", keyPath, "--dir", rollup.folder + "/member-\(index)",
                                                     "--port", "0", "--chain-id", "901"],
                                              logPath: rollup.folder + "/member-\(index).log", listening: true))
        }
        defer { for member in members { member.terminate() } }
        let addresses = try keys.map { try PrivateKey(hex: $0).address }
        let entries = zip(members, addresses).map { #"{ url: "\#($0.url)", address: "\#($1)" }"# }.joined(separator: ", ")
        let dac = "{ plugin: dac, config: { members: [\(entries)], threshold: 2, timeout_ms: 2000 } }"
        let manifest = try rollup.manifest("node", da: [dac, rollup.sqlite()],
                                           extraBridge: "      dac: { members: [\(addresses.map { "\"\($0)\"" }.joined(separator: ", "))], threshold: 2 }")
        let node = try RunningNode(manifest: manifest, logPath: rollup.folder + "/node.log")
        defer { node.terminate() }
        let client = JSONRPCClient(url: node.url, timeoutSeconds: 10)
        defer { client.shutdown() }
        let load = TransferLoad()
        load.start(client: client, perSecond: 100)
        try await Task.sleep(for: .seconds(1.5))

        members[0].kill()
        let afterOne = try await client.call("keel_status")["batchCount"]?.decodeQuantity() ?? 0
        try await Task.sleep(for: .seconds(1.5))
        let withTwo = try await DALayerChecks.providerBytes(client, count: try await client.call("keel_status")["batchCount"]?.decodeQuantity() ?? 0)
        #expect(withTwo.count > Int(afterOne) && withTwo.dropFirst(Int(afterOne)).contains(0x04),
                "no batch certified by the two members left: \(withTwo)")

        members[1].kill()
        try await Task.sleep(for: .seconds(2))
        let (acknowledged, refused) = await load.finish()
        #expect(refused.isEmpty, "\(refused.prefix(3))")
        let status = try await DALayerChecks.settle(client)
        let providers = try await DALayerChecks.providerBytes(client, count: try status["batchCount"]?.decodeQuantity() ?? 0)
        #expect(providers.first == 0x04 && providers.last == 0x01, "providers by batch: \(providers)")
        for hash in acknowledged {
            #expect(try await client.call("eth_getTransactionReceipt", [.hash(hash)]) != .null, "acknowledged \(hash) was lost")
        }
        // The follower reads the certified batches from the member still up, the rest from sqlite.
        try await DALayerChecks.followerAgrees(manifest: manifest, rollup: rollup, node: client,
                                               height: try status["height"]?.decodeQuantity() ?? 0)
    }
}
