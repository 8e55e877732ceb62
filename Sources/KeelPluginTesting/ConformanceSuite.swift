import Foundation
import KeelKernel

/// The conformance suite of a library's kind, run on any built plugin library: what
/// `keel conformance` runs, and what Keel's own tests run on every plugin and template.
public enum ConformanceSuite {
    /// Opens the library at `path`, creates it with `configJSON` over `dataDirectory`, and runs its
    /// kind's suite. A DA provider is also reopened over the same storage, and its blobs are looked
    /// for (to damage them) under `dataDirectory` and `storageFolders`. Throws if the library is
    /// refused, is not of `kind`, or cannot be created; returns the broken rules.
    public static func run(kind: PluginKind, path: String, configJSON: String, dataDirectory: String,
                           storageFolders: [String] = [], note: (String) -> Void = { _ in }) throws -> [ConformanceFailure] {
        let library = try PluginLibrary.open(path).get()
        guard library.kind == kind else {
            throw PluginResolutionError("\(path) is \(library.kind.withArticle) plugin (\(library.name)), not \(kind.withArticle) plugin")
        }
        let instance = try PluginUnderTest.create(path: path, configJSON: configJSON, dataDirectory: dataDirectory)
        switch kind {
        case .execution: return ExecutionConformance.run(ExecutionClient(instance))
        case .da:
            return DAConformance.run(DAClient(instance), largestBlobToTry: 1 << 20, reopen: {
                DAClient(try PluginUnderTest.create(path: path, configJSON: configJSON, dataDirectory: dataDirectory))
            }, storageFolders: [dataDirectory] + storageFolders, note: note)
        case .proof: return ProofConformance.run(ProofClient(instance))
        case .gpu: return GPUConformance.run(GPUClient(instance))
        case .sequencer: return SequencerConformance.run(SequencerClient(instance))
        case .bridge: return BridgeConformance.run(BridgeClient(instance))
        }
    }
}
