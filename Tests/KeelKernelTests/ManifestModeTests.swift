import KeelKernel
import Testing

/// A mode is a promise the proof and DA plugins must be able to keep.
@Suite struct ManifestModeTests {
    let mode = KeelKernel.SourceLocation(file: "m.yaml", line: 1, column: 44)

    static let fault = DeclaredCapabilities(plugin: "fault", capabilities: "proof:fault thread-safe")
    static let stark = DeclaredCapabilities(plugin: "stark", capabilities: "proof:validity")
    static let both = DeclaredCapabilities(plugin: "hybrid", capabilities: "proof:validity proof:fault")
    static let attest = DeclaredCapabilities(plugin: "attest", capabilities: "proof:attestation")
    static let sqlite = DeclaredCapabilities(plugin: "sqlite", capabilities: "thread-safe")
    static let dac = DeclaredCapabilities(plugin: "dac", capabilities: "da:offchain")

    func lines(_ mode: RollupMode, proof: DeclaredCapabilities, da: [DeclaredCapabilities],
               upgradeHeight: UInt64? = nil) -> [String] {
        mode.diagnostics(proof: proof, da: da, at: self.mode, upgradeHeight: upgradeHeight).map(\.description)
    }

    @Test func modesTheirPluginsCanMakeHaveNoFindings() {
        #expect(lines(.zk, proof: Self.stark, da: [Self.sqlite]) == [])
        #expect(lines(.optimistic, proof: Self.fault, da: [Self.sqlite]) == [])
        #expect(lines(.validium, proof: Self.stark, da: [Self.dac, Self.sqlite]) == [])
        // A committee-attested validium (manifests/validium.yaml).
        #expect(lines(.validium, proof: Self.attest, da: [Self.dac, Self.sqlite]) == [])
        #expect(lines(.optimium, proof: Self.fault, da: [Self.dac]) == [])
        #expect(lines(.hybrid, proof: Self.both, da: [Self.sqlite]) == [])
        #expect(lines(.attested, proof: Self.attest, da: [Self.sqlite]) == [])
        #expect(lines(.attested, proof: Self.attest, da: [Self.dac]) == [])
    }

    @Test func aZkRollupNeedsAValidityProof() {
        #expect(lines(.zk, proof: Self.fault, da: [Self.sqlite]) == [
            "m.yaml:1:44: error: mode `zk` needs a proof plugin that declares proof:validity, but `fault` declares "
                + "proof:fault; choose another proof plugin or another mode",
        ])
    }

    @Test func anOptimisticRollupNeedsAFaultProof() {
        #expect(lines(.optimistic, proof: Self.attest, da: [Self.sqlite]) == [
            "m.yaml:1:44: error: mode `optimistic` needs a proof plugin that declares proof:fault, but `attest` "
                + "declares proof:attestation; choose another proof plugin or another mode",
        ])
    }

    @Test func aValidiumNeedsAValidityProofAndAnOffchainPrimaryDA() {
        #expect(lines(.validium, proof: Self.stark, da: [Self.sqlite, Self.dac]) == [
            "m.yaml:1:44: error: mode `validium` keeps data off-chain, but the primary DA plugin `sqlite` does not "
                + "declare da:offchain; put an off-chain DA first in `plugins.da`, or use mode `zk`",
        ])
        let noProof = DeclaredCapabilities(plugin: "none", capabilities: "")
        #expect(lines(.validium, proof: noProof, da: [Self.dac]) == [
            "m.yaml:1:44: error: mode `validium` needs a proof plugin that declares proof:validity, but `none` "
                + "declares no proof capability; choose another proof plugin or another mode",
        ])
    }

    @Test func anOptimiumNeedsAFaultProofAndAnOffchainPrimaryDA() {
        #expect(lines(.optimium, proof: Self.stark, da: [Self.sqlite]) == [
            "m.yaml:1:44: error: mode `optimium` needs a proof plugin that declares proof:fault, but `stark` "
                + "declares proof:validity; choose another proof plugin or another mode",
            "m.yaml:1:44: error: mode `optimium` keeps data off-chain, but the primary DA plugin `sqlite` does not "
                + "declare da:offchain; put an off-chain DA first in `plugins.da`, or use mode `optimistic`",
        ])
    }

    @Test func aHybridNeedsBothKindsOfProof() {
        #expect(lines(.hybrid, proof: Self.stark, da: [Self.sqlite]) == [
            "m.yaml:1:44: error: mode `hybrid` needs a proof plugin that declares proof:fault, but `stark` "
                + "declares proof:validity; choose another proof plugin or another mode",
        ])
    }

    @Test func anAttestedRollupNeedsAttestation() {
        #expect(lines(.attested, proof: Self.both, da: [Self.sqlite]).count == 1)
        #expect(lines(.attested, proof: Self.both, da: [Self.sqlite]).first?.contains("proof:attestation") == true)
    }

    @Test func offchainDataInAnOnchainModeIsAWarning() {
        #expect(lines(.zk, proof: Self.stark, da: [Self.dac]) == [
            "m.yaml:1:44: warning: mode `zk` with DA plugin `dac`, which declares da:offchain: the data is "
                + "off-chain: this is a validium in all but name",
        ])
        #expect(lines(.optimistic, proof: Self.fault, da: [Self.sqlite, Self.dac]) == [
            "m.yaml:1:44: warning: mode `optimistic` with DA plugin `dac`, which declares da:offchain: the data is "
                + "off-chain: this is an optimium in all but name",
        ])
        let warning = RollupMode.hybrid.diagnostics(proof: Self.both, da: [Self.dac], at: mode)
        #expect(warning.map(\.severity) == [.warning])
    }

    @Test func findingsAfterAnUpgradeSaySo() {
        #expect(lines(.zk, proof: Self.fault, da: [Self.sqlite], upgradeHeight: 50_000) == [
            "m.yaml:1:44: error: mode `zk` needs a proof plugin that declares proof:validity, but `fault` from the "
                + "upgrade at height 50000 on declares proof:fault; choose another proof plugin or another mode",
        ])
    }

    @Test func theModeLocationIsKeptForTheLoader() throws {
        let loaded = try ManifestLoader.parse(yaml: ManifestTestSupport.minimal, file: "m.yaml", directory: "/srv")
        #expect(loaded.manifest.rollup.modeLocation == mode)
    }
}
