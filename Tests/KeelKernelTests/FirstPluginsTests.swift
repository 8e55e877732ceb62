import Foundation
import KeelCore
import KeelKernel
import KeelPluginTesting
import Testing

/// The first plugins, loaded from the build folder through dlopen like the kernel loads them:
/// `gpu cpu` (written in C) and `da sqlite` (written in Swift with KeelPluginKit). Every function
/// of their tables is called, through each kind's conformance suite.
@Suite struct FirstPluginsTests {
    let catalog = PluginCatalog(searchPath: PluginSearchPath(directories: [PluginUnderTest.buildDirectory]))

    func library(_ kind: PluginKind, _ name: String) throws -> PluginLibrary {
        try catalog.resolve(kind: kind, name: name, constraint: nil).get()
    }

    @Test func theBuildFolderHoldsOnlyAcceptedPlugins() {
        #expect(catalog.refusals.map(\.description) == [])
        #expect(catalog.libraries.contains { $0.kind == .gpu && $0.name == "cpu" })
        #expect(catalog.libraries.contains { $0.kind == .da && $0.name == "sqlite" })
    }

    @Test func theCPluginPassesTheGPUConformanceSuite() throws {
        let library = try library(.gpu, "cpu")
        #expect(library.toolchain.hasPrefix("C ("))
        #expect(library.isThreadSafe)
        let instance = try PluginUnderTest.create(path: library.path)
        defer { instance.destroy() }
        #expect(GPUConformance.run(GPUClient(instance)).map(\.description) == [])
    }

    @Test func theCPluginReportsMetricsThroughTheHost() throws {
        let library = try library(.gpu, "cpu")
        let services = HostServices(dataDirectory: try FixtureLibraries.temporaryFolder("metrics"), chainID: 901)
        let instance = try PluginInstance(library: library, configJSON: "{}", services: services)
        var values: [UInt64] = [1, 2, 3, 4]
        try GPUClient(instance).ntt(field: .goldilocks, values: &values, logN: 2, inverse: false)
        #expect(services.metricsSnapshot.counters["keel_plugin_gpu_cpu_ntt_elements_total"] == 4)
    }

    @Test func theCPluginRefusesConfigurationItDoesNotKnow() throws {
        let library = try library(.gpu, "cpu")
        #expect {
            _ = try PluginUnderTest.create(path: library.path, configJSON: #"{"threads": 4}"#)
        } throws: { error in
            let failure = error as? PluginCallError
            return failure?.configPath == "threads" && failure?.message == "unknown key `threads`: the cpu backend takes no configuration"
        }
    }

    @Test func theSwiftPluginPassesTheDAConformanceSuiteAcrossARestart() throws {
        let library = try library(.da, "sqlite")
        #expect(library.capabilities == ["thread-safe", "da:offchain"])
        let folder = try FixtureLibraries.temporaryFolder("da-sqlite")
        let config = #"{"path": "\#(folder)/blobs.db", "max_blob_bytes": 3000000}"#
        let instance = try PluginUnderTest.create(path: library.path, configJSON: config)
        let failures = DAConformance.run(DAClient(instance), reopen: {
            DAClient(try PluginUnderTest.create(path: library.path, configJSON: config))
        })
        #expect(failures.map(\.description) == [])
    }

    @Test func theSwiftPluginDetectsACorruptedBlob() throws {
        let library = try library(.da, "sqlite")
        let folder = try FixtureLibraries.temporaryFolder("da-corrupt")
        let client = DAClient(try PluginUnderTest.create(path: library.path, configJSON: #"{"path": "\#(folder)/blobs.db"}"#))
        let commitment = try client.submit(Array("batch 7".utf8))
        let result = try TestProcess.run("sqlite3", ["\(folder)/blobs.db", "UPDATE blobs SET data = x'00'"])
        try #require(result.status == 0, "sqlite3: \(result.output)")
        #expect {
            _ = try client.retrieve(commitment)
        } throws: { error in
            (error as? PluginCallError)?.codeName == "corrupt"
        }
    }

    @Test func theSwiftPluginNamesTheConfigPathOfABadValue() throws {
        let library = try library(.da, "sqlite")
        #expect {
            _ = try PluginUnderTest.create(path: library.path, configJSON: #"{"max_blob_bytes": "lots"}"#)
        } throws: { error in
            let failure = error as? PluginCallError
            return failure?.configPath == "max_blob_bytes" && failure?.message == "`max_blob_bytes` must be a whole number from 0 to 18446744073709551615, not lots"
        }
    }
}
