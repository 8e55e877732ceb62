import KeelKernel
import Synchronization

/// What a role's service is doing, as `keel_status` and `keel status` print it.
public enum RoleState: Sendable, Hashable, CustomStringConvertible {
    /// Stepping on its interval.
    case running
    /// Not stepping: not in `node.roles`, or stopped through the admin API.
    case stopped
    /// Its last step failed; it retries on its interval, and is `running` again at the first success.
    case failing(String)
    /// It stopped itself for good (an attestor or follower that could not reproduce a batch).
    case halted(String)

    public var description: String {
        switch self {
        case .running: "running"
        case .stopped: "stopped"
        case .failing(let reason): "failing: \(reason)"
        case .halted(let reason): "halted: \(reason)"
        }
    }
}

/// One role's state, shared by its service loop (which steps only while it runs) and the admin API
/// (which starts and stops it at runtime: a standby sequencer becomes leader by starting its role).
public final class RoleSwitch: Sendable {
    public let role: NodeRole
    private let state: Mutex<RoleState>

    init(_ role: NodeRole, running: Bool) {
        self.role = role
        state = Mutex(running ? .running : .stopped)
    }

    public var current: RoleState { state.withLock { $0 } }

    /// Whether the loop should step now: running, or failing (retrying).
    var shouldStep: Bool {
        state.withLock { state in
            switch state {
            case .running, .failing: true
            case .stopped, .halted: false
            }
        }
    }

    /// Starts the role; a halted role stays halted (its alarm needs an operator, not a restart of the loop).
    func start() throws(RoleError) {
        try state.withLock { (state: inout RoleState) throws(RoleError) in
            if case .halted(let reason) = state { throw RoleError("the \(role) role halted (\(reason)); fix the cause and restart the node") }
            if state == .stopped { state = .running }
        }
    }

    func stop() {
        state.withLock { state in
            if case .halted = state { return }
            state = .stopped
        }
    }

    func stepped() {
        state.withLock { state in if case .failing = state { state = .running } }
    }

    func failed(_ reason: String) {
        state.withLock { state in
            switch state {
            case .running, .failing: state = .failing(reason)
            case .stopped, .halted: break
            }
        }
    }

    func halted(_ reason: String) {
        state.withLock { $0 = .halted(reason) }
    }
}

/// Why a role cannot be started or stopped.
public struct RoleError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
