import Foundation
import KeelCore
import KeelJSONRPC
import KeelPluginTesting
import Testing

extension NodeSharedRollupTests {
    /// JSON-RPC's own errors from the running node, over real HTTP: unknown methods, bad
    /// parameters, unparsable bodies, bodies over the limit, batches and notifications.
    @Suite struct JSONRPCProtocol {
        /// POSTs `text` as it is and parses the answer.
        static func post(_ text: String, to node: NodeSession) async throws -> (status: Int, body: JSONValue?) {
            let reply = try await node.client.post(rawBody: Array(text.utf8))
            guard !reply.body.isEmpty else { return (reply.status, nil) }
            return (reply.status, try JSONParser.parse(reply.body))
        }

        @Test func anUnknownMethodIsMinus32601() async throws {
            let node = try NodeSession.current()
            let refusal = try await node.refusal("eth_mine", [])
            #expect(refusal.code == -32601)
            #expect(refusal.message == "the method eth_mine does not exist/is not available")
        }

        @Test func badParametersAreMinus32602InGethsWords() async throws {
            let node = try NodeSession.current()
            let account = try NodeAccount.named("fees-recipient").address
            let cases: [(String, [JSONValue], String)] = [
                ("eth_getBalance", ["0xabc"], "invalid argument 0: "),
                ("eth_getBalance", ["f39fd6e51aad88f6f4ce6ab8827279cfffb92266"], "invalid argument 0: hex string without 0x prefix"),
                ("eth_getBalance", [.address(account), "latest", 1], "too many arguments, want at most 2"),
                ("eth_getTransactionCount", [], "missing value for required argument 0"),
                ("eth_getBlockByNumber", ["0x01", false], "invalid argument 0: hex number with leading zero digits"),
                ("eth_getTransactionReceipt", ["0x1234"], "invalid argument 0: "),
            ]
            for (method, params, words) in cases {
                let refusal = try await node.refusal(method, params)
                #expect(refusal.code == -32602, "\(method) \(params): \(refusal)")
                #expect(refusal.message.hasPrefix(words), "\(method) \(params): expected `\(words)…`, got `\(refusal.message)`")
            }
        }

        @Test func aBodyThatIsNotJSONIsAParseError() async throws {
            let node = try NodeSession.current()
            let answer = try await Self.post(#"{"jsonrpc": "2.0", "id": 1, "method": "eth_chainId",}"#, to: node)
            #expect(answer.status == 200)
            let body = try #require(answer.body)
            #expect(body["id"] == .null)
            #expect(body["error"]?["code"] == -32700)
            let message = try #require(body["error"]?["message"]?.stringValue)
            #expect(message.hasPrefix("parse error: invalid JSON at byte 52"), "\(message)")
        }

        @Test func aRequestThatIsNotJSONRPCIsMinus32600() async throws {
            let node = try NodeSession.current()
            let answer = try await Self.post(#"{"jsonrpc": "1.0", "id": 7, "method": "eth_chainId"}"#, to: node)
            #expect(answer.body?["error"]?["code"] == -32600)
            #expect(answer.body?["error"]?["message"]?.stringValue?.contains("jsonrpc") == true, "\(String(describing: answer.body))")
        }

        @Test func aBodyOverTheLimitIsRefusedWith413() async throws {
            let node = try NodeSession.current()
            let limit = 5 * 1024 * 1024
            let head = #"{"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": [""#
            let tail = #""]}"#
            let text = head + String(repeating: "a", count: limit + 1 - head.utf8.count - tail.utf8.count) + tail
            let answer = try await Self.post(text, to: node)
            #expect(answer.status == 413)
            #expect(answer.body?["error"]?["code"] == -32600)
            #expect(answer.body?["error"]?["message"]?.stringValue == "request body of \(limit + 1) bytes exceeds the limit of \(limit) bytes",
                    "\(String(describing: answer.body))")
            // The node still serves.
            #expect(try await node.client.call("eth_chainId") == "0x385")
        }

        @Test func aBatchIsAnsweredInOrderWithoutItsNotifications() async throws {
            let node = try NodeSession.current()
            let answer = try await Self.post("""
                [{"jsonrpc": "2.0", "id": "a", "method": "eth_chainId"},
                 {"jsonrpc": "2.0", "method": "eth_blockNumber"},
                 {"jsonrpc": "2.0", "id": 2, "method": "eth_mine"},
                 {"jsonrpc": "2.0", "id": 3, "method": "net_version"}]
                """, to: node)
            let items = try #require(answer.body?.arrayValue)
            #expect(items.count == 3)
            #expect(items.first?["id"] == "a" && items.first?["result"] == "0x385")
            #expect(items.dropFirst().first?["error"]?["code"] == -32601)
            #expect(items.last?["id"] == 3 && items.last?["result"] == "901")
            let notification = try await Self.post(#"{"jsonrpc": "2.0", "method": "eth_chainId"}"#, to: node)
            #expect(notification.status == 204 && notification.body == nil)
        }
    }
}
