import Foundation
import Logging
import ServiceLifecycle

/// A service that runs `body` on a thread of its own every `intervalMilliseconds` until graceful
/// shutdown: the node's blocking work (SQLite, plugin calls) stays off Swift's cooperative pool, so
/// the RPC server keeps answering while a block commits. Shutdown waits for the running step; a
/// body that returns `.stop` ends the service.
final class BackgroundLoop: Service, @unchecked Sendable {
    enum Outcome { case again, stop }

    let name: String
    let intervalMilliseconds: UInt64
    let body: () throws -> Outcome
    let logger: Logger
    /// The role this loop serves: it steps only while the role runs, and reports its failures there.
    let role: RoleSwitch?
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var stopping = false
    private var finished = false

    init(name: String, intervalMilliseconds: UInt64, logger: Logger, role: RoleSwitch? = nil, body: @escaping () throws -> Outcome) {
        self.role = role
        self.name = name
        self.intervalMilliseconds = intervalMilliseconds
        self.logger = logger
        self.body = body
    }

    func run() async throws {
        let thread = Thread { [self] in loop() }
        thread.name = "keel-\(name)"
        thread.start()
        // Ends at graceful shutdown, or when the body stops on its own (then the group decides).
        while !(condition.withLock { finished }) && !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(50))
        }
        condition.withLock {
            stopping = true
            condition.broadcast()
        }
        while !(condition.withLock { finished }) {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    private func loop() {
        var lastError = ""
        while !(condition.withLock { stopping }) {
            // A fixed cadence, start to start: a step that takes 40 ms of a 250 ms interval waits 210.
            let next = Date().addingTimeInterval(Double(intervalMilliseconds) / 1000)
            do {
                if role?.shouldStep ?? true {
                    if try body() == .stop { break }
                    role?.stepped()
                }
                lastError = ""
            } catch {
                let text = "\(error)"
                role?.failed(text)
                // The same failure every tick is logged once until it changes.
                if text != lastError { logger.error("\(name) failed; retrying", metadata: ["error": "\(text)"]) }
                lastError = text
            }
            condition.withLock {
                if !stopping { _ = condition.wait(until: next) }
            }
        }
        condition.withLock {
            finished = true
            condition.broadcast()
        }
    }
}
