import Dispatch
import Foundation

/// The one place Keel's async code runs blocking work (SQLite reads and writes, plugin calls, file
/// I/O): a task executor over a concurrent dispatch queue, whose threads may block without starving
/// Swift's cooperative pool, where NIO's event loops and every other task run. Every HTTP request
/// (`serveHTTP`: JSON-RPC, `keel da-server`, `keel dac-member`) runs its handler here; the node's
/// loops (sequencer, batcher, attestor, follower) have threads of their own (`BackgroundLoop`).
public final class BlockingWork: TaskExecutor, @unchecked Sendable {
    // @unchecked: the queue is thread-safe and immutable.
    /// The node's one offload executor.
    public static let executor = BlockingWork()

    private let queue = DispatchQueue(label: "keel-blocking-work", qos: .userInitiated, attributes: .concurrent)
    private static let marker = DispatchSpecificKey<Bool>()

    private init() {
        queue.setSpecific(key: Self.marker, value: true)
    }

    /// Whether the calling code runs on this executor's threads.
    public static var isCurrent: Bool { DispatchQueue.getSpecific(key: marker) == true }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { [self] in job.runSynchronously(on: asUnownedTaskExecutor()) }
    }

    /// Runs `body` with this executor preferred for every nonisolated async call it makes.
    public static func run<Result: Sendable>(_ body: () async throws -> Result) async rethrows -> Result {
        try await withTaskExecutorPreference(executor) { try await body() }
    }
}
