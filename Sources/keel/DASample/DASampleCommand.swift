import ArgumentParser
import Foundation
import KeelCore
import KeelKernel

/// `keel da …`: the data-availability layer. `sample` checks an erasure-coded batch without
/// downloading it.
struct DACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "da",
        abstract: "Inspect the data-availability layer.",
        subcommands: [DAStatusCommand.self, DASwapCommand.self, DASampleCommand.self])
}

/// `keel da sample COMMITMENT (--manifest M | --locations L…) [--samples S]`: data-availability
/// sampling of an `erasure` batch (docs/plugins/erasure.md, "Sampling").
struct DASampleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Check random chunks of an erasure-coded batch against its commitment.",
        discussion: """
            Reads S distinct random chunks with their Merkle proofs from the erasure provider's locations, \
            verifies each against the commitment, and prints the confidence that the whole batch is available: \
            if fewer than k chunks were available, each sample would hit a missing one with probability at least \
            (m+1)/n, so confidence = 1 − (1 − (m+1)/n)^S. Exits with status 1 when a sampled chunk is missing or corrupt.
            """)

    @Argument(help: "The batch's erasure commitment (0x05…, 43 bytes in hex), as the bridge records it.")
    var commitment: String

    @Option(name: .long, help: "The rollup's manifest: the locations of its `erasure` DA provider are used.")
    var manifest: String?

    @Option(name: .long, parsing: .upToNextOption,
            help: ArgumentHelp("The n = k + m locations in order (directories; spaces or commas between them).", valueName: "dir"))
    var locations: [String] = []

    @Option(name: .long, help: "How many distinct chunks to sample (at most n).")
    var samples: Int = 16

    func validate() throws {
        guard samples >= 1 else { throw ValidationError("--samples must be at least 1, not \(samples)") }
        switch (manifest, locations.isEmpty) {
        case (nil, true): throw ValidationError("give --manifest FILE (the rollup's manifest) or --locations DIR… (the n locations in order)")
        case (.some, false): throw ValidationError("give --manifest or --locations, not both")
        default: break
        }
    }

    func run() async throws {
        try await reportingUserErrors {
            let commitment = try SampledCommitment(hex: commitment)
            let locations = try resolveLocations(for: commitment)
            let picked = Array((0..<commitment.totalChunks).shuffled().prefix(samples))
            let verdicts = picked.map { index in
                (index, ErasureChunkCheck.verdict(commitment, index: index, location: locations[index]))
            }
            let report = SampleReport(commitment: commitment, locations: locations, verdicts: verdicts, requested: samples)
            report.lines.forEach { print($0) }
            if let failure = report.failure { throw UserError(failure) }
        }
    }

    /// `--locations` as given (commas split too), or the manifest's `erasure` provider's; relative
    /// paths stay relative to the working directory, as the plugin resolves them.
    func resolveLocations(for commitment: SampledCommitment) throws(UserError) -> [String] {
        let given: [String]
        let source: String
        if let manifest {
            given = try Self.manifestLocations(manifest, commitment: commitment)
            source = "the manifest \(manifest)"
        } else {
            given = locations.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
                .filter { !$0.isEmpty }
            source = "--locations"
        }
        guard given.count == commitment.totalChunks else {
            throw UserError("keel da sample: the commitment has \(commitment.dataChunks) data and \(commitment.parityChunks) parity chunks, "
                            + "so n = \(commitment.totalChunks) locations are needed; \(source) gives \(given.count)")
        }
        return given
    }

    /// The `locations` of the manifest's `erasure` DA provider made with the commitment's k and m.
    static func manifestLocations(_ path: String, commitment: SampledCommitment) throws(UserError) -> [String] {
        let loaded: LoadedManifest
        do {
            loaded = try ManifestLoader.load(path: path)
        } catch {
            throw UserError("\(error.description)\nkeel da sample: the manifest \(path) has errors; `keel validate \(path)` checks it")
        }
        let slots = loaded.manifest.plugins.da.filter { $0.plugin == "erasure" }
        guard !slots.isEmpty else {
            throw UserError("keel da sample: the manifest \(path) has no `erasure` DA provider (its da list: "
                            + loaded.manifest.plugins.da.map(\.plugin).joined(separator: ", ") + "); pass --locations DIR… instead")
        }
        var shapes: [String] = []
        for slot in slots {
            guard let config = try? JSONSerialization.jsonObject(with: Data(slot.configJSON.utf8)) as? [String: Any] else { continue }
            let k = (config["data_chunks"] as? NSNumber)?.intValue, m = (config["parity_chunks"] as? NSNumber)?.intValue
            shapes.append("k = \(k.map(String.init) ?? "?"), m = \(m.map(String.init) ?? "?") at \(slot.path)")
            if k == commitment.dataChunks, m == commitment.parityChunks, let locations = config["locations"] as? [String] {
                return locations
            }
        }
        throw UserError("keel da sample: the commitment was made with k = \(commitment.dataChunks), m = \(commitment.parityChunks), "
                        + "but the manifest's erasure providers have " + shapes.joined(separator: "; ") + "; pass --locations DIR… instead")
    }
}
