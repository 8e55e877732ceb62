import Foundation
import KeelCore
import KeelJSONRPC
import KeelPluginTesting
import Testing

/// Issue 5: the DA provider swapped while transfers flow (sqlite → altda → file), and a da-server
/// killed mid-run (altda fails over to file); nothing acknowledged is lost, and a follower started
/// afterwards with the node's own manifest derives the same chain, block by block.
@Suite(.serialized) struct DASwapAndFailoverTests {
    @Test func aSwapUnderLoadLosesNothingAndAFollowerDerivesTheSameChain() async throws {
        let rollup = try DARollup("da-swap")
        let server = try RunningProcess(keel: ["da-server", "--dir", rollup.folder + "/altda", "--port", "0"],
                                        logPath: rollup.folder + "/da-server.log", listening: true)
        defer { server.terminate() }
        let serverPort = server.port
        let manifest = try rollup.manifest("node", da: [rollup.sqlite()])
        let node = try RunningNode(manifest: manifest, logPath: rollup.folder + "/node.log")
        defer { node.terminate() }
        let client = JSONRPCClient(url: node.url, timeoutSeconds: 10)
        defer { client.shutdown() }
        let admin = try KeelProcess.adminClient(url: node.url, dataDirectory: rollup.folder + "/data")
        defer { admin.shutdown() }

        let load = TransferLoad()
        let loadStart = ContinuousClock.now
        load.start(client: client, perSecond: 400)
        try await Task.sleep(for: .seconds(2))
        // A batch on sqlite first, however slow the machine.
        while try await client.call("keel_status")["batchCount"]?.decodeQuantity() ?? 0 == 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
        var swapTimes: [Duration] = []
        for (plugin, config) in [("altda", JSONValue.object(["url": .string("http://127.0.0.1:\(serverPort)")])),
                                 ("file", .object(["dir": .string(rollup.folder + "/blobs")]))] {
            let before = try await client.call("keel_status")["batchCount"]?.decodeQuantity() ?? 0
            let start = ContinuousClock.now
            let swap = try await admin.call("admin_swapDA", [.object(["plugin": .string(plugin), "config": config])])
            let firstBatch = UInt64(swap["batchIndex"]?.integerValue ?? -1)
            #expect(firstBatch >= before)
            // The time from the request to the first batch posted on the new provider.
            while try await client.call("keel_status")["batchCount"]?.decodeQuantity() ?? 0 <= firstBatch {
                try await Task.sleep(for: .milliseconds(10))
            }
            swapTimes.append(ContinuousClock.now - start)
            try await Task.sleep(for: .seconds(2))
        }
        let (acknowledged, refused) = await load.finish()
        let rate = Double(acknowledged.count) / (ContinuousClock.now - loadStart).seconds
        print("DA swap: \(acknowledged.count) transfers acknowledged (\(Int(rate))/s); request to first batch on the new provider: \(swapTimes)")
        #expect(refused.isEmpty, "transfers refused during the swaps: \(refused.prefix(3))")
        #expect(rate >= 300, "the load was too light: \(Int(rate)) transfers/s")

        let status = try await DALayerChecks.settle(client)
        for hash in acknowledged {
            let receipt = try await client.call("eth_getTransactionReceipt", [.hash(hash)])
            #expect(receipt != .null, "acknowledged transfer \(hash) was lost")
        }
        let batches = try status["batchCount"]?.decodeQuantity() ?? 0
        let providers = try await DALayerChecks.providerBytes(client, count: batches)
        #expect(providers.first == 0x01 && providers.last == 0x02 && providers.contains(0x03), "providers by batch: \(providers)")
        #expect(providers == providers.sorted { order($0) < order($1) }, "a batch went back to an earlier provider: \(providers)")
        let daStatus = try await client.call("keel_daStatus")
        #expect(daStatus["swaps"]?.arrayValue?.count == 2)
        #expect(daStatus["current"]?.stringValue == "file")

        // A follower started with the node's unchanged manifest (sqlite only) learns both swaps from
        // the settlement layer's change log, loads altda and file itself, and derives the same chain.
        let height = try status["height"]?.decodeQuantity() ?? 0
        try await DALayerChecks.followerAgrees(manifest: manifest, rollup: rollup, node: client, height: height)
    }

