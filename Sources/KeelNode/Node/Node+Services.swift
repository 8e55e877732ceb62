import Foundation
import KeelKernel
import Logging
import Prometheus
import ServiceLifecycle
import UnixSignals

extension Node {
    /// The node's background services: the sequencer loop, the batcher and, when this node
    /// attests, the attestor. The RPC server is added by whoever runs the node (`NodeRunner`).
    func backgroundServices() -> [any Service] {
        var services: [any Service] = []
        if let follower {
            services.append(follower.service(node: self))
        }
        if let producer, let batcher {
            services += [
            BackgroundLoop(name: "sequencer", intervalMilliseconds: manifest.node.blockTimeMilliseconds, logger: logger) { [self] in
                if let produced = try producer.produce(nowMilliseconds: Node.nowMilliseconds()) {
                    metrics.blocks.increment()
                    metrics.deposits.increment(by: Int64(produced.deposits))
                    metrics.transactions.increment(by: Int64(produced.transactions))
                }
                return .again
            },
            BackgroundLoop(name: "batcher", intervalMilliseconds: 100, logger: logger) { [self] in
                let before = try chain.postedBatchCount()
                try batcher.step(nowMilliseconds: Node.nowMilliseconds())
                let after = try chain.postedBatchCount()
                if after > before { metrics.batchesPosted.increment(by: Int64(after - before)) }
                return .again
            },
            ]
        }
        services.append(BackgroundLoop(name: "da-health", intervalMilliseconds: da.policy.healthIntervalMilliseconds, logger: logger) { [self] in
            da.checkHealth()
            return .again
        })
        services.append(ManifestReloadService(node: self))
        if let attestor {
            services.append(BackgroundLoop(name: "attestor", intervalMilliseconds: 200, logger: logger) { [self] in
                do {
                    let count = try attestor.step()
                    if count > 0 { metrics.batchesAttested.increment(by: Int64(count)) }
                    return .again
                } catch let alarm as ReplayAlarm {
                    logger.critical("\(alarm.description); the attestor stops and signs nothing more")
                    return .stop
                }
            })
        }
        return services
    }
}

/// Runs a node with an RPC service until SIGTERM or SIGINT, then stops every service gracefully and
/// closes the node.
public enum NodeRunner {
    /// `stopWhen`, polled every 50 ms, stops the node as a signal would (the benchmark uses it).
    public static func run(_ node: Node, rpc: any Service, logger: Logger, stopWhen: (@Sendable () -> Bool)? = nil) async throws {
        let group = ServiceGroup(configuration: .init(
            // The in-node attestor stops alone on an alarm; the node goes on sequencing.
            services: ([rpc] + node.backgroundServices()).map { service in
                (service as? BackgroundLoop)?.name == "attestor" ? .init(service: service, successTerminationBehavior: .ignore)
                    : .init(service: service)
            },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        defer { node.close() }
        guard let stopWhen else { return try await group.run() }
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                while !stopWhen() { try await Task.sleep(for: .milliseconds(50)) }
                await group.triggerGracefulShutdown()
            }
            try await tasks.waitForAll()
        }
    }
}
