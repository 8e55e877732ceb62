import Foundation
import KeelKernel
import KeelPluginTesting
import Testing

/// Runs the conformance suite of a library's kind against it, with the config its template needs.
enum PluginConformanceRun {
    /// The broken rules of the library at `path`, of kind `kind`, made from the `language`
    /// template. `folder` is scratch space for its files (DA blobs, key files).
    static func failures(kind: PluginKind, language: String, path: String, folder: String) throws -> [ConformanceFailure] {
        let config = try templateConfig(kind: kind, language: language, folder: folder)
        return try ConformanceSuite.run(kind: kind, path: path, configJSON: config, dataDirectory: folder + "/data",
                                        storageFolders: [folder + "/blobs"])
    }

    /// The config each template documents: a blob folder for DA, a secret or key file for the
    /// plugins that sign (a C template reads a shared secret, a Swift one a secp256k1 key).
    static func templateConfig(kind: PluginKind, language: String, folder: String) throws -> String {
        switch kind {
        case .da:
            return #"{"dir": "\#(folder)/blobs"}"#
        case .sequencer, .proof:
            let file = folder + "/\(kind).key"
            try KeelProcess.writeSecret("0x" + String(repeating: "4b", count: 32) + "\n", to: file)
            let key = language == "c" ? "secret_file" : "key_file"
            return #"{"\#(key)": "\#(file)"}"#
        case .execution, .gpu, .bridge:
            return "{}"
        }
    }
}
