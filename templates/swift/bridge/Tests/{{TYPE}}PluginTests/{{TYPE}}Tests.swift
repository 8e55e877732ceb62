import Foundation
import KeelKernel
import KeelPluginTesting
import Testing

/// Keel's rules for settlement bridges, checked through the same loader the kernel uses. Run
/// `swift build` first: the suite loads the library it made. Add tests of your own bridge here.
@Suite struct {{TYPE}}Tests {
    static let library = PluginUnderTest.buildDirectory + "/libkeel-bridge-{{NAME}}.so"

    @Test func keepsTheRulesOfASettlementBridge() throws {
        try #require(FileManager.default.fileExists(atPath: Self.library), "run `swift build` first: no \(Self.library)")
        let failures = BridgeConformance.run(BridgeClient(try PluginUnderTest.create(path: Self.library)))
        #expect(failures.isEmpty, "\(failures)")
    }
}
