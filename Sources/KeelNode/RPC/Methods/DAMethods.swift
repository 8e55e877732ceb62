import KeelJSONRPC

/// `admin_swapDA` (behind the admin token) and `keel_daStatus`: docs/RPC.md, "DA".
enum DAMethods {
    static var table: RPCMethodTable {
        RPCMethodTable([
            "admin_swapDA": RPCMethod(access: .admin) { call throws(RPCError) in
                let params = try call.params.namedObject()
                for key in params.keys where key != "plugin" && key != "config" {
                    throw RPCError.invalidParams("invalid argument 0: unknown field \"\(key)\"; admin_swapDA takes \"plugin\" and \"config\"")
                }
                guard let plugin = params["plugin"]?.stringValue, !plugin.isEmpty else {
                    throw RPCError.invalidParams("invalid argument 0: \"plugin\" must name a da plugin, e.g. \"file\"")
                }
                let config = params["config"] ?? .object([:])
                guard case .object = config else {
                    throw RPCError.invalidParams("invalid argument 0: \"config\" must be an object, found \(config.kind)")
                }
                return try call.backend.swapDA(plugin: plugin, configJSON: config.jsonText)
            },
            "keel_daStatus": RPCMethod { call throws(RPCError) in
                try call.params.expect(atMost: 0)
                return try call.backend.daStatus()
            },
        ])
    }
}
