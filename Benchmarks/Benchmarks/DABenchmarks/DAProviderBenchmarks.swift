import Benchmark
import Foundation
import KeelCore
import KeelKernel

// Submit and retrieve through the plugin ABI, each provider loaded from this suite's build folder
// through the kernel's catalog as the node loads it. MB/s is the blob size divided by the wall-clock
// time per call. Every submit stores a new blob (its first 8 bytes are random), so the figures
// include the provider's durable write (fsync); retrieve cycles over 16 blobs stored in setup.

/// How to run one provider over a fresh folder: its config, after starting any servers it needs.
typealias ProviderSetup = @Sendable (_ folder: String) throws -> (config: String, servers: [ServerProcess])

/// One provider under test: created in the benchmark's setup over a fresh folder (with its servers),
/// destroyed, stopped and deleted in its teardown.
final class ProviderFixture: @unchecked Sendable {
    // @unchecked: setup, the measured closure and teardown run one after another, never at once.
    let name: String
    let setup: ProviderSetup
    private(set) var client: DAClient?
    private(set) var commitments: [[UInt8]] = []
    private var folder: String?
    private var servers: [ServerProcess] = []

    init(name: String, setup: @escaping ProviderSetup) {
        self.name = name
        self.setup = setup
    }

    /// Opens the provider over a new folder; stores `stored` blobs of `template`'s size to retrieve.
    func open(library: PluginLibrary, template: [UInt8], stored: Int) throws {
        let folder = NSTemporaryDirectory() + "keel-da-bench-\(name)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        self.folder = folder
        let (config, servers) = try setup(folder)
        self.servers = servers
        let services = HostServices(dataDirectory: folder, chainID: 901, log: { _, _, _ in })
        let client = DAClient(try PluginInstance(library: library, configJSON: config, services: services))
        self.client = client
        commitments = try (0..<stored).map { _ in try client.submit(Self.fresh(template)) }
    }

    func close() {
        client?.instance.destroy()
        client = nil
        servers.forEach { $0.stop() }
        servers = []
        if let folder { try? FileManager.default.removeItem(atPath: folder) }
        folder = nil
    }

    /// `template` with its first 8 bytes random: a blob no provider holds yet.
    static func fresh(_ template: [UInt8]) -> [UInt8] {
        var blob = template
        withUnsafeBytes(of: UInt64.random(in: 0...UInt64.max)) { stamp in
            for index in 0..<min(8, blob.count) { blob[index] = stamp[index] }
        }
        return blob
    }
}

enum DAProviderBenchmarks {
    static let sizes = [(128 << 10, "128 KiB"), (2 << 20, "2 MiB")]

    /// The providers whose libraries are in the build folder, each over a fresh folder. `altda` and
    /// `dac` run only when `KEEL_BINARY` names a `keel` to start their servers with.
    static let providers: [(name: String, needsServers: Bool, setup: ProviderSetup)] = [
        ("sqlite", false, { folder in (#"{"path": "\#(folder)/da.sqlite"}"#, []) }),
        ("file", false, { folder in (#"{"dir": "\#(folder)/da"}"#, []) }),
        ("erasure", false, { folder in
            let locations = (0..<6).map { "\"\(folder)/location-\($0)\"" }.joined(separator: ", ")
            return (#"{"data_chunks": 4, "parity_chunks": 2, "locations": [\#(locations)]}"#, [])
        }),
        ("altda", true, { folder in
            let server = try ServerProcess(["da-server", "--dir", folder + "/served"], log: folder + "/da-server.log")
            return (#"{"url": "\#(server.url)"}"#, [server])
        }),
        ("dac", true, { folder in
            let servers = try (0..<3).map { index in
                try ServerProcess(["dac-member", "--key-file", DevelopmentCommittee.keyFile(index, in: folder),
                                   "--dir", "\(folder)/member-\(index)"], log: "\(folder)/member-\(index).log")
            }
            let members = servers.enumerated().map { index, server in
                #"{"url": "\#(server.url)", "address": "\#(DevelopmentCommittee.members[index].address)"}"#
            }
            return (#"{"members": [\#(members.joined(separator: ", "))], "threshold": 2}"#, servers)
        }),
    ]

    static func register() {
        let catalog = PluginCatalog(searchPath: PluginSearchPath(directories: [PluginSearchPath.executableDirectory()]))
        for (name, needsServers, setup) in providers {
            guard case .success(let library) = catalog.resolve(kind: .da, name: name, constraint: nil) else {
                print("DABenchmarks: no da plugin `\(name)` beside the suite; skipped")
                continue
            }
            if needsServers, ServerProcess.binary == nil {
                print("DABenchmarks: `\(name)` needs servers; set KEEL_BINARY to a release keel to measure it")
                continue
            }
            for (size, label) in sizes {
                let template = randomBytes(size, seed: UInt64(size))
                let configuration = Benchmark.Configuration(
                    metrics: [.wallClock, .cpuTotal],
                    warmupIterations: 2,
                    maxDuration: .seconds(4),
                    maxIterations: size > 1 << 20 ? 60 : 300)
                let submitting = ProviderFixture(name: name, setup: setup)
                Benchmark("DA submit \(name), \(label)", configuration: configuration, closure: { benchmark in
                    guard let client = submitting.client else { return }
                    for _ in benchmark.scaledIterations {
                        let blob = ProviderFixture.fresh(template)
                        benchmark.startMeasurement()
                        blackHole(try? client.submit(blob))
                        benchmark.stopMeasurement()
                    }
                }, setup: {
                    try submitting.open(library: library, template: template, stored: 0)
                }, teardown: {
                    submitting.close()
                })
                let retrieving = ProviderFixture(name: name, setup: setup)
                Benchmark("DA retrieve \(name), \(label)", configuration: configuration, closure: { benchmark in
                    guard let client = retrieving.client else { return }
                    for iteration in benchmark.scaledIterations {
                        let commitment = retrieving.commitments[iteration % retrieving.commitments.count]
                        blackHole(try? client.retrieve(commitment))
                    }
                }, setup: {
                    try retrieving.open(library: library, template: template, stored: 16)
                }, teardown: {
                    retrieving.close()
                })
            }
        }
    }
}
