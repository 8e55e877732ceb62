import Foundation
import KeelCore
import KeelJSONRPC
import Testing

extension NodeSharedRollupTests {
    /// `admin_*` behind the bearer token the node wrote to DATA_DIR/admin.token: refused without it
    /// or with another, taken with it, over JSON-RPC and through `keel flags`.
    @Suite struct Admin {
        static func token(of node: NodeSession) throws -> (path: String, value: String) {
            let path = node.rollup.dataDirectory + "/admin.token"
            let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            return (path, text)
        }

        @Test func theTokenFileIsOwnerOnly() throws {
            let node = try NodeSession.current()
            let (path, token) = try Self.token(of: node)
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)
            #expect(mode.intValue & 0o777 == 0o600)
            #expect(token.count == 64 && Hex.decode(token) != nil, "the token is 32 bytes in hex")
        }

        @Test func adminMethodsNeedTheToken() async throws {
            let node = try NodeSession.current()
            let (_, token) = try Self.token(of: node)
            let anonymous = JSONRPCClient(url: node.url)
            defer { anonymous.shutdown() }
            let wrong = JSONRPCClient(url: node.url, bearerToken: String(repeating: "ab", count: 32))
            defer { wrong.shutdown() }
            let words = ["admin_listFlags needs the admin token", "admin_listFlags refused: the bearer token is not this node's admin token"]
            for (client, words) in zip([anonymous, wrong], words) {
                do {
                    _ = try await client.call("admin_listFlags")
                    Issue.record("admin_listFlags answered without the right token")
                } catch let refusal as RPCError {
                    #expect(refusal.code == -32002)
                    #expect(refusal.message.hasPrefix(words), "\(refusal.message)")
                    #expect(refusal.message.contains("admin.token"), "the refusal says where the token is: \(refusal.message)")
                }
                do {
                    _ = try await client.call("admin_killFlag", [["name": "priority-lane"]])
                    Issue.record("admin_killFlag answered without the right token")
                } catch let refusal as RPCError {
                    #expect(refusal.code == -32002, "\(refusal)")
                }
            }
            let admin = JSONRPCClient(url: node.url, bearerToken: token)
            defer { admin.shutdown() }
            let flags = try #require(try await admin.call("admin_listFlags").arrayValue)
            let lane = try #require(flags.first { $0["name"] == "priority-lane" }, "\(flags)")
            #expect(lane["kind"] == "rollout")
            #expect(lane["percent"] != nil)
        }

        @Test func keelFlagsUsesTheTokenInTheDataDirectory() async throws {
            let node = try NodeSession.current()
            let list = try node.keelWithManifest(["flags", "list"])
            #expect(list.status == 0, "\(list.transcript)")
            let lines = list.output.split(separator: "\n")
            #expect(lines.first?.hasPrefix("NAME") == true && lines.first?.contains("SETTING") == true, "\(list.transcript)")
            #expect(lines.contains { $0.hasPrefix("priority-lane") && $0.contains("10% of senders") }, "\(list.transcript)")

            let (_, token) = try Self.token(of: node)
            let admin = JSONRPCClient(url: node.url, bearerToken: token)
            defer { admin.shutdown() }
            let wrongToken = node.rollup.folder + "/wrong.token"
            try KeelProcess.writeSecret(String(repeating: "cd", count: 32) + "\n", to: wrongToken)
            let refused = try node.keel(["flags", "set", "priority-lane", "--percent", "50", "--token-file", wrongToken])
            #expect(refused.status == 1)
            #expect(refused.error.contains("keel flags set: the node at \(node.url) refused the admin token from \(wrongToken)"),
                    "\(refused.transcript)")
            let unchanged = try #require(try await admin.call("admin_listFlags").arrayValue)
            #expect(unchanged.first { $0["name"] == "priority-lane" }?["basis_points"] == 1000, "\(unchanged)")

            let set = try node.keelWithManifest(["flags", "set", "priority-lane", "--percent", "25"])
            #expect(set.status == 0, "\(set.transcript)")
            #expect(set.output.contains("set priority-lane to 25% (rollout)"), "\(set.transcript)")
            #expect(set.output.contains("by rpc@127.0.0.1"), "\(set.transcript)")
            let flags = try #require(try await admin.call("admin_listFlags").arrayValue)
            #expect(flags.first { $0["name"] == "priority-lane" }?["basis_points"] == 2500, "\(flags)")
        }
    }
}
