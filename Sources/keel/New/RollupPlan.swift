import KeelKernel

/// The plugins `keel new rollup` puts in each slot for a mode, with the comments that explain
/// them. Every choice keeps the mode's promise as the kernel checks it (docs/MANIFEST.md): a
/// validity proof for zk and validium, a fault proof for optimistic and optimium, both for hybrid,
/// attestations for attested, and an off-chain DA first for validium and optimium.
struct RollupPlan {
    let mode: RollupMode

    /// The DA slots, primary first.
    var daPlugins: [String] {
        switch mode {
        case .validium, .optimium: ["dac"]
        case .zk, .optimistic, .hybrid, .attested: ["sqlite"]
        }
    }

    /// The proof plugin.
    var proofPlugin: String {
        switch mode {
        case .zk, .validium: "stark"
        case .optimistic, .optimium: "fault"
        case .hybrid: "hybrid"
        case .attested: "attest"
        }
    }

    /// Every plugin the manifest names, by kind, in manifest order.
    var plugins: [(kind: PluginKind, name: String)] {
        [(.execution, "transfer"), (.sequencer, "single")] + daPlugins.map { (PluginKind.da, $0) }
            + [(.proof, proofPlugin), (.bridge, "local")]
    }

    /// One line on what the mode means.
    var summary: String {
        switch mode {
        case .zk: "zk: each batch is final once a validity proof of it verifies; batch data is kept where every node can fetch it."
        case .optimistic: "optimistic: each batch is final once its challenge window passes without a successful fault proof."
        case .validium: "validium: validity proofs, with batch data held off-chain by a data availability committee."
        case .optimium: "optimium: fault proofs, with batch data held off-chain by a data availability committee."
        case .hybrid: "hybrid: each batch is final at the first of a validity proof or an unchallenged window."
        case .attested: "attested: each batch is final once enough attestors re-execute it and sign the transition."
        }
    }

    /// The `da:` lines of `plugins:`, indented two spaces, with comments.
    var daSlot: String {
        switch mode {
        case .validium, .optimium:
            """
              # da: where batch data lives. A validium or optimium keeps it off-chain, so the primary DA must
              # declare da:offchain: `dac` is a data availability committee (its members go in its config).
              da: { plugin: dac }
            """
        case .zk, .optimistic, .hybrid, .attested:
            """
              # da: where batch data lives. `sqlite` keeps blobs in a local SQLite file, for development;
              # list several as `da: [ { plugin: A }, { plugin: B } ]` to fail over in order.
              da: { plugin: sqlite }
            """
        }
    }

    /// The well-known development accounts (Anvil's and Hardhat's first three), whose keys everyone
    /// knows: attestors of a development chain only.
    static let developmentAttestors = #"["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "#
        + #""0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"]"#

    /// The `bridge:` lines of `plugins:`, indented two spaces, with comments.
    var bridgeSlot: String {
        switch mode {
        case .attested:
            """
              # bridge: the settlement layer. `local` is an embedded development L1 in a SQLite file that the
              # sequencer, followers and attestors on this machine share; it checks attestations against
              # the same committee as the proof slot.
              bridge:
                plugin: local
                config:
                  l1_db: .keel/l1.sqlite
                  committee: { members: \(Self.developmentAttestors), threshold: 2 }
            """
        case .zk, .optimistic, .validium, .optimium, .hybrid:
            """
              # bridge: the settlement layer. `local` is an embedded development L1 in a SQLite file that the
              # sequencer, followers and challengers on this machine share.
              bridge: { plugin: local, config: { l1_db: .keel/l1.sqlite } }
            """
        }
    }

    /// The `proof:` lines of `plugins:`, indented two spaces, with comments.
    var proofSlot: String {
        switch mode {
        case .zk, .validium:
            """
              # proof: how a batch is shown to be right. `stark` proves each batch with a FRI-based validity
              # proof (proof:validity); add `gpu: { plugin: cpu }` under plugins to choose its backend.
              proof: { plugin: stark }
            """
        case .optimistic, .optimium:
            """
              # proof: how a batch is shown to be right. `fault` posts each batch with a bond; anyone may
              # challenge it within the window, and a bisection game settles the dispute (proof:fault).
              proof: { plugin: fault, config: { challenge_window_l1_blocks: 20, bond_wei: "1000" } }
            """
        case .hybrid:
            """
              # proof: how a batch is shown to be right. `hybrid` finalizes at the first of a validity proof
              # or an unchallenged fault-proof window (it declares proof:validity and proof:fault).
              proof: { plugin: hybrid }
            """
        case .attested:
            """
              # proof: how a batch is shown to be right. `attest` collects k of n attestor signatures over
              # each re-executed transition (proof:attestation). REPLACE the members: these are the
              # well-known development accounts, whose keys everyone knows. An attestor node adds
              # `key_file` (its own key) to sign.
              proof:
                plugin: attest
                config:
                  members: \(Self.developmentAttestors)
                  threshold: 2
            """
        }
    }
}
