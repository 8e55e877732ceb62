import Foundation
import KeelKernel
import Testing

/// `keel new rollup`: a manifest per mode that loads, keeps the mode's promise, and that `keel
/// validate` checks, naming every plugin that is not built yet.
@Suite struct NewRollupTests {
    static let expectedPlugins: [String: [String]] = [
        "zk": ["execution transfer", "sequencer single", "da sqlite", "proof stark", "bridge local"],
        "optimistic": ["execution transfer", "sequencer single", "da sqlite", "proof fault", "bridge local"],
        "validium": ["execution transfer", "sequencer single", "da dac", "proof stark", "bridge local"],
        "optimium": ["execution transfer", "sequencer single", "da dac", "proof fault", "bridge local"],
        "hybrid": ["execution transfer", "sequencer single", "da sqlite", "proof hybrid", "bridge local"],
        "attested": ["execution transfer", "sequencer single", "da sqlite", "proof attest", "bridge local"],
    ]

    @Test(arguments: RollupMode.allCases)
    func eachModeWritesAManifestThatValidationChecks(mode: RollupMode) throws {
        let folder = try KeelProcess.temporaryFolder("rollup-\(mode)")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/chains/\(mode)-chain.yaml"

        let written = try KeelProcess.keel(["new", "rollup", "--mode", mode.rawValue, "--output", file, "--chain-id", "4242"])
        #expect(written.status == 0, "\(written.transcript)")
        let plugins = try #require(Self.expectedPlugins[mode.rawValue])
        #expect(written.output.contains("wrote \(file): a \(mode) rollup named \(mode)-chain (chain id 4242) with plugins "
                                        + plugins.joined(separator: ", ")))
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("  mode: \(mode)\n"))
        #expect(text.contains("  chain_id: 4242\n"))
        #expect(text.contains("  name: \(mode)-chain\n"))

        // It loads as a manifest: every slot filled as the plan says.
        let loaded = try ManifestLoader.load(path: file)
        let manifest = loaded.manifest
        #expect(manifest.rollup.mode == mode)
        #expect(manifest.rollup.chainID == 4242)
        let named = [manifest.plugins.execution, manifest.plugins.sequencer] + manifest.plugins.da
            + [manifest.plugins.proof, manifest.plugins.bridge]
        #expect(named.map { "\($0.kind) \($0.plugin)" } == plugins)

        // Validation names each plugin that is not built (and only those).
        let available = Set(try PluginListingJSON.list().plugins.map { "\($0.kind) \($0.name)" })
        let validated = try KeelProcess.keel(["validate", file])
        let missing = plugins.filter { !available.contains($0) }
        if !missing.isEmpty { #expect(validated.status == 1, "\(validated.transcript)") }
        for plugin in plugins {
            let parts = plugin.split(separator: " ")
            let complaint = "error: no \(parts[0]) plugin named `\(parts[1])`"
            #expect(validated.error.contains(complaint) == missing.contains(plugin), "\(plugin): \(validated.transcript)")
        }
    }

    @Test func anExistingFileIsKeptUnlessForced() throws {
        let folder = try KeelProcess.temporaryFolder("rollup-force")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/rollup.yaml"
        try Data("mine\n".utf8).write(to: URL(fileURLWithPath: file))

        let refused = try KeelProcess.keel(["new", "rollup", "--mode", "zk", "--output", file])
        #expect(refused.status == 1)
        #expect(refused.error == "keel new rollup: \(file) already exists; pass --force to overwrite it\n")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "mine\n")

        let forced = try KeelProcess.keel(["new", "rollup", "--mode", "zk", "--output", file, "--force", "--name", "demo"])
        #expect(forced.status == 0, "\(forced.transcript)")
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("  name: demo\n"))
    }

    @Test func anUnknownModeIsRefused() throws {
        let folder = try KeelProcess.temporaryFolder("rollup-mode")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try KeelProcess.keel(["new", "rollup", "--mode", "sovereign", "--output", folder + "/r.yaml"])
        #expect(result.status == 1)
        #expect(result.error == "keel new rollup: unknown mode \"sovereign\"; expected one of: "
                + "zk, optimistic, validium, optimium, hybrid, attested\n")
        #expect(!FileManager.default.fileExists(atPath: folder + "/r.yaml"))
    }

    @Test func aNameTheManifestWouldRefuseIsRefused() throws {
        let folder = try KeelProcess.temporaryFolder("rollup-name")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try KeelProcess.keel(["new", "rollup", "--mode", "zk", "--output", folder + "/r.yaml", "--name", "my chain"])
        #expect(result.status == 1)
        #expect(result.error == "keel new rollup: \"my chain\" is not a valid rollup name; use letters, digits, '-', '_' "
                + "and '.' (not first), as it names folders\n")
    }
}
