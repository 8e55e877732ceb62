import Foundation
import KeelKernel
import Testing

/// A slot's `config` reaches its plugin as JSON, and config paths a plugin reports map back to
/// manifest lines.
@Suite struct ManifestConfigTests {
    typealias Support = ManifestTestSupport

    /// A DA slot with a nested config, starting on line 4.
    static let yaml = """
        rollup: { name: demo, chain_id: 901, mode: optimium }
        plugins:
          execution: { plugin: transfer }
          da:
            plugin: dac
            config:
              threshold: 2
              members:
                - { url: "http://127.0.0.1:7001", key: keys/a.pub }
                - url: http://127.0.0.1:7002
                  key: keys/b.pub
              retry: { attempts: 3, backoff_ms: 250 }
          sequencer: { plugin: single }
          proof: { plugin: fault }
          bridge: { plugin: local }

        """

    func daSlot() throws -> PluginSlot {
        let loaded = try ManifestLoader.parse(yaml: Self.yaml, file: Support.file, directory: Support.directory)
        return try #require(loaded.manifest.plugins.da.first)
    }

    /// Paths under path keys are joined to the manifest's folder (`/srv/rollup`), so `keel up` works
    /// from any directory; other keys, absolute paths, `~` and URLs pass through.
    @Test func relativePathsInAConfigAreResolvedAgainstTheManifestsFolder() throws {
        let yaml = """
            rollup: { name: demo, chain_id: 901, mode: optimistic }
            plugins:
              execution: { plugin: transfer }
              sequencer: { plugin: single, config: { key_file: keys/sequencer.key, address: keys/not-a-path } }
              da:
                - { plugin: file, config: { dir: ../shared/./da } }
                - { plugin: sqlite, config: { path: /var/lib/da.db, nested: { blob_dir: blobs, home_file: "~/x" } } }
              proof: { plugin: fault }
              bridge: { plugin: local, config: { l1_db: .keel/l1.sqlite, url_path: "http://host/l1" } }

            """
        let plugins = try ManifestLoader.parse(yaml: yaml, file: Support.file, directory: Support.directory).manifest.plugins
        #expect(plugins.sequencer.configJSON == #"{"key_file":"/srv/rollup/keys/sequencer.key","address":"keys/not-a-path"}"#)
        #expect(plugins.da.map(\.configJSON) == [#"{"dir":"/srv/shared/da"}"#,
                                                 #"{"path":"/var/lib/da.db","nested":{"blob_dir":"/srv/rollup/blobs","home_file":"~/x"}}"#])
        #expect(plugins.bridge.configJSON == #"{"l1_db":"/srv/rollup/.keel/l1.sqlite","url_path":"http://host/l1"}"#)
    }

