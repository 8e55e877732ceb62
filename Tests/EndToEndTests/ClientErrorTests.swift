import Foundation
import Testing

/// What the client commands tell a user who gets something wrong, before or without a node:
/// exit status 1, a message on standard error that says what and what to do, and no secret printed.
@Suite struct ClientErrorTests {
    /// A node URL where nothing listens: port 1 (tcpmux) is served on no test machine.
    static let deadNode = "http://127.0.0.1:1"
    static let alice = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    /// Development account 1's key (public knowledge: the devnet's).
    static let aliceKey = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"

    @Test func anUnreachableNodeIsNamedWithWhatToDo() throws {
        let result = try KeelProcess.keel(["status", "--rpc", Self.deadNode])
        #expect(result.status == 1)
        #expect(result.error.contains("keel status: cannot reach the node at \(Self.deadNode)"), "\(result.transcript)")
        #expect(result.error.contains("keel up"))
        #expect(result.output.isEmpty)
    }

    @Test func theNodeURLComesFromKEEL_RPC() throws {
        let result = try KeelProcess.keel(["balance", Self.alice], environment: ["KEEL_RPC": "http://127.0.0.1:2"])
        #expect(result.status == 1)
        #expect(result.error.contains("keel balance: cannot reach the node at http://127.0.0.1:2"), "\(result.transcript)")
    }

    @Test(arguments: ["0x123", "70997970C51812dc3A010C7d01b50e0d17dc79C8", "0x70997970c51812dc3a010c7d01b50e0d17dc79zz",
                      "0x70997970C51812DC3a010C7d01b50e0d17dc79C8"])
    func aBadAddressIsRefusedBeforeCallingTheNode(address: String) throws {
        let result = try KeelProcess.keel(["balance", address, "--rpc", Self.deadNode])
        #expect(result.status == 1)
        #expect(result.error.hasPrefix("keel balance: ADDRESS \"\(address)\" is not an address ("), "\(result.transcript)")
        #expect(result.error.contains("an address is 0x and 40 hex digits"))
    }

    @Test func aBadBlockIsRefused() throws {
        let result = try KeelProcess.keel(["balance", Self.alice, "--block", "yesterday", "--rpc", Self.deadNode])
        #expect(result.status == 1)
        #expect(result.error.contains("keel balance: --block \"yesterday\" is not a block; give a block number (e.g. 120) or one of: latest, pending"))
    }

    @Test func aKeyFileOthersCanReadIsRefusedAndNotPrinted() throws {
        let folder = try KeelProcess.temporaryFolder("client-key")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let key = folder + "/alice.key"
        try #require(FileManager.default.createFile(atPath: key, contents: Data((Self.aliceKey + "\n").utf8),
                                                    attributes: [.posixPermissions: 0o644]))
        let result = try KeelProcess.keel(["tx", "send", "--key-file", key, "--to", Self.alice, "--value", "1eth", "--rpc", Self.deadNode])
        #expect(result.status == 1)
        #expect(result.error.contains("keel tx send: private key file \(key) is accessible by group or others (mode 0644)"), "\(result.transcript)")
        #expect(result.error.contains("chmod 600 \(key)"))
        #expect(!result.error.contains(String(Self.aliceKey.dropFirst(2))) && !result.output.contains(String(Self.aliceKey.dropFirst(2))))
        let withdraw = try KeelProcess.keel(["withdraw", "--key-file", key, "--value", "1eth", "--rpc", Self.deadNode])
        #expect(withdraw.status == 1)
        #expect(withdraw.error.contains("keel withdraw: private key file \(key) is accessible by group or others"), "\(withdraw.transcript)")
    }

    @Test func aGoodKeyFileGetsAsFarAsTheNode() throws {
        let folder = try KeelProcess.temporaryFolder("client-key")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let key = folder + "/alice.key"
        try KeelProcess.writeSecret(Self.aliceKey + "\n", to: key)
        let result = try KeelProcess.keel(["tx", "send", "--key-file", key, "--to", Self.alice, "--value", "1eth", "--rpc", Self.deadNode])
        #expect(result.status == 1)
        #expect(result.error.contains("keel tx send: cannot reach the node at \(Self.deadNode)"), "\(result.transcript)")
        #expect(!result.error.contains(String(Self.aliceKey.dropFirst(2))))
    }

    @Test func aWithdrawalOfNothingIsRefused() throws {
        let result = try KeelProcess.keel(["withdraw", "--key-file", "/nonexistent", "--value", "0", "--rpc", Self.deadNode])
        #expect(result.status == 1)
        #expect(result.error.contains("keel withdraw: a withdrawal of 0 wei is refused by the chain; give --value above 0"))
    }

    @Test func aBadTransactionHashIsRefused() throws {
        let result = try KeelProcess.keel(["claim", "0x1234", "--rpc", Self.deadNode])
        #expect(result.status == 1)
        #expect(result.error.contains("keel claim: TXHASH \"0x1234\" is not a transaction hash ("), "\(result.transcript)")
    }

    @Test func flagsNeedPercentOrHeight() throws {
        let none = try KeelProcess.keel(["flags", "set", "priority-lane", "--token-file", "/nonexistent"])
        #expect(none.status == 1)
        #expect(none.error.contains("give --percent P (a rollout flag) or --height H (a consensus flag)"), "\(none.transcript)")
        let both = try KeelProcess.keel(["flags", "set", "priority-lane", "--percent", "5", "--height", "100", "--token-file", "/nonexistent"])
        #expect(both.status == 1)
        #expect(both.error.contains("give --percent or --height, not both"))
        let wrong = try KeelProcess.keel(["flags", "set", "priority-lane", "--percent", "101", "--token-file", "/nonexistent"])
        #expect(wrong.status == 1)
        #expect(wrong.error.contains("--percent 101 is not a share; give a number from 0 to 100 with at most two decimals"))
    }

    @Test func aMissingAdminTokenIsExplained() throws {
        let result = try KeelProcess.keel(["flags", "list", "--token-file", "/nonexistent/admin.token", "--rpc", Self.deadNode])
        #expect(result.status == 1)
        #expect(result.error.contains("keel flags list: cannot read the admin token file /nonexistent/admin.token: there is no such file; "
                                      + "the node writes it at first start"), "\(result.transcript)")
    }
}
