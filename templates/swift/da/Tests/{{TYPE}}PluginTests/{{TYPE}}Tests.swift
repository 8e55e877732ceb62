import Foundation
import KeelKernel
import KeelPluginTesting
import Testing

/// Keel's rules for DA providers, checked through the same loader the kernel uses. Run `swift build`
/// first: the suite loads the library it made. Add tests of your own provider's behaviour here.
@Suite struct {{TYPE}}Tests {
    static let library = PluginUnderTest.buildDirectory + "/libkeel-da-{{NAME}}.so"

    @Test func keepsTheRulesOfADAProvider() throws {
        try #require(FileManager.default.fileExists(atPath: Self.library), "run `swift build` first: no \(Self.library)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("da-{{NAME}}-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = #"{"dir": "\#(folder)"}"#
        let client = DAClient(try PluginUnderTest.create(path: Self.library, configJSON: config))
        let failures = DAConformance.run(client) {
            DAClient(try PluginUnderTest.create(path: Self.library, configJSON: config))
        }
        #expect(failures.isEmpty, "\(failures)")
    }
}
