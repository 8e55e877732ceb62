import Foundation
import KeelKernel
import KeelPluginTesting
import Testing

/// `keel validate` and `keel assemble --dry-run` on manifests whose plugins are real libraries: the
/// first plugins beside `keel` (da sqlite, gpu cpu) and C plugins generated with `keel new plugin`
/// and built with `make` into a `plugin_paths` folder.
@Suite struct AssembleCommandTests {
    /// Builds the four C plugins once per test run and returns their folder and a secret file.
    static let plugins: Result<(folder: String, secret: String), any Error> = Result {
        let root = try KeelProcess.temporaryFolder("assemble-plugins")
        let folder = root + "/plugins"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for kind in ["execution", "sequencer", "proof", "bridge"] {
            let project = "\(root)/\(kind)"
            let created = try KeelProcess.keel(["new", "plugin", "--kind", kind, "--name", "demo", "--lang", "c", "--output", project])
            guard created.status == 0 else { throw TestProcessError(created.transcript) }
            let built = try KeelProcess.tool("make", [], in: project)
            guard built.status == 0 else { throw TestProcessError(built.transcript) }
            try FileManager.default.copyItem(atPath: "\(project)/libkeel-\(kind)-demo.so", toPath: "\(folder)/libkeel-\(kind)-demo.so")
        }
        let secret = root + "/secret.key"
        try KeelProcess.writeSecret("0x" + String(repeating: "4b", count: 32) + "\n", to: secret)
        return (folder, secret)
    }

    /// Writes a manifest (with `PLUGINS` and `SECRET` filled in) and returns its path.
    func manifest(_ text: String) throws -> String {
        let (folder, secret) = try Self.plugins.get()
        let directory = try KeelProcess.temporaryFolder("manifest")
        let path = directory + "/rollup.yaml"
        try text.replacingOccurrences(of: "PLUGINS", with: folder).replacingOccurrences(of: "SECRET", with: secret)
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let good = """
        rollup: { name: demo, chain_id: 901, mode: attested }
        plugin_paths: [ "PLUGINS" ]
        plugins:
          execution: { plugin: demo, version: ">=0.1 <1" }
          sequencer: { plugin: demo, config: { secret_file: "SECRET" } }
          da:
            - { plugin: sqlite }
          proof: { plugin: demo, config: { secret_file: "SECRET" } }
          bridge: { plugin: demo }
          gpu: { plugin: cpu }
        features:
          batch-codec-brotli: { activate_at_height: 20 }
          genesis-flag: { activate_at_height: 0 }
          priority-lane: { rollout_percent: 10, subject: sender }
        upgrades:
          - { at_height: 1000, da: { plugin: sqlite, config: { max_blob_bytes: 1000 } } }
        """

    @Test func aGoodManifestValidates() throws {
        let path = try manifest(Self.good)
        let result = try KeelProcess.keel(["validate", path])
        #expect(result.status == 0, "\(result.transcript)")
        #expect(result.output == "\(path): ok (7 plugins, mode attested)\n")
    }

    @Test func theDryRunPrintsTheWiring() throws {
        let (folder, _) = try Self.plugins.get()
        let path = try manifest(Self.good)
        let result = try KeelProcess.keel(["assemble", path, "--dry-run"])
        #expect(result.status == 0, "\(result.transcript)")
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "rollup demo: chain id 901, mode attested")
        let build = PluginUnderTest.buildDirectory
        #expect(lines.contains { $0.hasPrefix("execution  demo") && $0.contains("0.1.0") && $0.hasSuffix("\(folder)/libkeel-execution-demo.so") })
        #expect(lines.contains { $0.hasPrefix("da[0]") && $0.contains("sqlite") && $0.contains("thread-safe da:offchain") && $0.hasSuffix("\(build)/libkeel-da-sqlite.so") })
        #expect(lines.contains { $0.hasPrefix("gpu") && $0.contains("cpu") && $0.hasSuffix("\(build)/libkeel-gpu-cpu.so") })
        #expect(lines.contains("consensus flags active at height 0: genesis-flag"))
        #expect(lines.contains("consensus flags scheduled: batch-codec-brotli at height 20"))
        #expect(lines.contains("rollout flags: priority-lane 10% by sender"))
        #expect(lines.contains("  at height 1000: da → sqlite 1.0.0 (\(build)/libkeel-da-sqlite.so)"))
    }

