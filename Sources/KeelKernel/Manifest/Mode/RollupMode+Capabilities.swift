extension RollupMode {
    /// Whether the mode needs each kind of proof, and whether it promises off-chain data.
    private var needsValidityProof: Bool { [.zk, .validium, .hybrid].contains(self) }
    private var needsFaultProof: Bool { [.optimistic, .optimium, .hybrid].contains(self) }
    private var needsAttestation: Bool { self == .attested }
    private var needsOffchainData: Bool { [.validium, .optimium].contains(self) }

    /// The problems with making this mode from the given proof and DA plugins (primary DA first).
    ///
    /// - zk needs `proof:validity`; optimistic `proof:fault`; hybrid both; attested `proof:attestation`;
    /// - validium needs `proof:validity` — or `proof:attestation`, a committee-attested validium —
    ///   and optimium `proof:fault`, both with a primary DA that declares `da:offchain`;
    /// - zk, optimistic and hybrid with any off-chain DA get a warning: the data is off-chain.
    ///
    /// Each diagnostic points at `location` (the `mode:` value) and names the plugin and what it
    /// declares. `upgradeHeight` says the plugins are those serving from that upgrade on.
    public func diagnostics(proof: DeclaredCapabilities, da: [DeclaredCapabilities], at location: SourceLocation,
                            upgradeHeight: UInt64? = nil) -> [ManifestDiagnostic] {
        let when = upgradeHeight.map { " from the upgrade at height \($0) on" } ?? ""
        var found: [ManifestDiagnostic] = []
        var neededProofs: [String] = []
        if needsValidityProof { neededProofs.append(DeclaredCapabilities.validityProof) }
        if needsFaultProof { neededProofs.append(DeclaredCapabilities.faultProof) }
        if needsAttestation { neededProofs.append(DeclaredCapabilities.attestationProof) }
        // A validium may prove its transitions by a committee's attestation instead (docs/MANIFEST.md).
        if self == .validium, proof.declares(DeclaredCapabilities.attestationProof) {
            neededProofs.removeAll { $0 == DeclaredCapabilities.validityProof }
        }
        for token in neededProofs where !proof.declares(token) {
            found.append(.error(at: location,
                "mode `\(self)` needs a proof plugin that declares \(token), but `\(proof.plugin)`\(when) "
                + "\(proof.declaredPhrase(prefix: "proof")); choose another proof plugin or another mode"))
        }
        if needsOffchainData {
            if let primary = da.first, !primary.declares(DeclaredCapabilities.offchainData) {
                found.append(.error(at: location,
                    "mode `\(self)` keeps data off-chain, but the primary DA plugin `\(primary.plugin)`\(when) does not "
                    + "declare da:offchain; put an off-chain DA first in `plugins.da`, or use mode `\(onchainCounterpart)`"))
            }
        } else if self != .attested {
            for provider in da where provider.declares(DeclaredCapabilities.offchainData) {
                found.append(.warning(at: location,
                    "mode `\(self)` with DA plugin `\(provider.plugin)`\(when), which declares da:offchain: the data is "
                    + "off-chain: this is \(offchainName) in all but name"))
            }
        }
        return found
    }

    private var onchainCounterpart: String {
        self == .validium ? "zk" : "optimistic"
    }

    private var offchainName: String {
        switch self {
        case .zk: "a validium"
        case .optimistic: "an optimium"
        default: "a validium/optimium"
        }
    }
}
