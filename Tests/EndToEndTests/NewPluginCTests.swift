import Foundation
import KeelKernel
import KeelPluginTesting
import Testing

/// `keel new plugin --lang c` for every kind: the project builds with `make` as it is, `keel plugins
/// --path` lists the library, and it keeps every rule of its kind's conformance suite.
@Suite struct NewPluginCTests {
    @Test(arguments: PluginKind.allCases)
    func aGeneratedCPluginBuildsListsAndConforms(kind: PluginKind) throws {
        let folder = try KeelProcess.temporaryFolder("c-\(kind)")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let project = folder + "/project"
        let name = "c-\(kind)-e2e"

        let created = try KeelProcess.keel(["new", "plugin", "--kind", kind.description, "--name", name, "--lang", "c", "--output", project])
        #expect(created.status == 0, "\(created.transcript)")
        #expect(created.output.contains("created the c \(kind) plugin \"\(name)\" in \(project)"))
        #expect(created.output.contains("make -C \(project)"))
        let files = try FileManager.default.contentsOfDirectory(atPath: project).sorted()
        #expect(files == [".gitignore", "Makefile", "\(name).c", "keccak.c", "keccak.h", "plugin_config.c", "plugin_config.h"])
        let source = try String(contentsOfFile: "\(project)/\(name).c", encoding: .utf8)
        #expect(!source.contains("{{"), "a placeholder was left in the source")
        #expect(source.contains(".name = \"\(name)\""))

        let built = try KeelProcess.tool("make", [], in: project)
        try #require(built.status == 0, "make failed: \(built.transcript)")
        #expect(!built.error.contains("warning:"), "the template builds with warnings: \(built.error)")
        let library = "\(project)/libkeel-\(kind)-\(name).so"
        #expect(FileManager.default.fileExists(atPath: library))

        let listing = try PluginListingJSON.list(paths: [project])
        #expect(listing.searched.contains(project))
        let listed = listing.plugins.first { $0.file == library }
        #expect(listed?.kind == kind.description)
        #expect(listed?.name == name)
        #expect(listed?.version == "0.1.0")
        #expect(listed?.abi == "1.2")
        #expect(listing.refused.filter { $0.file.hasPrefix(project) }.isEmpty, "\(listing.refused.map(\.reason))")

        let failures = try PluginConformanceRun.failures(kind: kind, language: "c", path: library, folder: folder)
        #expect(failures.isEmpty, "\(failures)")
    }

    /// The promise of docs/ABI.md, "Versions": a plugin of every kind built against the ABI 1.0
    /// header (kept under Tests/Fixtures/abi-1.0) loads on this kernel and keeps its kind's rules.
    @Test(arguments: PluginKind.allCases)
    func aCPluginBuiltAgainstTheABI10HeaderLoadsAndConforms(kind: PluginKind) throws {
        let folder = try KeelProcess.temporaryFolder("c10-\(kind)")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let project = folder + "/project"
        let name = "old-\(kind)"
        let created = try KeelProcess.keel(["new", "plugin", "--kind", kind.description, "--name", name, "--lang", "c", "--output", project])
        try #require(created.status == 0, "\(created.transcript)")
        // The 1.0 header has no host Keccak: the fixture's own takes the templates' Keccak API.
        let fixtures = KeelProcess.repositoryRoot + "/Tests/Fixtures/abi-1.0"
        for file in ["keccak.c", "keccak.h"] {
            try FileManager.default.removeItem(atPath: project + "/" + file)
            try FileManager.default.copyItem(atPath: fixtures + "/" + file, toPath: project + "/" + file)
        }
        let built = try KeelProcess.tool("make", ["KEEL_INCLUDE=\(fixtures)"], in: project)
        try #require(built.status == 0, "make against the 1.0 header failed: \(built.transcript)")
        let library = "\(project)/libkeel-\(kind)-\(name).so"
        let listing = try PluginListingJSON.list(paths: [project])
        #expect(listing.plugins.first { $0.file == library }?.abi == "1.0")
        #expect(listing.refused.filter { $0.file.hasPrefix(project) }.isEmpty, "\(listing.refused.map(\.reason))")
        let failures = try PluginConformanceRun.failures(kind: kind, language: "c", path: library, folder: folder)
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func theMakefileTakesAnotherHeaderFolder() throws {
        let folder = try KeelProcess.temporaryFolder("c-include")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let project = folder + "/project"
        let created = try KeelProcess.keel(["new", "plugin", "--kind", "gpu", "--name", "moved", "--lang", "c", "--output", project])
        try #require(created.status == 0, "\(created.transcript)")
        let makefile = try String(contentsOfFile: project + "/Makefile", encoding: .utf8)
        #expect(makefile.contains("KEEL_INCLUDE ?= \(KeelProcess.repositoryRoot)/Sources/KeelABI/include"))

        let wrong = try KeelProcess.tool("make", ["KEEL_INCLUDE=\(folder)/nowhere"], in: project)
        #expect(wrong.status != 0)
        #expect(wrong.error.contains("no keel_plugin.h in \(folder)/nowhere"))

        let header = folder + "/include"
        try FileManager.default.createDirectory(atPath: header, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: KeelProcess.repositoryRoot + "/Sources/KeelABI/include/keel_plugin.h",
                                         toPath: header + "/keel_plugin.h")
        let built = try KeelProcess.tool("make", ["KEEL_INCLUDE=\(header)"], in: project)
        #expect(built.status == 0, "\(built.transcript)")
        #expect(FileManager.default.fileExists(atPath: project + "/libkeel-gpu-moved.so"))
    }
}