    @Test func configBecomesCompactJSONInFileOrder() throws {
        #expect(try daSlot().configJSON == """
            {"threshold":2,"members":[{"url":"http://127.0.0.1:7001","key":"keys/a.pub"},\
            {"url":"http://127.0.0.1:7002","key":"keys/b.pub"}],"retry":{"attempts":3,"backoff_ms":250}}
            """)
    }

    @Test func scalarsAreTypedByTheYAMLCoreSchema() throws {
        let yaml = Support.minimal.replacingOccurrences(of: "{ plugin: sqlite }", with: """
            { plugin: sqlite, config: { a: 12, b: "12", c: 0x1F, d: 0o17, e: -007, f: 1.5e3, g: .5, h: true, \
            i: "true", j: yes, k: null, l: ~, m: , n: 340282366920938463463374607431768211456, o: 'it''s', \
            p: "tab\\tquote\\"", q: [1, two, 3.0], r: 2024-01-01, s: +12, t: False } }
            """)
        let loaded = try #require(try? Support.parse(yaml).get())
        #expect(loaded.manifest.plugins.da.first?.configJSON == """
            {"a":12,"b":"12","c":31,"d":15,"e":-7,"f":1.5e3,"g":0.5,"h":true,"i":"true","j":"yes","k":null,\
            "l":null,"m":null,"n":340282366920938463463374607431768211456,"o":"it's","p":"tab\\tquote\\"",\
            "q":[1,"two",3.0],"r":"2024-01-01","s":12,"t":false}
            """)
    }

    @Test func aSlotWithoutConfigPassesAnEmptyObject() throws {
        let loaded = try #require(try? Support.parse(Support.minimal).get())
        #expect(loaded.manifest.plugins.all.map(\.configJSON) == ["{}", "{}", "{}", "{}", "{}"])
    }

    @Test func valuesJSONCannotHoldAreErrors() {
        let yaml = Support.minimal.replacingOccurrences(of: "{ plugin: fault }", with: "{ plugin: fault, config: { limit: .inf } }")
        #expect(Support.errorLines(yaml) == [
            "m.yaml:6:44: error: `plugins.proof.config.limit` is `.inf`, which JSON cannot represent; quote it to "
                + "pass it as a string",
        ])
    }

    @Test func configPathsMapToTheValueInTheManifest() throws {
        let slot = try daSlot()
        func at(_ path: String) -> String {
            let location = slot.location(ofConfigPath: path)
            return "\(location.line):\(location.column)"
        }
        #expect(at("threshold") == "7:18")
        #expect(at("members[0].url") == "9:18")
        #expect(at("members[1].url") == "10:16")
        #expect(at("members[1].key") == "11:16")
        #expect(at("retry.backoff_ms") == "12:41")
        #expect(at("members[1]") == "10:11")
    }

    @Test func missingConfigPathsFallBackToTheNearestAncestor() throws {
        let slot = try daSlot()
        func at(_ path: String) -> String {
            let location = slot.location(ofConfigPath: path)
            return "\(location.line):\(location.column)"
        }
        #expect(at("members[1].token") == "10:11", "the item that lacks the key")
        #expect(at("members[5].url") == "8:7", "the key of the list that is too short")
        #expect(at("retry.jitter") == "12:7", "the key whose mapping lacks the child")
        #expect(at("database.path") == "6:5", "nothing matches: the config key")
        #expect(at("") == "6:5")
        #expect(at("members[x") == "9:9", "a malformed path leads as far as it can be read")

        let bare = try #require(try? Support.parse(Support.minimal).get()).manifest.plugins.proof
        #expect(bare.location(ofConfigPath: "anything") == bare.location, "no config: the slot itself")
    }

    @Test func aPluginsConfigErrorPointsAtTheValueItNames() throws {
        let slot = try daSlot()
        #expect(slot.configError(path: "members[1].url", message: "the port is not reachable").description
            == "m.yaml:10:16: error: da plugin `dac` (plugins.da) refused `config.members[1].url`: the port is not reachable")
        #expect(slot.configError(path: "", message: "needs at least 3 members").description
            == "m.yaml:6:5: error: da plugin `dac` (plugins.da) refused its config: needs at least 3 members")
    }

    @Test func aPluginNotFoundPointsAtItsNameAndSuggestsAnother() throws {
        let yaml = Support.minimal.replacingOccurrences(of: "{ plugin: sqlite }", with: "[{ plugin: sqlit }, { plugin: file }]")
        let loaded = try #require(try? Support.parse(yaml).get())
        let slot = try #require(loaded.manifest.plugins.primaryDA)
        #expect(slot.pluginNotFound(searchedFolders: ["/opt/keel/bin", "/srv/rollup/plugins"],
                                    available: ["file", "sqlite"]).description
            == "m.yaml:5:18: error: no da plugin named `sqlit`: libkeel-da-sqlit.so is in none of `/opt/keel/bin`, "
                + "`/srv/rollup/plugins`; did you mean `sqlite`?")
        #expect(slot.pluginNotFound(searchedFolders: [], available: []).description
            == "m.yaml:5:18: error: no da plugin named `sqlit`: libkeel-da-sqlit.so is in no plugin folder; "
                + "build the plugin or add its folder to `plugin_paths`")
    }

    @Test func aRefusedVersionPointsAtTheConstraint() throws {
        let yaml = Support.minimal.replacingOccurrences(of: "{ plugin: transfer }", with: "{ plugin: transfer, version: \"^1.2\" }")
        let slot = try #require(try? Support.parse(yaml).get()).manifest.plugins.execution
        let found = try #require(SemanticVersion("2.0.0"))
        #expect(slot.versionRefused(found: found, libraryPath: "/opt/keel/libkeel-execution-transfer.so").description
            == "m.yaml:3:43: error: execution plugin `transfer` at `/opt/keel/libkeel-execution-transfer.so` is "
                + "version 2.0.0, which `^1.2` does not accept; install a matching build or change the constraint")
    }
}
