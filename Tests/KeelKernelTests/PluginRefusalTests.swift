import Foundation
import KeelKernel
import KeelPluginTesting
import Testing

/// Every refusal of docs/ABI.md, each from a real library built for it and opened with dlopen.
@Suite struct PluginRefusalTests {
    /// Builds the fixture with `defines` and returns the loader's verdict.
    func open(_ defines: [String]) throws -> (path: String, result: Result<PluginLibrary, PluginRefusal>) {
        let folder = try FixtureLibraries.temporaryFolder("refusal")
        let path = try FixtureLibraries.compile("libkeel-da-fixture.so", in: folder, defines: defines)
        return (path, PluginLibrary.open(path))
    }

    func refusal(_ defines: [String]) throws -> String {
        let (path, result) = try open(defines)
        guard case .failure(let refusal) = result else {
            Issue.record("the library was accepted")
            return ""
        }
        #expect(refusal.path == path)
        #expect(refusal.description.hasPrefix("\(path): refused: "))
        return refusal.reason
    }

    @Test func theUnbrokenFixtureLoads() throws {
        let (_, result) = try open([])
        let library = try result.get()
        #expect(library.kind == .da)
        #expect(library.name == "fixture")
        #expect(library.version.description == "1.0.0")
        #expect(library.capabilities == ["da:offchain"])
    }

    @Test func noEntrySymbol() throws {
        #expect(try refusal(["FIXTURE_NO_ENTRY"]) == "no entry symbol `keel_plugin_entry_v1`: not a Keel plugin for ABI 1.x")
    }

    @Test func wrongMagic() throws {
        #expect(try refusal(["FIXTURE_MAGIC=0x12345678u"]) == "wrong magic 0x12345678 (expected 0x4B45454C, \"KEEL\"): not a Keel plugin descriptor")
    }

    @Test func anotherABIMajor() throws {
        #expect(try refusal(["FIXTURE_ABI_MAJOR=2"]) == "built for ABI 2.2; this kernel speaks ABI 1.2 — rebuild the plugin against this kernel's keel_plugin.h")
    }

    @Test func aNewerABIMinor() throws {
        #expect(try refusal(["FIXTURE_ABI_MINOR=3"]) == "built for ABI 1.3, newer than this kernel's ABI 1.2 — upgrade keel, or rebuild the plugin against ABI 1.2")
    }

    @Test func aTableShorterThanRequired() throws {
        #expect(try refusal(["FIXTURE_TABLE_SIZE=16"]) == "the da table is 16 bytes, shorter than the 40 bytes ABI 1.2 requires")
    }

    @Test func aNullRequiredFunction() throws {
        #expect(try refusal(["FIXTURE_NULL_SUBMIT"]) == "required function `submit` of the da table is NULL")
    }

    @Test func aVersionThatIsNotSemantic() throws {
        #expect(try refusal(["FIXTURE_VERSION=\"one\""]) == "version \"one\" is not a semantic version (MAJOR.MINOR.PATCH)")
    }

    @Test func aFileThatIsNotALibrary() throws {
        let folder = try FixtureLibraries.temporaryFolder("refusal")
        let path = (folder as NSString).appendingPathComponent("libkeel-da-text.so")
        try "not a library".write(toFile: path, atomically: true, encoding: .utf8)
        guard case .failure(let refusal) = PluginLibrary.open(path) else {
            Issue.record("a text file was accepted")
            return
        }
        #expect(refusal.reason.hasPrefix("cannot be loaded: "))
    }

    @Test func aKindThatDoesNotFitTheSlot() throws {
        let folder = try FixtureLibraries.temporaryFolder("slot")
        try FixtureLibraries.compile("libkeel-da-fixture.so", in: folder)
        let catalog = PluginCatalog(searchPath: PluginSearchPath(directories: [folder]))
        let error = try #require(catalog.resolve(kind: .execution, name: "fixture", constraint: nil).failure)
        #expect(error.message == "plugin \"fixture\" (\(folder)/libkeel-da-fixture.so) is a da plugin; the execution slot needs an execution plugin")
    }

