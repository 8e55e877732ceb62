import Foundation
import KeelCore
import KeelKernel
import Testing

/// What a manifest that loads turns into: typed values, defaults, resolved paths, flags, upgrades.
@Suite struct ManifestReadingTests {
    typealias Support = ManifestTestSupport

    static let full = """
        rollup: { name: demo, chain_id: 901, mode: optimistic }
        node:   { data_dir: ../state/demo, rpc: { host: 0.0.0.0, port: 9545 }, block_time_ms: 250 }
        genesis:
          alloc:
            "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266": "1000000000000000000000"
            "0x70997970c51812dc3a010c7d01b50e0d17dc79c8": 5
        plugins:
          execution: { plugin: transfer, version: ">=1.0 <2" }
          sequencer: { plugin: single, config: { key_file: keys/sequencer.key } }
          da:
            - { plugin: file, config: { dir: .keel/demo/da } }
            - { plugin: sqlite }
          proof:     { plugin: fault, config: { challenge_window_l1_blocks: 20, bond_wei: "1000" } }
          bridge:    { plugin: local, config: { l1_db: .keel/l1.sqlite } }
          gpu:       { plugin: cpu }
        plugin_paths: [plugins, /opt/keel/plugins]
        features:
          batch-codec-brotli: { activate_at_height: 1000 }
          priority-lane:      { rollout_percent: 12.5, subject: sender }
        upgrades:
          - { at_height: 50000, proof: { plugin: stark } }
          - at_height: 60000
            da: { plugin: dac }
            execution: { plugin: transfer, version: "^2" }

        """

    func load(_ yaml: String) throws -> Manifest {
        try ManifestLoader.parse(yaml: yaml, file: Support.file, directory: Support.directory).manifest
    }

