import Foundation
import KeelCore
import Testing

@Suite struct PrivateKeyFileTests {
    private func writeKeyFile(_ contents: String, mode: Int) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keel-key-\(UUID().uuidString)").path
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test func aKeyFileWithMode0600Loads() throws {
        let path = try writeKeyFile(Secp256k1Tests.devKeyHex + "\n", mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let key = try PrivateKey(contentsOfFile: path)
        #expect(key.address.description == Secp256k1Tests.devAddress)
        let strict = try writeKeyFile(Secp256k1Tests.devKeyHex, mode: 0o400)
        defer { try? FileManager.default.removeItem(atPath: strict) }
        #expect(try PrivateKey(contentsOfFile: strict) == key)
    }

    @Test func aKeyFileOthersCanReadIsRefusedWithTheFix() throws {
        for mode in [0o644, 0o640, 0o604, 0o660, 0o602] {
            let path = try writeKeyFile(Secp256k1Tests.devKeyHex, mode: mode)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let error = #expect(throws: PrivateKeyFileError.self) { try PrivateKey(contentsOfFile: path) }
            #expect(error?.reason == .permissionsTooOpen(mode: UInt32(mode)))
            #expect(error?.description.contains(path) == true)
            #expect(error?.description.contains("chmod 600 \(path)") == true)
            #expect(error?.description.contains("0\(String(mode, radix: 8))") == true)
        }
    }

    @Test func aMissingOrMalformedKeyFileIsRefusedNamingTheFile() throws {
        let missing = "/nonexistent/keel/key"
        let notFound = #expect(throws: PrivateKeyFileError.self) { try PrivateKey(contentsOfFile: missing) }
        #expect(notFound?.description.contains("cannot read private key file /nonexistent/keel/key") == true)

        for contents in ["hello", "0x1234", String(Secp256k1Tests.devKeyHex.dropFirst(2)), "0x" + String(repeating: "0", count: 64)] {
            let path = try writeKeyFile(contents, mode: 0o600)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let error = #expect(throws: PrivateKeyFileError.self) { try PrivateKey(contentsOfFile: path) }
            #expect(error?.reason == .malformed)
            #expect(error?.description.contains("expected 0x followed by 64 hex digits") == true)
            #expect(error?.description.contains(path) == true)
            // The message never echoes the file's contents.
            #expect(error?.description.contains(contents) == false)
        }
    }

    @Test func aDirectoryIsNotAKeyFile() throws {
        let error = #expect(throws: PrivateKeyFileError.self) { try PrivateKey(contentsOfFile: "/") }
        // Mode of / is 0755 on most systems; either refusal names the path.
        #expect(error?.description.contains("private key file / ") == true)
    }
}
