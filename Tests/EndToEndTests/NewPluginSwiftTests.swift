import Foundation
import KeelKernel
import KeelPluginTesting
import Testing

/// `keel new plugin --lang swift`: the project is its own SwiftPM package that depends on this
/// repository by path, builds as it is, is listed by `keel plugins --path`, and conforms.
/// One kind only: the package builds KeelCore and its dependencies from scratch, minutes on 2 cores.
@Suite struct NewPluginSwiftTests {
    @Test(.timeLimit(.minutes(30)))
    func aGeneratedSwiftDAPluginBuildsListsAndConforms() throws {
        let folder = try KeelProcess.temporaryFolder("swift-da")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let project = folder + "/project"
        let name = "swift-store"

        let created = try KeelProcess.keel(["new", "plugin", "--kind", "da", "--name", name, "--lang", "swift", "--output", project])
        #expect(created.status == 0, "\(created.transcript)")
        #expect(created.output.contains("swift build --package-path \(project)"))
        let manifest = try String(contentsOfFile: project + "/Package.swift", encoding: .utf8)
        #expect(manifest.contains(#".package(path: "\#(KeelProcess.repositoryRoot)")"#))
        #expect(manifest.contains(#".library(name: "keel-da-\#(name)", type: .dynamic, targets: ["SwiftStoreDAPlugin"])"#))
        #expect(FileManager.default.fileExists(atPath: project + "/Sources/SwiftStoreDAPlugin/SwiftStoreDA.swift"))

        let scratch = folder + "/build"
        let built = try KeelProcess.tool("swift", ["build", "--package-path", project, "--scratch-path", scratch])
        try #require(built.status == 0, "swift build failed: \(built.transcript)")
        let products = scratch + "/debug"
        let library = products + "/libkeel-da-\(name).so"
        #expect(FileManager.default.fileExists(atPath: library))

        let listing = try PluginListingJSON.list(paths: [products])
        let listed = listing.plugins.first { $0.kind == "da" && $0.name == name }
        #expect(listed?.version == "0.1.0")
        #expect(listed?.capabilities == ["thread-safe", "da:offchain"])
        #expect(listed.map { URL(fileURLWithPath: $0.file).resolvingSymlinksInPath().path }
                == URL(fileURLWithPath: library).resolvingSymlinksInPath().path)

        let failures = try PluginConformanceRun.failures(kind: .da, language: "swift", path: library, folder: folder)
        #expect(failures.isEmpty, "\(failures)")
    }
}
