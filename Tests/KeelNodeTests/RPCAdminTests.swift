import KeelJSONRPC
import KeelKernel
import Testing
@testable import KeelNode

/// `admin_*` over HTTP: never without the token, and flag changes recorded with their actor.
@Suite struct RPCAdminTests {
    @Test func refusesAdminMethodsWithoutTheToken() async throws {
        try await withRPCServer(try RPCTestBackend()) { client async throws in
            await #expect(throws: RPCError.unauthorized(
                "admin_listFlags needs the admin token: send the header `Authorization: Bearer TOKEN` with the token in DATA_DIR/admin.token")) {
                try await client.call("admin_listFlags")
            }
        }
    }

    @Test func refusesAWrongToken() async throws {
        let wrong = String(RPCTestBackend.token.dropLast()) + "0"
        let backend = try RPCTestBackend()
        try await withRPCServer(backend, bearerToken: wrong) { client async throws in
            await #expect(throws: RPCError.unauthorized(
                "admin_setFlag refused: the bearer token is not this node's admin token; use the token in DATA_DIR/admin.token")) {
                try await client.call("admin_setFlag", [["name": "priority-lane", "percent": 50]])
            }
        }
        #expect(backend.flags.setting(of: "priority-lane") == .rollout(basisPoints: 1000, subject: .sender), "nothing changed")
    }

    @Test func listsSetsAndKillsFlagsWithTheToken() async throws {
        let backend = try RPCTestBackend()
        try await withRPCServer(backend, bearerToken: RPCTestBackend.token) { client async throws in
            let flags = try await client.call("admin_listFlags")
            #expect(flags.arrayValue?.count == 2)
            #expect(flags[0] == [
                "name": "batch-codec-brotli", "kind": "consensus", "activate_at_height": 1000, "active": false,
                "setting": "consensus, active from height 1000", "declared": ["activate_at_height": 1000],
            ])
            #expect(flags[1]?["percent"] == .number("10.0"))
            #expect(flags[1]?["subject"] == "sender")

            let record = try await client.call("admin_setFlag", [["name": "priority-lane", "percent": 25]])
            #expect(record["action"] == "rollout")
            #expect(record["old"] == "rollout:1000:sender")
            #expect(record["new"] == "rollout:2500:sender")
            #expect(record["actor"] == "rpc@127.0.0.1")
            #expect(backend.flags.setting(of: "priority-lane") == .rollout(basisPoints: 2500, subject: .sender))

            // Named params may also come as the params object itself.
            let killed = try await client.post(rawBody: Array(
                #"{"jsonrpc":"2.0","id":1,"method":"admin_killFlag","params":{"name":"priority-lane"}}"#.utf8))
            #expect(try JSONValue(parsing: killed.body)["result"]?["new"] == "rollout:0:sender")

            let scheduled = try await client.call("admin_setFlag", [["name": "batch-codec-brotli", "activate_at_height": 50]])
            #expect(scheduled["new"] == "consensus:50")
            #expect(backend.flags.setting(of: "batch-codec-brotli") == .consensus(activateAtHeight: 50))
        }
    }

    @Test func reportsFlagErrorsWithTheirCode() async throws {
        try await withRPCServer(try RPCTestBackend(), bearerToken: RPCTestBackend.token) { client async throws in
            do {
                _ = try await client.call("admin_setFlag", [["name": "batch-codec-brotli", "activate_at_height": 2]])
                Issue.record("a height inside the minimum lead was accepted")
            } catch let error as RPCError {
                #expect(error.code == -32602)
                #expect(error.message.contains("the minimum lead is 10 blocks"))
                #expect(error.data == ["flagError": "insideMinimumLead"])
            }
            do {
                _ = try await client.call("admin_killFlag", [["name": "no-such-flag"]])
                Issue.record("an unknown flag was killed")
            } catch let error as RPCError {
                #expect(error.data == ["flagError": "unknownFlag"])
            }
            await #expect(throws: RPCError.invalidParams(
                "invalid argument 0: give exactly one of \"percent\" (a rollout flag) or \"activate_at_height\" (a consensus flag)")) {
                try await client.call("admin_setFlag", [["name": "priority-lane", "percent": 5, "activate_at_height": 90]])
            }
            await #expect(throws: RPCError.invalidParams(
                "invalid argument 0: unknown field \"precent\"; the fields are activate_at_height, name, percent")) {
                try await client.call("admin_setFlag", [["name": "priority-lane", "precent": 5]])
            }
        }
    }

    @Test func comparesTokensWholly() {
        #expect(AdminAuthorization.constantTimeEqual(Array("abc".utf8), Array("abc".utf8)))
        #expect(!AdminAuthorization.constantTimeEqual(Array("abd".utf8), Array("abc".utf8)))
        #expect(!AdminAuthorization.constantTimeEqual(Array("ab".utf8), Array("abc".utf8)))
        #expect(!AdminAuthorization.constantTimeEqual(Array("abcd".utf8), Array("abc".utf8)))
        #expect(AdminAuthorization.bearerToken("bearer  tok ") == "tok")
        #expect(AdminAuthorization.bearerToken("Basic tok") == nil)
    }
}
