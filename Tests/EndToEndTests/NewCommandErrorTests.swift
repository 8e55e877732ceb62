import Foundation
import Testing

/// What `keel new` tells a user who gets something wrong: one line on standard error that says
/// what and how to fix it, exit status 1, and nothing written.
@Suite struct NewCommandErrorTests {
    @Test func anUnknownKindIsRefused() throws {
        let folder = try KeelProcess.temporaryFolder("errors")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try KeelProcess.keel(["new", "plugin", "--kind", "wasm", "--name", "x", "--lang", "c", "--output", folder + "/x"])
        #expect(result.status == 1)
        #expect(result.error == "keel new plugin: unknown kind \"wasm\"; expected one of: execution, da, proof, gpu, sequencer, bridge\n")
        #expect(!FileManager.default.fileExists(atPath: folder + "/x"))
    }

    @Test(arguments: ["My_Store", "store!", "1store", "-store", "store-", "a--b", String(repeating: "a", count: 41)])
    func aBadNameIsRefused(name: String) throws {
        let folder = try KeelProcess.temporaryFolder("errors")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try KeelProcess.keel(["new", "plugin", "--kind", "da", "--name=\(name)", "--lang", "c", "--output", folder + "/x"])
        #expect(result.status == 1)
        #expect(result.error == "keel new plugin: \"\(name)\" is not a valid plugin name; use lowercase letters, digits and '-', "
                + "starting with a letter, at most 40 characters (for example \"my-store\")\n")
        #expect(!FileManager.default.fileExists(atPath: folder + "/x"))
    }

    @Test func anUnknownLanguageIsRefused() throws {
        let folder = try KeelProcess.temporaryFolder("errors")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try KeelProcess.keel(["new", "plugin", "--kind", "da", "--name", "store", "--lang", "rust", "--output", folder + "/x"])
        #expect(result.status == 1)
        #expect(result.error == "keel new plugin: unknown language \"rust\"; expected swift or c\n")
    }

    @Test func anExistingOutputFolderIsRefusedAndLeftAlone() throws {
        let folder = try KeelProcess.temporaryFolder("errors")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("mine\n".utf8).write(to: URL(fileURLWithPath: folder + "/notes.txt"))
        let result = try KeelProcess.keel(["new", "plugin", "--kind", "da", "--name", "store", "--lang", "c", "--output", folder])
        #expect(result.status == 1)
        #expect(result.error == "keel new plugin: the folder \(folder) already exists and is not empty; "
                + "choose a new folder for --output, or empty this one\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["notes.txt"])
    }

    @Test func anEmptyExistingFolderIsFilled() throws {
        let folder = try KeelProcess.temporaryFolder("errors")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try KeelProcess.keel(["new", "plugin", "--kind", "da", "--name", "store", "--lang", "c", "--output", folder])
        #expect(result.status == 0, "\(result.transcript)")
        #expect(FileManager.default.fileExists(atPath: folder + "/Makefile"))
    }

    @Test func aFileAsOutputIsRefused() throws {
        let folder = try KeelProcess.temporaryFolder("errors")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/file"
        try Data("mine\n".utf8).write(to: URL(fileURLWithPath: file))
        let result = try KeelProcess.keel(["new", "plugin", "--kind", "da", "--name", "store", "--lang", "swift", "--output", file])
        #expect(result.status == 1)
        #expect(result.error == "keel new plugin: \(file) exists and is a file; choose a new folder for --output\n")
    }

    @Test func aKeelHomeWithoutTemplatesIsRefusedWithTheFix() throws {
        let folder = try KeelProcess.temporaryFolder("errors")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try KeelProcess.keel(["new", "plugin", "--kind", "da", "--name", "store", "--lang", "c", "--output", folder + "/x"],
                                          environment: ["KEEL_HOME": folder])
        #expect(result.status == 1)
        #expect(result.error == "keel new: KEEL_HOME is \(folder), which does not hold both Package.swift and templates/; "
                + "set KEEL_HOME to the Keel repository, or unset it to search above the keel executable\n")
        #expect(!FileManager.default.fileExists(atPath: folder + "/x"))
    }

    @Test func keelHomePointsAtTheRepository() throws {
        let folder = try KeelProcess.temporaryFolder("errors")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try KeelProcess.keel(["new", "plugin", "--kind", "da", "--name", "store", "--lang", "c", "--output", folder + "/x"],
                                          environment: ["KEEL_HOME": KeelProcess.repositoryRoot])
        #expect(result.status == 0, "\(result.transcript)")
        let makefile = try String(contentsOfFile: folder + "/x/Makefile", encoding: .utf8)
        #expect(makefile.contains("KEEL_INCLUDE ?= \(KeelProcess.repositoryRoot)/Sources/KeelABI/include"))
    }
}
