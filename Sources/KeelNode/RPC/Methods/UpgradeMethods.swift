import KeelJSONRPC

/// `admin_scheduleUpgrade`, `admin_cancelUpgrade`, `admin_startRole`, `admin_stopRole` (behind the
/// admin token) and `keel_upgrades`: how an operator changes what a running node is (docs/RPC.md).
enum UpgradeMethods {
    static var table: RPCMethodTable {
        RPCMethodTable([
            "admin_scheduleUpgrade": RPCMethod(access: .admin) { call throws(RPCError) in
                let params = try call.params.namedObject()
                try AdminMethods.refuseUnknown(params, allowed: ["height", "slot", "plugin", "version", "config"])
                let height = try self.height(params)
                let slot = try text(params, "slot", "the slot: execution, sequencer or proof")
                let plugin = try text(params, "plugin", "the plugin's name, e.g. \"transfer\"")
                let version = params["version"]?.stringValue
                let config = params["config"] ?? .object([:])
                guard case .object = config else {
                    throw RPCError.invalidParams("invalid argument 0: \"config\" must be an object, found \(config.kind)")
                }
                return try call.backend.scheduleUpgrade(height: height, slot: slot, plugin: plugin, version: version, configJSON: config.jsonText)
            },
            "admin_cancelUpgrade": RPCMethod(access: .admin) { call throws(RPCError) in
                let params = try call.params.namedObject()
                try AdminMethods.refuseUnknown(params, allowed: ["height", "slot"])
                return try call.backend.cancelUpgrade(height: try height(params), slot: try text(params, "slot", "the slot: execution, sequencer or proof"))
            },
            "admin_startRole": RPCMethod(access: .admin) { call throws(RPCError) in try setRole(call, running: true) },
            "admin_stopRole": RPCMethod(access: .admin) { call throws(RPCError) in try setRole(call, running: false) },
            "keel_upgrades": RPCMethod { call throws(RPCError) in
                try call.params.expect(atMost: 0)
                return try call.backend.upgradesStatus()
            },
        ])
    }

    static func setRole(_ call: RPCCall, running: Bool) throws(RPCError) -> JSONValue {
        let params = try call.params.namedObject()
        try AdminMethods.refuseUnknown(params, allowed: ["role"])
        return try call.backend.setRole(try text(params, "role", "a role: sequencer, batcher, proposer, attestor or follower"), running: running)
    }

    static func height(_ params: [String: JSONValue]) throws(RPCError) -> UInt64 {
        guard let value = params["height"] else {
            throw RPCError.invalidParams("invalid argument 0: \"height\" (the first block the new plugin serves) is required")
        }
        return try KeelMethods.integer(value, argument: 0)
    }

    static func text(_ params: [String: JSONValue], _ name: String, _ meaning: String) throws(RPCError) -> String {
        guard let value = params[name]?.stringValue, !value.isEmpty else {
            throw RPCError.invalidParams("invalid argument 0: \"\(name)\" (\(meaning)) is required")
        }
        return value
    }
}
