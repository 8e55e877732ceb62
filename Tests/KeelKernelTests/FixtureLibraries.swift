import Foundation
import KeelPluginTesting

/// The fixture DA plugin in C (Fixtures/fixture_plugin.c), built with `cc` in the variants the
/// loader's tests need.
enum FixtureLibraries {
    static let fixtureSource = TestProcess.repositoryRoot + "/Tests/KeelKernelTests/Fixtures/fixture_plugin.c"

    static func temporaryFolder(_ label: String) throws -> String {
        try TestProcess.temporaryFolder(label)
    }

    /// Compiles the fixture with `defines` into `folder/fileName`.
    @discardableResult
    static func compile(_ fileName: String, in folder: String, defines: [String] = []) throws -> String {
        try TestProcess.compileCPlugin(fixtureSource, to: fileName, in: folder, defines: defines)
    }
}
