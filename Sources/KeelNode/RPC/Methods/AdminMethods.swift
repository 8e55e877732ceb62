import KeelJSONRPC
import KeelKernel

/// The operator's methods, behind the admin token: `admin_listFlags`, `admin_setFlag`,
/// `admin_killFlag`, `admin_flagAudit`. Their params are one object of named values; their results use the
/// manifest's snake_case names.
enum AdminMethods {
    static var table: RPCMethodTable {
        RPCMethodTable([
            "admin_listFlags": RPCMethod(access: .admin) { call throws(RPCError) in
                try call.params.expect(atMost: 0)
                let height = call.backend.flagHeight()
                return .array(call.backend.flags.list().map { flagJSON($0, height: height) })
            },
            "admin_setFlag": RPCMethod(access: .admin) { call throws(RPCError) in try setFlag(call) },
            "admin_flagAudit": RPCMethod(access: .admin) { call throws(RPCError) in
                try call.params.expect(atMost: 0)
                do throws(FlagError) { return .array(try call.backend.flags.auditTrail().map(record)) } catch {
                    throw RPCError.internalError(error.message)
                }
            },
            "admin_killFlag": RPCMethod(access: .admin) { call throws(RPCError) in
                let params = try call.params.namedObject()
                try refuseUnknown(params, allowed: ["name"])
                let name = try flagName(params)
                let wasConsensus = call.backend.flags.setting(of: name)?.isConsensus == true
                let result = try recording(name) { () throws(FlagError) in
                    try call.backend.flags.kill(name, currentHeight: call.backend.flagHeight(), actor: actor(call))
                }
                if wasConsensus { try call.backend.publishConsensusFlag(name, height: nil) }
                return result
            },
        ])
    }

    static func setFlag(_ call: RPCCall) throws(RPCError) -> JSONValue {
        let params = try call.params.namedObject()
        try refuseUnknown(params, allowed: ["name", "percent", "activate_at_height"])
        let name = try flagName(params)
        let flags = call.backend.flags
        switch (params["percent"], params["activate_at_height"]) {
        case (let percent?, nil):
            let share: Double
            switch percent {
            case .number(let text) where Double(text) != nil: share = Double(text) ?? 0
            case .string(let text) where Double(text) != nil: share = Double(text) ?? 0
            default: throw RPCError.invalidParams("invalid argument 0: \"percent\" must be a number from 0 to 100, found \(percent.kind)")
            }
            return try recording(name) { () throws(FlagError) in try flags.setRollout(name, percent: share, actor: actor(call)) }
        case (nil, let height?):
            let at = try KeelMethods.integer(height, argument: 0)
            let result = try recording(name) { () throws(FlagError) in
                try flags.scheduleConsensus(name, atHeight: at, currentHeight: call.backend.flagHeight(), actor: actor(call))
            }
            try call.backend.publishConsensusFlag(name, height: at)
            return result
        default:
            throw RPCError.invalidParams("invalid argument 0: give exactly one of \"percent\" (a rollout flag) or \"activate_at_height\" (a consensus flag)")
        }
    }

    static func flagName(_ params: [String: JSONValue]) throws(RPCError) -> String {
        guard case .string(let name)? = params["name"], !name.isEmpty else {
            throw RPCError.invalidParams("invalid argument 0: \"name\" (the flag's name, a string) is required")
        }
        return name
    }

    static func refuseUnknown(_ params: [String: JSONValue], allowed: Set<String>) throws(RPCError) {
        if let unknown = params.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw RPCError.invalidParams("invalid argument 0: unknown field \"\(unknown)\"; the fields are \(allowed.sorted().joined(separator: ", "))")
        }
    }

    /// Who the audit trail records: `rpc@<client address>`.
    static func actor(_ call: RPCCall) -> String {
        call.clientAddress.map { "rpc@\($0)" } ?? "rpc"
    }

    /// Runs a flag change and returns its audit record; a `FlagError` becomes an RPC error carrying its code.
    static func recording(_ flag: String, _ change: () throws(FlagError) -> FlagAuditRecord) throws(RPCError) -> JSONValue {
        do {
            return record(try change())
        } catch {
            let code = error.code == .storage ? -32603 : (error.code == .alreadyActive ? -32000 : -32602)
            throw RPCError(code: code, message: error.message, data: ["flagError": .string(error.code.description)])
        }
    }

    static func record(_ record: FlagAuditRecord) -> JSONValue {
        [
            "sequence": .integer(record.sequence),
            "time_ms": .integer(record.timeMilliseconds),
            "actor": .string(record.actor),
            "flag": .string(record.flag),
            "action": .string(record.action.rawValue),
            "old": record.oldValue.map(JSONValue.string) ?? .null,
            "new": .string(record.newValue),
            "reason": record.reason.map(JSONValue.string) ?? .null,
        ]
    }

    static func flagJSON(_ status: FlagStatus, height: UInt64) -> JSONValue {
        var fields: [String: JSONValue] = ["name": .string(status.name), "setting": .string(status.setting.description)]
        switch status.setting {
        case .consensus(let start):
            fields["kind"] = "consensus"
            fields["activate_at_height"] = start.map { .integer($0) } ?? .null
            fields["active"] = .bool(start.map { height >= $0 } ?? false)
        case .rollout(let basisPoints, let subject):
            fields["kind"] = "rollout"
            fields["percent"] = .double(Double(basisPoints) / 100)
            fields["basis_points"] = .integer(basisPoints)
            fields["subject"] = .string(subject.rawValue)
        }
        if let rolloutGuard = status.rolloutGuard {
            fields["guard"] = ["metric": .string(rolloutGuard.metric.rawValue), "max_ratio": .double(rolloutGuard.maxRatio),
                               "window_s": .integer(rolloutGuard.windowSeconds), "min_requests": .integer(rolloutGuard.minRequests)]
        }
        switch status.declared {
        case .consensus(let start): fields["declared"] = ["activate_at_height": .integer(start)]
        case .rollout(let basisPoints, let subject):
            fields["declared"] = ["percent": .double(Double(basisPoints) / 100), "subject": .string(subject.rawValue)]
        }
        return .object(fields)
    }
}
