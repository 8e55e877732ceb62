import Foundation
import KeelKernel
import Testing

/// Every error a manifest alone can show reads `FILE:LINE:COL: error: MESSAGE`, with the line and
/// column of the value at fault.
@Suite struct ManifestErrorTests {
    typealias Support = ManifestTestSupport

    @Test func theMinimalManifestLoads() throws {
        let loaded = try ManifestLoader.parse(yaml: Support.minimal, file: Support.file, directory: Support.directory)
        #expect(loaded.warnings == [])
        #expect(loaded.manifest.rollup.name == "demo")
    }

    @Test func yamlSyntaxErrorsHaveAPosition() {
        let yaml = """
            rollup: { name: demo, chain_id: 901, mode: zk }
            plugins:
              execution: { plugin: transfer
              sequencer: { plugin: single }
            """
        #expect(Support.errorLines(yaml) == [
            "m.yaml:4:12: error: invalid YAML: did not find expected ',' or '}' (while parsing a flow mapping at 3:14)",
        ])
    }

    @Test func badIndentationIsASyntaxError() {
        let yaml = "rollup:\n  name: demo\n chain_id: 901\n"
        #expect(Support.errorLines(yaml) == [
            "m.yaml:3:2: error: invalid YAML: did not find expected key (while parsing a block mapping at 1:1)",
        ])
    }

    @Test func tabsAndUnclosedQuotesAreSyntaxErrors() {
        #expect(Support.errorLines("rollup:\n\tname: demo\n") == [
            "m.yaml:2:1: error: invalid YAML: a tab where YAML allows only spaces; indent with spaces",
        ])
        #expect(Support.errorLines("rollup: { name: \"demo }\nplugins: {}\n") == [
            "m.yaml:1:17: error: invalid YAML: the file ends while scanning a quoted scalar that starts here",
        ])
    }

    @Test func theRootMustBeAMapping() {
        #expect(Support.errorLines("- rollup\n- plugins\n") == [
            "m.yaml:1:1: error: the manifest must be a mapping of sections (`rollup:`, `plugins:`, …), but is a list",
        ])
    }

    @Test func duplicateKeysAreReported() {
        let yaml = Support.minimal + "rollup: { name: other, chain_id: 1, mode: zk }\n"
        #expect(Support.errorLines(yaml) == [
            "m.yaml:1:1: error: duplicate key `rollup` in one mapping; keep only one of each",
        ])
    }

    @Test func unknownKeysSuggestTheClosestKnownKey() {
        let yaml = """
            rollup: { name: demo, chian_id: 901, mode: optimistic }
            plugins:
              execution: { plugin: transfer }
              sequencer: { plugin: single }
              da: { plugin: sqlite, confg: {} }
              proof: { plugin: fault }
              bridge: { plugin: local }
            featurse: {}
            colour: blue
            """
        #expect(Support.errorLines(yaml) == [
            "m.yaml:1:9: error: `rollup` is missing the required key `chain_id`",
            "m.yaml:1:23: error: unknown key `chian_id` in `rollup`; did you mean `chain_id`?",
            "m.yaml:5:25: error: unknown key `confg` in `plugins.da`; did you mean `config`?",
            "m.yaml:8:1: error: unknown key `featurse` at the top level; did you mean `features`?",
            "m.yaml:9:1: error: unknown key `colour` at the top level; expected one of `rollup`, `node`, `genesis`, "
                + "`plugins`, `plugin_paths`, `features`, `upgrades`",
        ])
    }

    @Test func wrongTypesSayWhatWasExpectedAndFound() {
        let yaml = """
            rollup: { name: demo, chain_id: "901", mode: optimistic }
            node: { rpc: { port: 70000 }, block_time_ms: fast }
            plugins:
              execution: transfer
              sequencer: { plugin: single }
              da: { plugin: sqlite }
              proof: { plugin: fault, config: [1, 2] }
              bridge: { plugin: local }
            plugin_paths: plugins
            """
        #expect(Support.errorLines(yaml) == [
            "m.yaml:1:33: error: `rollup.chain_id` must be a whole number, but is the string `901`; write it without quotes",
            "m.yaml:2:22: error: `node.rpc.port` must be from 0 to 65535, but is 70000",
            "m.yaml:2:46: error: `node.block_time_ms` must be a whole number, but is the string `fast`",
            "m.yaml:4:14: error: `plugins.execution` must be a slot `{ plugin: NAME }`, but is the string `transfer`",
            "m.yaml:7:35: error: `plugins.proof.config` must be a mapping (the plugin's settings), but is a list",
            "m.yaml:9:15: error: `plugin_paths` must be a list of folders, but is the string `plugins`",
        ])
    }

    @Test func missingRequiredFieldsPointAtTheMappingThatLacksThem() {
        let yaml = """
            rollup:
              name: demo
              mode: zk
            plugins:
              execution: { plugin: transfer }
              sequencer: { version: "^1" }
              proof: { plugin: fault }
              bridge: { plugin: local }
            """
        #expect(Support.errorLines(yaml) == [
            "m.yaml:2:3: error: `rollup` is missing the required key `chain_id`",
            "m.yaml:5:3: error: `plugins` is missing the required key `da`",
            "m.yaml:6:14: error: `plugins.sequencer` is missing the required key `plugin`",
        ])
    }

    @Test func aMissingSectionPointsAtTheFileStart() {
        #expect(Support.errorLines("rollup: { name: demo, chain_id: 901, mode: zk }\n") == [
            "m.yaml:1:1: error: the manifest is missing the required key `plugins`",
        ])
        #expect(Support.errorLines("") == [
            "m.yaml:1:1: error: the manifest is empty; it needs at least `rollup` and `plugins` (see docs/MANIFEST.md)",
        ])
    }

    @Test func badVersionConstraintsPointAtTheConstraint() {
        let yaml = """
            rollup: { name: demo, chain_id: 901, mode: optimistic }
            plugins:
              execution: { plugin: transfer, version: ">=1.0 <<2" }
              sequencer: { plugin: single, version: "1.2.3.4" }
              da: { plugin: sqlite, version: "" }
              proof: { plugin: fault }
              bridge: { plugin: local }
            """
        #expect(Support.errorLines(yaml) == [
            "m.yaml:3:43: error: `plugins.execution.version` is not a valid version constraint: `<<2` does not start "
                + "with a known comparison (`>=`, `>`, `<=`, `<`, `=`, `^`, `~`); write e.g. `>=1.0 <2`, `^1.2`, "
                + "`~1.2.3`, `1.2.3` or `*`",
            "m.yaml:4:41: error: `plugins.sequencer.version` is not a valid version constraint: `1.2.3.4` is not a "
                + "version: write MAJOR.MINOR.PATCH (`1.2.0`) or leave out the last numbers (`1.2`, `1`)",
            "m.yaml:5:34: error: `plugins.da.version` is not a valid version constraint: the version constraint is "
                + "empty; write `*` to accept any version",
        ])
    }

    @Test func badModesSuggestTheIntendedOne() {
        let yaml = Support.minimal.replacingOccurrences(of: "mode: optimistic", with: "mode: validum")
        #expect(Support.errorLines(yaml) == [
            "m.yaml:1:44: error: `rollup.mode` is `validum`, which is not a rollup mode; did you mean `validium`?",
        ])
    }

    @Test func severalErrorsInOneFileAreAllReportedInFileOrder() {
        let yaml = """
            rollup: { name: demo, chain_id: 0, mode: rollup }
            node: { data_dir: "", rpc: { hots: localhost } }
            genesis:
              alloc:
                "0xnothex": 1
            plugins:
              execution: { plugin: Transfer }
              sequencer: { plugin: single }
              da: []
              proof: { plugin: fault }
              bridge: { plugin: local }
            features:
              fast-lane: { rollout_percent: 150, subject: everyone }
            upgrades:
              - { at_height: 100, proof: { plugin: stark } }
              - { at_height: 50 }
            """
        let lines = Support.errorLines(yaml)
        #expect(lines == [
            "m.yaml:1:33: error: `rollup.chain_id` must be from 1 to 18446744073709551615, but is 0",
            "m.yaml:1:42: error: `rollup.mode` is `rollup`, which is not a rollup mode; expected one of `zk`, "
                + "`optimistic`, `validium`, `optimium`, `hybrid`, `attested`",
            "m.yaml:2:19: error: `node.data_dir` is empty; give it a value",
            "m.yaml:2:30: error: unknown key `hots` in `node.rpc`; did you mean `host`?",
            "m.yaml:5:5: error: `0xnothex` in `genesis.alloc` is not an address; write `0x` followed by 40 hex digits",
            "m.yaml:7:24: error: `plugins.execution.plugin` is `Transfer`; plugin names are lowercase letters, "
                + "digits and `-` (e.g. `sqlite`)",
            "m.yaml:9:7: error: `plugins.da` lists no DA plugin; name at least one",
            "m.yaml:13:33: error: `features.fast-lane.rollout_percent` must be a percentage from 0 to 100 with at "
                + "most two decimals (e.g. `12.5`), but is `150`",
            "m.yaml:13:47: error: `features.fast-lane.subject` is `everyone`, which is not a rollout subject; "
                + "expected one of `sender`, `recipient`, `client`",
            "m.yaml:16:5: error: `upgrades[1]` replaces no plugin; add a slot such as `proof: { plugin: NAME }`",
        ])
    }

    @Test func upgradeHeightsMustIncreaseStrictly() {
        let yaml = Support.minimal + """
            upgrades:
              - { at_height: 100, proof: { plugin: stark } }
              - { at_height: 100, da: [{ plugin: file }, { plugin: sqlite }] }

            """
        #expect(Support.errorLines(yaml) == [
            "m.yaml:10:18: error: `upgrades[1].at_height` is 100, but upgrades must come in strictly increasing "
                + "height order and the one before is at 100 (line 9)",
        ])
    }

    @Test func loadingAMissingFileNamesIt() {
        #expect(throws: ManifestError.self) { try ManifestLoader.load(path: "/nonexistent/keel.yaml") }
        do {
            _ = try ManifestLoader.load(path: "/nonexistent/keel.yaml")
        } catch {
            #expect(error.description == "/nonexistent/keel.yaml:1:1: error: cannot open the manifest: there is no such file")
        }
    }
}
