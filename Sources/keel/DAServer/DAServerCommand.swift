import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// `keel da-server --dir DIR --port N [--host H]`: an OP Stack Alt-DA da-server over a folder, for
/// the `altda` DA plugin or any OP Stack client (docs/plugins/altda.md). Runs until SIGTERM or SIGINT.
struct DAServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "da-server",
        abstract: "Serve the OP Stack Alt-DA protocol from a folder (Ctrl-C stops it cleanly).",
        discussion: """
            POST /put/0x<commitment> and POST /put store data, GET /get/0x<commitment> returns it, \
            GET /health answers ok. The folder has the layout of the `file` DA plugin.
            """)

    @Option(name: .long, help: "The folder that holds the data (created if missing; relative to the working directory).")
    var dir: String

    @Option(name: .long, help: "The port to listen on (0 picks a free port, printed on start).")
    var port: Int = 3100

    @Option(name: .long, help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "The largest body accepted, in bytes (at most 64 MiB).")
    var maxBlobBytes: UInt64 = 64 << 20

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be 0 to 65535, not \(port)") }
        if dir.isEmpty { throw ValidationError("--dir must name a folder") }
        if maxBlobBytes == 0 || maxBlobBytes > 64 << 20 {
            throw ValidationError("--max-blob-bytes must be 1 to \(64 << 20), not \(maxBlobBytes)")
        }
    }

    func run() async throws {
        try await reportingUserErrors { try await serve() }
    }

    private func serve() async throws {
        let logger = NodeLogging.logger(label: "keel.da-server")
        let store = try DAServerStore.open(directory: dir, maxBlobBytes: maxBlobBytes)
        let folder = URL(fileURLWithPath: dir).standardizedFileURL.path
        let host = self.host
        let server = AltDAServer(store: store, host: host, port: port, maxBlobBytes: Int(maxBlobBytes), logger: logger) { bound in
            // One write, so a reader of the output never sees half of it.
            let shown = host.contains(":") ? "[\(host)]" : host
            FileHandle.standardOutput.write(Data("keel da-server: data in \(folder)\nListening on http://\(shown):\(bound)\n".utf8))
        }
        let group = ServiceGroup(configuration: .init(services: [.init(service: server)],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            throw UserError("keel da-server stopped: \(error)")
        }
        print("keel da-server: stopped cleanly")
    }
}
