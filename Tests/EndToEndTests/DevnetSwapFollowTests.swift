import Foundation
import KeelCore
import KeelJSONRPC
import KeelPluginTesting
import Testing

/// The devnet as `make devnet` runs it (manifests/devnet.yaml, unchanged, in a folder of its own),
/// started from another working directory: DA is swapped with `admin_swapDA` while transfers flow,
/// then `keel follow` with the same unchanged manifest reaches the head with equal roots, loading
/// the swapped-in provider from the settlement layer's change log.
@Suite struct DevnetSwapFollowTests {
    @Test func aFollowerWithTheUnchangedDevnetManifestFollowsADASwap() async throws {
        let root = try TestProcess.temporaryFolder("devnet")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let elsewhere = try TestProcess.temporaryFolder("elsewhere")
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        try FileManager.default.createDirectory(atPath: root + "/manifests", withIntermediateDirectories: true)
        let manifest = root + "/manifests/devnet.yaml"
        try FileManager.default.copyItem(atPath: TestProcess.repositoryRoot + "/manifests/devnet.yaml", toPath: manifest)
        try FileManager.default.createDirectory(atPath: root + "/.keel/devnet/keys", withIntermediateDirectories: true)
        for name in ["sequencer", "attestor"] {   // what `make devnet-keys` writes
            try KeelProcess.writeSecret(DARollup.key0 + "\n", to: root + "/.keel/devnet/keys/\(name).key")
        }
        let node = try RunningProcess(keel: ["up", manifest, "--rpc-port", "0"], logPath: root + "/node.log", listening: true,
                                      directory: elsewhere)
        defer { node.terminate() }
        #expect(FileManager.default.fileExists(atPath: root + "/.keel/devnet/l1.sqlite"), "the L1 is not beside the manifest's data")
        let client = JSONRPCClient(url: node.url, timeoutSeconds: 10)
        defer { client.shutdown() }
        let admin = try KeelProcess.adminClient(url: node.url, dataDirectory: root + "/.keel/devnet")
        defer { admin.shutdown() }

        let load = TransferLoad()
        load.start(client: client, perSecond: 100)
        while try await client.call("keel_status")["batchCount"]?.decodeQuantity() ?? 0 == 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
        let swap = try await admin.call("admin_swapDA", [.object(["plugin": "file", "config": .object(["dir": .string(root + "/blobs")])])])
        let firstOnFile = UInt64(swap["batchIndex"]?.integerValue ?? -1)
        while try await client.call("keel_status")["batchCount"]?.decodeQuantity() ?? 0 <= firstOnFile + 1 {
            try await Task.sleep(for: .milliseconds(20))
        }
        let (acknowledged, refused) = await load.finish()
        #expect(refused.isEmpty, "transfers refused during the swap: \(refused.prefix(3))")
        #expect(!acknowledged.isEmpty)
        let status = try await DALayerChecks.settle(client)
        let height = try status["height"]?.decodeQuantity() ?? 0
        let providers = try await DALayerChecks.providerBytes(client, count: try status["batchCount"]?.decodeQuantity() ?? 0)
        #expect(providers.first == 0x01 && providers.last == 0x02, "providers by batch: \(providers)")

        try await DALayerChecks.followerAgrees(manifest: manifest, folder: root, node: client, height: height, directory: elsewhere)
    }
}