    @Test func theDryRunSpeaksJSON() throws {
        struct Wiring: Decodable {
            struct Slot: Decodable { let slot: String; let plugin: String; let version: String; let library: String; let fromHeight: UInt64? }
            let rollup: String
            let chainID: UInt64
            let mode: String
            let slots: [Slot]
            let consensusFlagsActiveAtGenesis: [String]
        }
        let result = try KeelProcess.keel(["assemble", try manifest(Self.good), "--dry-run", "--json"])
        #expect(result.status == 0, "\(result.transcript)")
        let wiring = try JSONDecoder().decode(Wiring.self, from: Data(result.output.utf8))
        #expect(wiring.chainID == 901 && wiring.mode == "attested" && wiring.rollup == "demo")
        #expect(wiring.slots.map(\.slot) == ["execution", "sequencer", "proof", "bridge", "gpu", "da[0]", "da"])
        #expect(wiring.slots.last?.fromHeight == 1000)
        #expect(wiring.consensusFlagsActiveAtGenesis == ["genesis-flag"])
    }

    @Test func assemblingWithoutDryRunSaysWhatIsAvailable() throws {
        let result = try KeelProcess.keel(["assemble", try manifest(Self.good)])
        #expect(result.status != 0)
        #expect(result.error.contains("only --dry-run is available"))
    }

    @Test func everyPluginProblemIsReportedAtItsLine() throws {
        let path = try manifest("""
            rollup: { name: demo, chain_id: 901, mode: zk }
            plugin_paths: [ "PLUGINS" ]
            plugins:
              execution: { plugin: demo, version: ">=2" }
              sequencer: { plugin: demo, config: { secret_file: "SECRET" } }
              da:
                - { plugin: sqlite, config: { max_blob_bytes: "lots" } }
                - { plugin: sqlit }
              proof: { plugin: demo, config: { secret_file: "SECRET" } }
              bridge: { plugin: sqlite }
            """)
        let result = try KeelProcess.keel(["validate", path])
        #expect(result.status == 1)
        #expect(result.output == "")
        let errors = result.error.split(separator: "\n").map(String.init)
        #expect(errors.count == 4, "\(result.error)")
        #expect(errors.contains { $0.hasPrefix("\(path):4:39: error: execution plugin `demo` at `") && $0.hasSuffix("is version 0.1.0, which `>=2` does not accept; install a matching build or change the constraint") })
        #expect(errors.contains("\(path):7:51: error: da plugin `sqlite` (plugins.da[0]) refused `config.max_blob_bytes`: `max_blob_bytes` must be a whole number from 0 to 18446744073709551615, not lots"))
        #expect(errors.contains { $0.hasPrefix("\(path):8:17: error: no da plugin named `sqlit`: libkeel-da-sqlit.so is in none of") && $0.hasSuffix("did you mean `sqlite`?") })
        #expect(errors.contains { $0.hasPrefix("\(path):10:21: error: plugin \"sqlite\" (") && $0.hasSuffix("is a da plugin; the bridge slot needs a bridge plugin") })
    }

    @Test func aModeThePluginsCannotMakeIsReportedAtTheMode() throws {
        let path = try manifest(Self.good.replacingOccurrences(of: "mode: attested", with: "mode: zk"))
        let result = try KeelProcess.keel(["validate", path])
        #expect(result.status == 1)
        #expect(result.error.hasPrefix("\(path):1:44: error: mode `zk` needs a proof plugin that declares proof:validity, but `demo`"))
    }

    @Test func aYAMLSyntaxErrorIsReportedWithItsPosition() throws {
        let path = try manifest("rollup: { name: demo\nplugins: [")
        let result = try KeelProcess.keel(["assemble", path, "--dry-run"])
        #expect(result.status == 1)
        #expect(result.error.hasPrefix("\(path):"))
        #expect(result.error.contains(": error: "))
    }
}
