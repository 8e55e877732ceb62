import Foundation
import KeelKernel
import KeelPluginTesting
import Testing

/// Keel's rules for sequencers, checked through the same loader the kernel uses. Run `swift build`
/// first: the suite loads the library it made. Add tests of your own sequencer's behaviour here.
@Suite struct {{TYPE}}Tests {
    static let library = PluginUnderTest.buildDirectory + "/libkeel-sequencer-{{NAME}}.so"

    @Test func keepsTheRulesOfASequencer() throws {
        try #require(FileManager.default.fileExists(atPath: Self.library), "run `swift build` first: no \(Self.library)")
        // A throwaway development key, in a file only its owner may read (as PrivateKey requires).
        let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("sequencer-{{NAME}}-\(UUID().uuidString).key").path
        defer { try? FileManager.default.removeItem(atPath: keyFile) }
        let written = FileManager.default.createFile(atPath: keyFile, contents: Data("0x\(String(repeating: "42", count: 32))\n".utf8),
                                                     attributes: [.posixPermissions: 0o600])
        try #require(written, "cannot write \(keyFile)")
        let client = SequencerClient(try PluginUnderTest.create(path: Self.library, configJSON: #"{"key_file": "\#(keyFile)"}"#))
        let failures = SequencerConformance.run(client)
        #expect(failures.isEmpty, "\(failures)")
    }
}
