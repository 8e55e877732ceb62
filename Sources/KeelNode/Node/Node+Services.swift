import Foundation
import KeelJSONRPC
import KeelKernel
import Logging
import Prometheus
import ServiceLifecycle
import UnixSignals

extension Node {
    /// The node's background services: one loop per role it can play (docs/NODE.md, "Roles"),
    /// each stepping only while its role runs, then DA health checks and the manifest reload. The
    /// RPC server is added by whoever runs the node (`NodeRunner`).
    func backgroundServices() -> [any Service] {
        var services: [any Service] = []
        if let follower {
            services.append(follower.service(node: self, role: role(.follower)))
            if let challenger {
                services.append(BackgroundLoop(name: "challenger", intervalMilliseconds: 200, logger: logger, role: role(.challenger)) {
                    try challenger.step()
                    return .again
                })
            }
        }
        if let producer, let batcher {
            services += [
            BackgroundLoop(name: "sequencer", intervalMilliseconds: manifest.node.blockTimeMilliseconds, logger: logger,
                           role: role(.sequencer)) { [self] in
                if let produced = try producer.produce(nowMilliseconds: Node.nowMilliseconds()) {
                    metrics.blocks.increment()
                    metrics.deposits.increment(by: Int64(produced.deposits))
                    metrics.transactions.increment(by: Int64(produced.transactions))
                }
                return .again
            },
            BackgroundLoop(name: "batcher", intervalMilliseconds: 100, logger: logger, role: role(.batcher)) {
                try batcher.store(nowMilliseconds: Node.nowMilliseconds())
                return .again
            },
            BackgroundLoop(name: "proposer", intervalMilliseconds: 100, logger: logger, role: role(.proposer)) { [self] in
                // Games are answered even while posting fails: a batch is refused after a wrong
                // one until the game against that one is lost and the outbox is rewound.
                if let defender = batcher.faultProposer, defender.posts(atBlock: chain.head?.number ?? 0) { try defender.defend() }
                let before = try chain.postedBatchCount()
                try batcher.propose()
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
        if !flags.guarded.isEmpty {
            services.append(BackgroundLoop(name: "flag-guards", intervalMilliseconds: 250, logger: logger) { [self] in
                try checkGuards()
                return .again
            })
        }
        if let attestor {
            let attestorRole = role(.attestor)
            services.append(BackgroundLoop(name: "attestor", intervalMilliseconds: 200, logger: logger, role: attestorRole) { [self] in
                do {
                    let count = try attestor.step()
                    if count > 0 { metrics.batchesAttested.increment(by: Int64(count)) }
                    return .again
                } catch let alarm as ReplayAlarm {
                    logger.critical("\(alarm.description); the attestor stops and signs nothing more")
                    attestorRole?.halted(alarm.description)
                    return .stop
                }
            })
        }
        return services
    }

    /// Each guarded rollout flag that is on for anyone: its cohort against the rest over its window;
    /// a guard that trips turns the flag off, with its verdict in the audit trail (docs/FLAGS.md, "Guards").
    func checkGuards() throws {
        for (name, rolloutGuard) in flags.guarded {
            guard case .rollout(let basisPoints, _)? = flags.setting(of: name), basisPoints > 0 else { continue }
            let (cohort, rest) = cohorts.window(name, seconds: rolloutGuard.windowSeconds)
            guard let verdict = rolloutGuard.verdict(cohort: cohort, rest: rest) else { continue }
            try flags.kill(name, currentHeight: flagHeight(), actor: "guard", reason: verdict)
            cohorts.reset(name)
            logger.warning("a rollout guard tripped; the flag is off for everyone", metadata: ["flag": "\(name)", "reason": "\(verdict)"])
        }
    }

    /// The switch of `role`, if this node can play it.
    func role(_ role: NodeRole) -> RoleSwitch? {
        roles.first { $0.role == role }
    }

    /// admin_startRole / admin_stopRole: starts or stops a role this node can play.
    public func setRole(_ name: String, running: Bool) throws(RPCError) -> JSONValue {
        guard let role = NodeRole(rawValue: name) else {
            throw RPCError.invalidParams("invalid argument 0: \"role\" is \(name); the roles are "
                                         + NodeRole.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard let roleSwitch = self.role(role) else {
            throw RPCError.invalidParams("this node cannot play the \(role) role; it plays "
                                         + roles.map(\.role.rawValue).joined(separator: ", "))
        }
        if running {
            do { try roleSwitch.start() } catch { throw RPCError.invalidParams(error.description) }
        } else {
            roleSwitch.stop()
        }
        logger.notice("role \(running ? "started" : "stopped")", metadata: ["role": "\(role)"])
        return .object(["role": .string(role.rawValue), "state": .string(roleSwitch.current.description)])
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
