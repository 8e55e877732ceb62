import Foundation
import KeelKernel
import KeelPluginTesting
import Testing

@Suite struct PluginSearchPathTests {
    @Test func theOrderIsExecutableFolderThenManifestPathsThenEnvironment() {
        let path = PluginSearchPath.standard(manifestPluginPaths: ["/srv/keel/plugins", "/opt/a"],
                                             environment: ["KEEL_PLUGIN_PATH": "/opt/b:/opt/a::/opt/c"])
        #expect(path.directories == [PluginUnderTest.buildDirectory, "/srv/keel/plugins", "/opt/a", "/opt/b", "/opt/c"])
    }

    @Test func librariesInEachFolderAreFound() throws {
        let manifestFolder = try FixtureLibraries.temporaryFolder("manifest-plugins")
        let environmentFolder = try FixtureLibraries.temporaryFolder("env-plugins")
        try FixtureLibraries.compile("libkeel-da-first.so", in: manifestFolder, defines: ["FIXTURE_NAME=\"first\""])
        try FixtureLibraries.compile("libkeel-da-second.so", in: environmentFolder, defines: ["FIXTURE_NAME=\"second\""])
        // Only files named libkeel-*.so are candidates.
        try FixtureLibraries.compile("libother.so", in: environmentFolder, defines: ["FIXTURE_NAME=\"third\""])
        let catalog = PluginCatalog(searchPath: .standard(manifestPluginPaths: [manifestFolder],
                                                          environment: ["KEEL_PLUGIN_PATH": environmentFolder]))
        #expect(try catalog.resolve(kind: .da, name: "first", constraint: nil).get().path == "\(manifestFolder)/libkeel-da-first.so")
        #expect(try catalog.resolve(kind: .da, name: "second", constraint: nil).get().path == "\(environmentFolder)/libkeel-da-second.so")
        #expect(catalog.resolve(kind: .da, name: "third", constraint: nil).failure != nil)
    }
}
