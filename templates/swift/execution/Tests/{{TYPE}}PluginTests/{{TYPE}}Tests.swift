import Foundation
import KeelKernel
import KeelPluginTesting
import Testing

/// Keel's rules for execution VMs, checked through the same loader the kernel uses. Run `swift build`
/// first: the suite loads the library it made. Add tests of your VM's real transactions here.
@Suite struct {{TYPE}}Tests {
    static let library = PluginUnderTest.buildDirectory + "/libkeel-execution-{{NAME}}.so"

    @Test func keepsTheRulesOfAnExecutionVM() throws {
        try #require(FileManager.default.fileExists(atPath: Self.library), "run `swift build` first: no \(Self.library)")
        let failures = ExecutionConformance.run(ExecutionClient(try PluginUnderTest.create(path: Self.library)))
        #expect(failures.isEmpty, "\(failures)")
    }
}
