import Foundation
import KeelKernel
import KeelPluginTesting
import Testing

/// `keel conformance` on a C DA plugin built by the test, and on two broken variants of it that an
/// earlier DA suite passed: one that skips the hash check, one that answers NOT_FOUND for another
/// provider's commitment. Also `keel plugins --path` naming the files it skips.
@Suite struct ConformanceCommandTests {
    /// A C DA provider made from the template, with `edit` applied to its source, built with make.
    func buildDA(_ label: String, edit: (String) -> String = { $0 }) throws -> (folder: String, library: String) {
        let folder = try KeelProcess.temporaryFolder("conformance-\(label)")
        let project = folder + "/project"
        let created = try KeelProcess.keel(["new", "plugin", "--kind", "da", "--name", "store", "--lang", "c", "--output", project])
        try #require(created.status == 0, "\(created.transcript)")
        let source = project + "/store.c"
        let original = try String(contentsOfFile: source, encoding: .utf8)
        let edited = edit(original)
        try edited.write(toFile: source, atomically: true, encoding: .utf8)
        let built = try KeelProcess.tool("make", [], in: project)
        try #require(built.status == 0, "\(built.transcript)")
        return (folder, project + "/libkeel-da-store.so")
    }

    func conformance(_ library: String, folder: String) throws -> KeelProcess.Result {
        try KeelProcess.keel(["conformance", "--kind", "da", "--library", library, "--config", #"{"dir": "\#(folder)/blobs"}"#])
    }

    @Test func aCorrectProviderConforms() throws {
        let (folder, library) = try buildDA("good")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try conformance(library, folder: folder)
        #expect(result.status == 0, "\(result.transcript)")
        #expect(result.output.contains("\(library): conforms to the da rules of ABI 1.2"))
        #expect(!result.output.contains("note: tampered data"), "the tampering check did not run: \(result.output)")
    }

    @Test func aProviderThatSkipsTheHashCheckIsRefused() throws {
        let check = "if (memcmp(hash, commitment.ptr + 1, 32) != 0) {"
        let (folder, library) = try buildDA("no-hash-check") { source in
            #expect(source.contains(check), "the template's hash check moved; update this test")
            return source.replacingOccurrences(of: check, with: "if (0) {")
        }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try conformance(library, folder: folder)
        #expect(result.status == 1)
        #expect(result.output.contains("FAIL tampered data: retrieve returned damaged bytes"), "\(result.transcript)")
        #expect(result.error.contains("\(library): 1 da rule broken"))
    }

    @Test func aProviderThatAnswersNotFoundForAForeignCommitmentIsRefused() throws {
        let refusal = "COMMITMENT_SIZE, PROVIDER_ID, commitment.len);\n        return keel_error_set(error, KEEL_ERR_INVALID_ARGUMENT, message);"
        let (folder, library) = try buildDA("foreign-not-found") { source in
            #expect(source.contains(refusal), "the template's id check moved; update this test")
            return source.replacingOccurrences(of: refusal, with: refusal.replacingOccurrences(of: "INVALID_ARGUMENT", with: "NOT_FOUND"))
        }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try conformance(library, folder: folder)
        #expect(result.status == 1)
        #expect(result.output.contains("FAIL another provider's commitment: refused with not found, expected invalid argument"),
                "\(result.transcript)")
    }

    @Test func theWrongKindAMissingFileAndABadKindAreSaid() throws {
        let (folder, library) = try buildDA("kinds")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let wrongKind = try KeelProcess.keel(["conformance", "--kind", "gpu", "--library", library])
        #expect(wrongKind.status == 1)
        #expect(wrongKind.error.contains("keel conformance: \(library) is a da plugin (store), not a gpu plugin"))
        let missing = try KeelProcess.keel(["conformance", "--kind", "da", "--library", folder + "/nothing.so"])
        #expect(missing.error.contains("keel conformance: --library \(folder)/nothing.so: no such file"))
        let badKind = try KeelProcess.keel(["conformance", "--kind", "storage", "--library", library])
        #expect(badKind.error.contains("keel conformance: --kind storage is not a plugin kind; use one of execution, da, proof, gpu, sequencer, bridge"))
        let badConfig = try KeelProcess.keel(["conformance", "--kind", "da", "--library", library, "--config", #"{"dirr": "x"}"#])
        #expect(badConfig.status == 1)
        #expect(badConfig.error.contains("create failed (configuration error)"), "\(badConfig.transcript)")
    }

    @Test func pluginsPathReportsSharedLibrariesSkippedForTheirNames() throws {
        let (folder, library) = try buildDA("skipped")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let project = (library as NSString).deletingLastPathComponent
        try FileManager.default.copyItem(atPath: library, toPath: project + "/libstore.so")
        try FileManager.default.copyItem(atPath: library, toPath: project + "/keel-da-store.so")
        let listing = try PluginListingJSON.list(paths: [project])
        #expect(listing.plugins.contains { $0.file == library })
        #expect(listing.skipped.map(\.file) == [project + "/keel-da-store.so", project + "/libstore.so"])
        #expect(listing.skipped.first?.reason.contains("not named libkeel-<kind>-<name>.so") == true)
        let text = try KeelProcess.keel(["plugins", "--path", project])
        #expect(text.output.contains("skipped: \(project)/libstore.so: a shared library not named libkeel-<kind>-<name>.so"))
    }
}
