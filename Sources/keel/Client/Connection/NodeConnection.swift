import ArgumentParser
import Foundation
import KeelJSONRPC

/// `--rpc URL`: the node to talk to, by default `$KEEL_RPC` or `http://127.0.0.1:8545`.
struct RPCEndpointOptions: ParsableArguments {
    /// The URL used when neither `--rpc` nor `KEEL_RPC` gives one.
    static let defaultURL = "http://127.0.0.1:8545"

    @Option(name: .long, help: ArgumentHelp("The node's JSON-RPC URL (default: $KEEL_RPC, else \(RPCEndpointOptions.defaultURL)).",
                                            valueName: "url"))
    var rpc: String?

    /// `--rpc`, else a non-empty `KEEL_RPC`, else the default.
    var url: String {
        if let rpc { return rpc }
        if let configured = ProcessInfo.processInfo.environment["KEEL_RPC"], !configured.isEmpty { return configured }
        return Self.defaultURL
    }
}

/// A JSON-RPC connection to a node for one command: every failure becomes a `UserError` that names
/// the command, the method and what to do.
struct NodeConnection: Sendable {
    /// The command, as messages start: `keel balance`.
    let command: String
    let url: String
    private let client: JSONRPCClient

    /// A connection to `url`; `bearerToken` is sent as `Authorization: Bearer …` (never printed).
    init(command: String, url: String, bearerToken: String? = nil) {
        self.command = command
        self.url = url
        client = JSONRPCClient(url: url, bearerToken: bearerToken)
    }

    /// Calls `method`; the node's error becomes `keel X: the node refused METHOD: MESSAGE`, a
    /// transport failure `cannot reach the node at URL …; is keel up running?`.
    func call(_ method: String, _ params: [JSONValue] = []) async throws(UserError) -> RPCReply {
        do {
            return RPCReply(method: method, url: url, command: command, value: try await client.call(method, params))
        } catch let error as RPCError {
            throw UserError("\(command): the node at \(url) refused \(method): \(error.message) (JSON-RPC error \(error.code))")
        } catch let error as JSONRPCClientError {
            throw UserError("\(command): \(error.message)")
        } catch {
            throw UserError("\(command): calling \(method) on \(url) failed: \(error)")
        }
    }

    /// Like `call`, but hands the node's `RPCError` back to the caller, which may explain it better.
    func callKeepingRefusal(_ method: String, _ params: [JSONValue] = []) async throws(UserError) -> Result<RPCReply, RPCError> {
        do {
            return .success(RPCReply(method: method, url: url, command: command, value: try await client.call(method, params)))
        } catch let error as RPCError {
            return .failure(error)
        } catch let error as JSONRPCClientError {
            throw UserError("\(command): \(error.message)")
        } catch {
            throw UserError("\(command): calling \(method) on \(url) failed: \(error)")
        }
    }

    /// Closes the client's connections.
    func shutdown() {
        client.shutdown()
    }
}