    @Test func aVersionOutsideTheConstraint() throws {
        let folder = try FixtureLibraries.temporaryFolder("version")
        try FixtureLibraries.compile("libkeel-da-fixture.so", in: folder)
        let catalog = PluginCatalog(searchPath: PluginSearchPath(directories: [folder]))
        let constraint = try VersionConstraint(">=2.0 <3")
        let error = try #require(catalog.resolve(kind: .da, name: "fixture", constraint: constraint).failure)
        #expect(error.message == "da plugin \"fixture\" is version 1.0.0 (\(folder)/libkeel-da-fixture.so), outside the manifest's constraint \">=2.0 <3\"")
        #expect(catalog.resolve(kind: .da, name: "fixture", constraint: try VersionConstraint(">=1.0 <2")).failure == nil)
    }

    @Test func createFailingShowsThePluginsMessage() throws {
        let (_, result) = try open(["FIXTURE_CREATE_FAILS"])
        let library = try result.get()
        let services = HostServices(dataDirectory: try FixtureLibraries.temporaryFolder("create"), chainID: 901)
        #expect {
            _ = try PluginInstance(library: library, configJSON: "{}", services: services)
        } throws: { error in
            (error as? PluginCallError)?.description
                == "da fixture: create failed (unavailable): the fixture's backing service at 127.0.0.1:9 refused the connection"
        }
    }

    @Test func aConfigErrorCarriesItsPath() throws {
        let library = try open([]).result.get()
        let services = HostServices(dataDirectory: try FixtureLibraries.temporaryFolder("config"), chainID: 901)
        do {
            _ = try PluginInstance(library: library, configJSON: #"{"limits": {"bad": 1}}"#, services: services)
            Issue.record("a bad config was accepted")
        } catch {
            #expect(error.configPath == "limits.bad")
            #expect(error.message == "`bad` is not a setting of the fixture")
        }
    }

    @Test func twoLibrariesClaimingTheSameNameAreBothRefused() throws {
        let first = try FixtureLibraries.temporaryFolder("first")
        let second = try FixtureLibraries.temporaryFolder("second")
        let a = try FixtureLibraries.compile("libkeel-da-fixture.so", in: first)
        let b = try FixtureLibraries.compile("libkeel-da-fixture-copy.so", in: second)
        let catalog = PluginCatalog(searchPath: PluginSearchPath(directories: [first, second]))
        #expect(catalog.libraries.isEmpty)
        #expect(catalog.refusals.map(\.description) == [
            "\(a): refused: da plugin \"fixture\" 1.0.0 is also claimed by \(b); remove one of the two",
            "\(b): refused: da plugin \"fixture\" 1.0.0 is also claimed by \(a); remove one of the two",
        ])
        let error = try #require(catalog.resolve(kind: .da, name: "fixture", constraint: nil).failure)
        #expect(error.message.contains(a) && error.message.contains(b))
    }

    /// Two versions of one plugin are both kept (an upgrade names the new one); resolution takes the
    /// newest that satisfies the constraint, and says which versions exist when none does.
    @Test func twoVersionsOfOnePluginAreBothKeptAndChosenByConstraint() throws {
        let first = try FixtureLibraries.temporaryFolder("v1")
        let second = try FixtureLibraries.temporaryFolder("v2")
        let old = try FixtureLibraries.compile("libkeel-da-fixture.so", in: first)
        let new = try FixtureLibraries.compile("libkeel-da-fixture.so", in: second, defines: [#"FIXTURE_VERSION="1.1.0""#])
        let catalog = PluginCatalog(searchPath: PluginSearchPath(directories: [first, second]))
        #expect(catalog.refusals.isEmpty)
        #expect(try catalog.resolve(kind: .da, name: "fixture", constraint: nil).get().path == new)
        #expect(try catalog.resolve(kind: .da, name: "fixture", constraint: VersionConstraint("<1.1")).get().path == old)
        #expect(try catalog.resolve(kind: .da, name: "fixture", constraint: VersionConstraint("^1.1")).get().path == new)
        let none = try #require(catalog.resolve(kind: .da, name: "fixture", constraint: VersionConstraint(">=2")).failure)
        #expect(none.message == "da plugin \"fixture\" is found in versions 1.0.0 (\(old)), 1.1.0 (\(new)), outside the manifest's constraint \">=2\"")
    }

    @Test func notFoundListsThePathsSearched() throws {
        let first = try FixtureLibraries.temporaryFolder("empty")
        let second = try FixtureLibraries.temporaryFolder("empty")
        let catalog = PluginCatalog(searchPath: PluginSearchPath(directories: [first, second]))
        let error = try #require(catalog.resolve(kind: .da, name: "celestia", constraint: nil).failure)
        #expect(error.message == "da plugin \"celestia\" not found; searched: \(first), \(second)")
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
