import Foundation
import KeelKernel
import KeelPluginTesting
import Testing

/// Keel's rules for GPU backends, checked through the same loader the kernel uses. Run `swift build`
/// first: the suite loads the library it made. Add tests of your own backend's behaviour here.
@Suite struct {{TYPE}}Tests {
    static let library = PluginUnderTest.buildDirectory + "/libkeel-gpu-{{NAME}}.so"

    @Test func keepsTheRulesOfAGPUBackend() throws {
        try #require(FileManager.default.fileExists(atPath: Self.library), "run `swift build` first: no \(Self.library)")
        let failures = GPUConformance.run(GPUClient(try PluginUnderTest.create(path: Self.library)))
        #expect(failures.isEmpty, "\(failures)")
    }
}