    @Test func theFullExampleLoads() throws {
        let manifest = try load(Self.full)
        #expect(manifest.rollup.name == "demo")
        #expect(manifest.rollup.chainID == 901)
        #expect(manifest.rollup.mode == .optimistic)
        #expect(manifest.node.rpcHost == "0.0.0.0")
        #expect(manifest.node.rpcPort == 9545)
        #expect(manifest.node.blockTimeMilliseconds == 250)
        #expect(manifest.plugins.all.map { "\($0.kind) \($0.plugin)" }
            == ["execution transfer", "sequencer single", "proof fault", "bridge local", "gpu cpu", "da file", "da sqlite"])
        #expect(manifest.plugins.execution.version?.text == ">=1.0 <2")
        #expect(manifest.plugins.da.map(\.path) == ["plugins.da[0]", "plugins.da[1]"])
        #expect(manifest.plugins.proof.configJSON == #"{"challenge_window_l1_blocks":20,"bond_wei":"1000"}"#)
    }

    @Test func relativePathsResolveAgainstTheManifestFolderAndKeepTheirWrittenForm() throws {
        let manifest = try load(Self.full)
        #expect(manifest.node.dataDirectory.written == "../state/demo")
        #expect(manifest.node.dataDirectory.resolved == "/srv/state/demo")
        #expect(manifest.pluginPaths.map(\.written) == ["plugins", "/opt/keel/plugins"])
        #expect(manifest.pluginPaths.map(\.resolved) == ["/srv/rollup/plugins", "/opt/keel/plugins"])
        #expect(manifest.pluginPaths.map(\.location.line) == [16, 16])
    }

    @Test func leftOutSettingsGetTheirDefaults() throws {
        let manifest = try load(Support.minimal)
        #expect(manifest.node.dataDirectory.written == ".keel/demo")
        #expect(manifest.node.dataDirectory.resolved == "/srv/rollup/.keel/demo")
        #expect(manifest.node.rpcHost == "127.0.0.1")
        #expect(manifest.node.rpcPort == 8545)
        #expect(manifest.node.blockTimeMilliseconds == 1000)
        #expect(manifest.plugins.gpu == nil)
        #expect(manifest.plugins.execution.version == nil)
        #expect(manifest.genesis.isEmpty && manifest.pluginPaths.isEmpty)
        #expect(manifest.features.isEmpty && manifest.upgrades.isEmpty)
    }

    @Test func genesisBalancesAreExactAndAddressesChecked() throws {
        let manifest = try load(Self.full)
        #expect(manifest.genesis.map(\.address.description) == [
            "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        ])
        #expect(manifest.genesis.map(\.balance) == [1_000_000_000_000_000_000_000, 5])

        let largest = Support.minimal + "genesis: { alloc: { \"0x70997970c51812dc3a010c7d01b50e0d17dc79c8\": "
            + "340282366920938463463374607431768211455 } }\n"
        #expect(try load(largest).genesis.first?.balance == UInt128.max)
    }

    @Test func genesisRefusesBadChecksumsNegativeAndTooLargeBalances() {
        let yaml = Support.minimal + """
            genesis:
              alloc:
                "0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266": 1
                "0x70997970c51812dc3a010c7d01b50e0d17dc79c8": "340282366920938463463374607431768211456"
                "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC": -1
                "0x90F79bf6EB2c4f870365E785982E1f101E93b906": 1.5
                "0x90f79bf6eb2c4f870365e785982e1f101e93b906": 2

            """
        #expect(Support.errorLines(yaml) == [
            "m.yaml:10:5: error: `0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266` in `genesis.alloc` mixes upper and lower "
                + "case but fails its EIP-55 checksum, so a digit may be mistyped; copy the address again, or write it "
                + "all in lowercase to skip the check",
            "m.yaml:11:51: error: `genesis.alloc.0x70997970c51812dc3a010c7d01b50e0d17dc79c8` is "
                + "340282366920938463463374607431768211456 wei, more than the largest balance, 2^128 - 1 = "
                + "340282366920938463463374607431768211455 wei",
            "m.yaml:12:51: error: `genesis.alloc.0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC` is negative (-1); "
                + "a balance is 0 or more wei",
            "m.yaml:13:51: error: `genesis.alloc.0x90F79bf6EB2c4f870365E785982E1f101E93b906` must be a balance in wei, "
                + "written as decimal digits (e.g. `\"1000000000000000000\"` for 1 ether), but is the number `1.5`",
            "m.yaml:14:5: error: `genesis.alloc` lists 0x90F79bf6EB2c4f870365E785982E1f101E93b906 twice (first at "
                + "line 13, column 5); give each account one entry",
        ])
    }

    @Test func featuresBecomeFlagDefinitions() throws {
        let manifest = try load(Self.full)
        #expect(manifest.features == [
            FlagDefinition(name: "batch-codec-brotli", rule: .consensus(activateAtHeight: 1000)),
            FlagDefinition(name: "priority-lane", rule: .rollout(basisPoints: 1250, subject: .sender)),
        ])
        #expect(manifest.featureLocations["priority-lane"]?.line == 19)
    }

    @Test func featureRulesAreCheckedOneByOne() {
        let yaml = Support.minimal + """
            features:
              Fast_Lane: { activate_at_height: 5 }
              both: { activate_at_height: 5, rollout_percent: 1 }
              neither: {}
              tiny: { rollout_percent: 0.125, subject: client }
              mixed: { activate_at_height: 5, subject: sender }
              full: { rollout_percent: 100, subject: recipient }

            """
        #expect(Support.errorLines(yaml) == [
            "m.yaml:9:3: error: `Fast_Lane` is not a flag name; use lowercase letters and digits in words joined by "
                + "`-`, e.g. `batch-codec-brotli`",
            "m.yaml:10:9: error: `features.both` has both `activate_at_height` and `rollout_percent`; a flag is either "
                + "a consensus flag (a height) or a rollout flag (a share of subjects), not both",
            "m.yaml:11:12: error: `features.neither` needs `activate_at_height: N` (a consensus flag) or "
                + "`rollout_percent: P` with `subject` (a rollout flag)",
            "m.yaml:12:28: error: `features.tiny.rollout_percent` must be a percentage from 0 to 100 with at most "
                + "two decimals (e.g. `12.5`), but is `0.125`",
            "m.yaml:13:35: error: `features.mixed.subject` applies only to rollout flags; a flag with "
                + "`activate_at_height` is a consensus flag and reaches every subject",
        ])
    }

    @Test func upgradesSwapSlotsFromTheirHeight() throws {
        let manifest = try load(Self.full)
        #expect(manifest.upgrades.map(\.atHeight) == [50_000, 60_000])
        #expect(manifest.upgrades.map(\.kinds) == [[.proof], [.execution, .da]])
        #expect(manifest.plugins(atHeight: 49_999).proof.plugin == "fault")
        #expect(manifest.plugins(atHeight: 50_000).proof.plugin == "stark")
        let late = manifest.plugins(atHeight: 60_000)
        #expect(late.all.map { "\($0.kind) \($0.plugin)" }
            == ["execution transfer", "sequencer single", "proof stark", "bridge local", "gpu cpu", "da dac"])
        #expect(late.execution.version?.text == "^2")
        #expect(late.da.first?.path == "upgrades[1].da")
    }

    @Test func loadReadsAFileAndResolvesPathsBesideIt() throws {
        let folder = "/tmp/keel-manifest-test-\(UInt32.random(in: 0 ... .max))"
        let path = folder + "/rollup.yaml"
        try Support.write(Support.minimal, to: path)
        defer { Support.remove(folder) }
        let loaded = try ManifestLoader.load(path: path)
        #expect(loaded.manifest.file == path)
        #expect(loaded.manifest.directory == folder)
        #expect(loaded.manifest.node.dataDirectory.resolved == folder + "/.keel/demo")
    }

    @Test func theCompleteExampleInTheReferenceLoads() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../docs/MANIFEST.md").standardizedFileURL
        let reference = try String(contentsOf: docs, encoding: .utf8)
        let section = try #require(reference.components(separatedBy: "## A complete example").last)
        let yaml = try #require(section.components(separatedBy: "```yaml\n").dropFirst().first?
            .components(separatedBy: "```").first)
        let manifest = try load(yaml)
        #expect(manifest.rollup.mode == .optimistic)
        #expect(manifest.plugins.all.count == 7)
        #expect(manifest.features.count == 2)
        #expect(manifest.plugins(atHeight: 50_000).proof.version?.text == "^2")
    }
}
