import Hummingbird
import Logging
import NIOCore

/// Serves `router` on `host:port` until the task is cancelled or the service group shuts down
/// gracefully: the one way Keel's HTTP servers start (the JSON-RPC server, `keel da-server`,
/// `keel dac-member`). Logs "`name` listening" with the bound address, and hands `onListening`
/// the bound port (the one asked for, or the one the system picked for port 0). Every request's
/// handler runs on `BlockingWork`'s executor, so its SQLite reads and plugin calls never block the
/// cooperative pool that NIO and the other tasks share.
public func serveHTTP<ResponderBuilder: HTTPResponderBuilder>(
    _ router: ResponderBuilder, name: String, host: String, port: Int, logger: Logger,
    onListening: @escaping @Sendable (Int) -> Void
) async throws where ResponderBuilder.Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
    let application = Application(
        responder: OffloadingResponder(inner: router.buildResponder()),
        configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
        onServerRunning: { channel in
            logger.info("\(name) listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
            onListening(channel.localAddress?.port ?? port)
        },
        logger: logger)
    try await application.run()
}

/// Runs each request of `inner` with `BlockingWork`'s executor preferred.
struct OffloadingResponder<Inner: HTTPResponder>: HTTPResponder {
    let inner: Inner

    func respond(to request: Request, context: Inner.Context) async throws -> Response {
        try await BlockingWork.run { try await inner.respond(to: request, context: context) }
    }
}
