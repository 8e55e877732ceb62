import Foundation
import KeelKernel

/// Inline manifests for the manifest tests, parsed as `m.yaml` in `/srv/rollup`.
enum ManifestTestSupport {
    static let file = "m.yaml"
    static let directory = "/srv/rollup"

    /// The smallest manifest that loads: five required slots.
    static let minimal = """
        rollup: { name: demo, chain_id: 901, mode: optimistic }
        plugins:
          execution: { plugin: transfer }
          sequencer: { plugin: single }
          da: { plugin: sqlite }
          proof: { plugin: fault }
          bridge: { plugin: local }

        """

    /// Parses `yaml`; the manifest, or the error's lines.
    static func parse(_ yaml: String) -> Result<LoadedManifest, ManifestError> {
        do {
            return .success(try ManifestLoader.parse(yaml: yaml, file: file, directory: directory))
        } catch {
            return .failure(error)
        }
    }

    /// The `FILE:LINE:COL: error: MESSAGE` lines for `yaml`, or `[]` if it loads.
    static func errorLines(_ yaml: String) -> [String] {
        switch parse(yaml) {
        case .success: []
        case .failure(let error): error.diagnostics.map(\.description)
        }
    }

    /// Writes `text` to `path`, creating its folder.
    static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Removes `folder` and what it holds, if it exists.
    static func remove(_ folder: String) {
        try? FileManager.default.removeItem(atPath: folder)
    }
}