    @Test func aKilledDAServerFailsOverAndAFollowerDerivesAcrossIt() async throws {
        let rollup = try DARollup("da-failover")
        var server = try RunningProcess(keel: ["da-server", "--dir", rollup.folder + "/altda", "--port", "0"],
                                        logPath: rollup.folder + "/da-server-1.log", listening: true)
        // The restarted server must come back on the same port, the one in the node's manifest.
        let serverPort = server.port
        let serverArguments = ["da-server", "--dir", rollup.folder + "/altda", "--port", String(serverPort)]
        let manifest = try rollup.manifest("node", da: [rollup.altda(port: serverPort), rollup.file()],
                                           extraNode: "  da_failover: { errors: 2, recover_after: 3, health_interval_ms: 200 }")
        let node = try RunningNode(manifest: manifest, logPath: rollup.folder + "/node.log")
        defer { node.terminate() }
        let client = JSONRPCClient(url: node.url, timeoutSeconds: 10)
        defer { client.shutdown() }
        let load = TransferLoad()
        load.start(client: client, perSecond: 200)
        try await Task.sleep(for: .seconds(2))

        let batchesBefore = try await client.call("keel_status")["batchCount"]?.decodeQuantity() ?? 0
        server.kill()
        let killed = ContinuousClock.now
        var failedOverAfter: Duration?
        while ContinuousClock.now - killed < .seconds(15) {
            let count = try await client.call("keel_status")["batchCount"]?.decodeQuantity() ?? 0
            if count > batchesBefore, try await DALayerChecks.providerBytes(client, count: count).last == 0x02 {
                failedOverAfter = ContinuousClock.now - killed
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        print("DA failover: first batch on the next provider \(failedOverAfter.map { "\($0)" } ?? "never") after the kill")
        #expect(failedOverAfter != nil && failedOverAfter! < .seconds(5), "batches did not move to file within 5 s")
        // A batch that fails goes to the next provider at once; after `errors: 2` failures in a row
        // (submits or health checks) the provider is passed over: a failover, logged and counted.
        var failovers = 0
        while ContinuousClock.now - killed < .seconds(5) {
            failovers = try await client.call("keel_daStatus")["failovers"]?.arrayValue?.count ?? 0
            if failovers > 0 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(failovers == 1)
        let metrics = try await JSONRPCClient(url: node.url).get(path: "/metrics")
        #expect(String(decoding: metrics.body, as: UTF8.self).contains("keel_da_failovers_total 1"))

        // The da-server comes back: after `recover_after` healthy checks, batches go to it again.
        server = try RunningProcess(keel: serverArguments, logPath: rollup.folder + "/da-server-2.log",
                                    readyURL: "http://127.0.0.1:\(serverPort)/health")
        defer { server.terminate() }
        try await Task.sleep(for: .seconds(3))
        let (acknowledged, refused) = await load.finish()
        #expect(refused.isEmpty, "transfers refused during the failover: \(refused.prefix(3))")
        let status = try await DALayerChecks.settle(client)
        for hash in acknowledged {
            let receipt = try await client.call("eth_getTransactionReceipt", [.hash(hash)])
            #expect(receipt != .null, "acknowledged transfer \(hash) was lost")
        }
        let providers = try await DALayerChecks.providerBytes(client, count: try status["batchCount"]?.decodeQuantity() ?? 0)
        #expect(providers.first == 0x03 && providers.contains(0x02) && providers.last == 0x03, "providers by batch: \(providers)")

        let height = try status["height"]?.decodeQuantity() ?? 0
        try await DALayerChecks.followerAgrees(manifest: manifest, rollup: rollup, node: client, height: height)
    }
}

extension DASwapAndFailoverTests {
    @Test func anEditedManifestAndSIGHUPSwapTheDAList() async throws {
        let rollup = try DARollup("da-sighup")
        let manifest = try rollup.manifest("node", da: [rollup.sqlite()])
        let node = try RunningNode(manifest: manifest, logPath: rollup.folder + "/node.log")
        defer { node.terminate() }
        let client = JSONRPCClient(url: node.url, timeoutSeconds: 10)
        defer { client.shutdown() }
        let load = TransferLoad()
        load.start(client: client, perSecond: 100)
        try await Task.sleep(for: .seconds(1))

        // The operator edits the manifest's da: list and sends SIGHUP.
        _ = try rollup.manifest("node", da: [rollup.file(), rollup.sqlite()])
        let before = try await client.call("keel_status")["batchCount"]?.decodeQuantity() ?? 0
        kill(node.process.processIdentifier, SIGHUP)
        var swaps: [JSONValue] = []
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            swaps = try await client.call("keel_daStatus")["swaps"]?.arrayValue ?? []
            if !swaps.isEmpty { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(swaps.count == 1 && swaps.first?["source"]?.stringValue == "sighup" && swaps.first?["provider"]?.stringValue == "file",
                "swaps: \(swaps)\n\(node.log(lastLines: 10))")
        try await Task.sleep(for: .seconds(1))
        let (acknowledged, refused) = await load.finish()
        #expect(refused.isEmpty)
        let status = try await DALayerChecks.settle(client)
        let providers = try await DALayerChecks.providerBytes(client, count: try status["batchCount"]?.decodeQuantity() ?? 0)
        #expect(providers.prefix(Int(before)).allSatisfy { $0 == 0x01 } && providers.last == 0x02, "providers by batch: \(providers)")
        for hash in acknowledged {
            #expect(try await client.call("eth_getTransactionReceipt", [.hash(hash)]) != .null)
        }
        // SIGHUP with an unchanged manifest changes nothing.
        kill(node.process.processIdentifier, SIGHUP)
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await client.call("keel_daStatus")["swaps"]?.arrayValue?.count == 1)
    }
}

/// sqlite, then altda, then file: the order of the swap test.
private func order(_ id: UInt8) -> Int { [0x01: 0, 0x03: 1, 0x02: 2][id] ?? 9 }
