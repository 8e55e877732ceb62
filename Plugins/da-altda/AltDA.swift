import KeelPluginHTTP
import KeelPluginKit

/// da altda: a client of an OP Stack Alt-DA da-server (docs/plugins/altda.md). Commitments are
/// `0x03 ‖ altda commitment`.
///
/// Config: `url` (required, `http://HOST:PORT[/PATH]`), `mode` (`keccak`, the default: the plugin
/// computes `0x00 ‖ keccak(blob)` and POSTs to `/put/0x…`; `generic`: it POSTs to `/put` and keeps
/// the commitment the server returns), `timeout_ms` (default 10000, per request), `max_blob_bytes`
/// (default 16 MiB, at most 64 MiB).
/// Thread-safe: each request has its own connection.
final class AltDA: DAProvider, Sendable {
    static let name = "altda"
    static let version = "1.0.0"
    static let capabilities = ["thread-safe", "da:offchain"]
    static let providerID: UInt8 = 0x03
    static let largestBlobSize: UInt64 = 64 << 20

    /// Who makes the commitment.
    enum Mode: String, Sendable, CaseIterable {
        /// The plugin: `POST /put/0x00‖keccak(blob)`.
        case keccak
        /// The server: `POST /put` answers the commitment.
        case generic
    }

    let maxBlobSize: UInt64
    let mode: Mode
    private let client: BlockingHTTPClient
    private let host: PluginHostServices

    init(config: PluginConfig, host: PluginHostServices) throws(PluginError) {
        try config.allowKeys(["url", "mode", "timeout_ms", "max_blob_bytes"])
        let url = try config.string("url")
        let endpoint: HTTPEndpoint
        do {
            endpoint = try HTTPEndpoint(parsing: url)
        } catch {
            throw PluginError.config("url", error.description)
        }
        let modeName = try config.string("mode", default: Mode.keccak.rawValue)
        guard let mode = Mode(rawValue: modeName) else {
            throw PluginError.config("mode", "must be keccak or generic, not \(modeName)")
        }
        let timeout = try config.uint64("timeout_ms", default: 10_000)
        guard (1...600_000).contains(timeout) else {
            throw PluginError.config("timeout_ms", "must be between 1 and 600000 milliseconds, not \(timeout)")
        }
        maxBlobSize = try config.uint64("max_blob_bytes", default: 16 << 20)
        guard maxBlobSize > 0, maxBlobSize <= Self.largestBlobSize else {
            throw PluginError.config("max_blob_bytes", "must be between 1 and \(Self.largestBlobSize) (64 MiB), not \(maxBlobSize)")
        }
        self.mode = mode
        self.host = host
        client = BlockingHTTPClient(endpoint: endpoint, timeoutMilliseconds: timeout, userAgent: "keel-altda/1.0")
    }

    var url: String { client.endpoint.url }

    func submit(_ blob: [UInt8]) throws(PluginError) -> [UInt8] {
        guard UInt64(blob.count) <= maxBlobSize else {
            throw PluginError(.tooLarge, "the blob is \(blob.count) bytes; this provider takes at most \(maxBlobSize) (max_blob_bytes)")
        }
        let started = host.monotonicNanoseconds
        let commitment: AltDACommitment
        switch mode {
        case .keccak:
            commitment = AltDACommitment.keccak(of: blob)
            let path = "/put/" + commitment.hex
            let reply = try send("POST", path, body: blob, maxResponseBytes: 64 << 10)
            guard reply.status == 200 else { throw failure(reply, "POST /put/0x…", blobSize: blob.count) }
        case .generic:
            let reply = try send("POST", "/put", body: blob, maxResponseBytes: 64 << 10)
            guard reply.status == 200 else { throw failure(reply, "POST /put", blobSize: blob.count) }
            do {
                commitment = try AltDACommitment(putAnswer: reply.body)
            } catch {
                throw PluginError(.unavailable, "the Alt-DA server at \(url) answered POST /put with something that is not a commitment: \(error)")
            }
            guard commitment.matches(blob) else {
                throw PluginError(.corrupt, "the Alt-DA server at \(url) answered POST /put with the keccak256 commitment \(commitment.hex), which is not the blob's")
            }
        }
        host.record("submit_seconds", seconds: Double(host.monotonicNanoseconds &- started) / 1e9)
        host.increment("submitted_bytes_total", by: UInt64(blob.count))
        return [Self.providerID] + commitment.bytes
    }

    func retrieve(_ commitment: [UInt8]) throws(PluginError) -> [UInt8] {
        guard commitment.first == Self.providerID else {
            throw PluginError(.invalidArgument,
                              "not an altda commitment: it \(commitment.first.map { "starts with \(Hex.encode([$0]))" } ?? "is empty"), not 0x03")
        }
        let altda: AltDACommitment
        do {
            altda = try AltDACommitment(decoding: Array(commitment.dropFirst()))
        } catch {
            throw PluginError(.invalidArgument, "not an altda commitment (0x03 ‖ Alt-DA commitment): \(error)")
        }
        let reply = try send("GET", "/get/" + altda.hex, body: nil, maxResponseBytes: Int(Self.largestBlobSize))
        switch reply.status {
        case 200:
            guard altda.matches(reply.body) else {
                throw PluginError(.corrupt, "the Alt-DA server at \(url) returned \(reply.body.count) bytes for \(altda.hex) that do not hash to it")
            }
            return reply.body
        case 404:
            throw PluginError(.notFound, "the Alt-DA server at \(url) has no data for \(altda.hex) (HTTP 404)")
        default:
            throw failure(reply, "GET /get/\(altda.hex)", blobSize: nil)
        }
    }

    func health() -> DAHealth {
        let started = host.monotonicNanoseconds
        func elapsed() -> UInt64 { (host.monotonicNanoseconds &- started) / 1_000_000 }
        do {
            let reply = try client.exchange("GET", "/health", maxResponseBytes: 64 << 10)
            if reply.status == 200 { return DAHealth(healthy: true, latencyMilliseconds: elapsed(), detail: "ok: \(url)") }
            // OP's da-server has no /health: a GET of an unknown commitment answering 404 means it is up.
            let probe = try client.exchange("GET", "/get/" + Hex.encode([AltDACommitment.keccakType] + [UInt8](repeating: 0, count: 32)),
                                            maxResponseBytes: Int(Self.largestBlobSize))
            if probe.status == 404 || probe.status == 200 {
                return DAHealth(healthy: true, latencyMilliseconds: elapsed(), detail: "ok: \(url) (GET /get answers \(probe.status))")
            }
            return DAHealth(healthy: false, latencyMilliseconds: elapsed(),
                            detail: "the Alt-DA server at \(url) answers /health with HTTP \(reply.status) and /get with HTTP \(probe.status)")
        } catch {
            return DAHealth(healthy: false, latencyMilliseconds: elapsed(), detail: transportMessage(error, "GET /health"))
        }
    }

    /// One request, with a transport failure turned into `unavailable` (retrying later may work,
    /// and the node's failover counts it).
    private func send(_ method: String, _ path: String, body: [UInt8]?, maxResponseBytes: Int) throws(PluginError) -> HTTPReply {
        do {
            return try client.exchange(method, path, body: body, maxResponseBytes: maxResponseBytes)
        } catch {
            host.increment("transport_failures_total")
            let shown = path.count > 24 ? String(path.prefix(24)) + "…" : path
            throw PluginError(.unavailable, transportMessage(error, "\(method) \(shown)"))
        }
    }

    private func transportMessage(_ error: HTTPTransportError, _ request: String) -> String {
        switch error.kind {
        case .unreachable:
            return "cannot reach the Alt-DA server at \(url): \(error); is it running, and is `url` right?"
        case .timeout:
            return "the Alt-DA server at \(url) did not answer \(request) within \(client.timeoutMilliseconds) ms (timeout_ms): \(error)"
        case .broken:
            return "the Alt-DA server at \(url) broke off \(request): \(error)"
        case .badResponse, .tooLarge:
            return "the Alt-DA server at \(url) sent a malformed answer to \(request): \(error)"
        }
    }

    /// The error for an answer other than 200.
    private func failure(_ reply: HTTPReply, _ request: String, blobSize: Int?) -> PluginError {
        switch reply.status {
        case 413:
            return PluginError(.tooLarge, "the Alt-DA server at \(url) refused \(blobSize.map { "a blob of \($0) bytes" } ?? "the request") as too large (HTTP 413): \(reply.excerpt)")
        case 400..<500:
            return PluginError(.invalidArgument, "the Alt-DA server at \(url) refused \(request) with HTTP \(reply.status): \(reply.excerpt)")
        default:
            return PluginError(.unavailable, "the Alt-DA server at \(url) answered \(request) with HTTP \(reply.status): \(reply.excerpt); retry later")
        }
    }
}

@_cdecl("keel_plugin_entry_v1")
public func keelPluginEntry() -> UnsafeRawPointer { PluginExport.descriptor(for: AltDA.self) }
