extension ManifestReader {
    /// The `rollup:` section.
    mutating func readRollup(_ value: YAMLValue) -> RollupIdentity? {
        guard let fields = fields(of: value, path: "rollup", known: ["name", "chain_id", "mode"]) else { return nil }
        var name: String?
        if let nameValue = required("name", in: fields) {
            name = rollupName(nameValue)
        }
        let chainID = required("chain_id", in: fields).flatMap {
            integer($0, path: "rollup.chain_id", in: UInt64(1)...UInt64.max)
        }
        let modeValue = required("mode", in: fields)
        let mode: RollupMode? = modeValue.flatMap { choice($0, path: "rollup.mode", noun: "rollup mode") }
        guard let name, let chainID, let mode, let modeValue else { return nil }
        return RollupIdentity(name: name, chainID: chainID, mode: mode, modeLocation: modeValue.location)
    }

    /// A rollup name: it becomes part of folder names, so letters, digits, `-`, `_` and `.`.
    private mutating func rollupName(_ value: YAMLValue) -> String? {
        guard let name = nonEmptyText(value, path: "rollup.name") else { return nil }
        let allowed = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        guard allowed, name.first != "." else {
            error(at: value.location, "`rollup.name` is `\(ManifestText.abbreviated(name))`; use letters, digits, "
                  + "`-`, `_` and `.` (not first), as it names folders")
            return nil
        }
        return name
    }

    /// The `node:` section, or its defaults when it is absent. `rollupName` picks the default data folder.
    mutating func readNode(_ value: YAMLValue?, rollupName: String?, fileStart: SourceLocation) -> NodeSettings? {
        let defaultDataDirectory = ".keel/\(rollupName ?? "rollup")"
        guard let value else {
            return NodeSettings(
                dataDirectory: ManifestPath(written: defaultDataDirectory, relativeTo: directory, location: fileStart),
                rpcHost: NodeSettings.defaultRPCHost, rpcPort: NodeSettings.defaultRPCPort,
                blockTimeMilliseconds: NodeSettings.defaultBlockTimeMilliseconds)
        }
        guard let fields = fields(of: value, path: "node", known: ["data_dir", "rpc", "block_time_ms", "gas_limit",
                                                                     "max_deposits_per_block", "batch", "synchronous", "da_failover",
                                                                     "upgrade_min_lead", "roles", "sender_pending_limit"]) else {
            return nil
        }
        var valid = true
        var dataDirectory = ManifestPath(written: defaultDataDirectory, relativeTo: directory, location: value.location)
        if let dataValue = fields["data_dir"] {
            if let path = path(dataValue, path: "node.data_dir") { dataDirectory = path } else { valid = false }
        }
        var blockTime = NodeSettings.defaultBlockTimeMilliseconds
        if let blockValue = fields["block_time_ms"] {
            if let number = integer(blockValue, path: "node.block_time_ms", in: UInt64(1)...UInt64(86_400_000)) {
                blockTime = number
            } else {
                valid = false
            }
        }
        var host = NodeSettings.defaultRPCHost
        var port = NodeSettings.defaultRPCPort
        if let rpcValue = fields["rpc"] {
            if let rpc = self.fields(of: rpcValue, path: "node.rpc", known: ["host", "port"]) {
                if let hostValue = rpc["host"] {
                    if let text = nonEmptyText(hostValue, path: "node.rpc.host") { host = text } else { valid = false }
                }
                if let portValue = rpc["port"] {
                    if let number: UInt16 = integer(portValue, path: "node.rpc.port") { port = number } else { valid = false }
                }
            } else {
                valid = false
            }
        }
        var settings = NodeSettings(dataDirectory: dataDirectory, rpcHost: host, rpcPort: port, blockTimeMilliseconds: blockTime)
        if let gasValue = fields["gas_limit"] {
            if let number = integer(gasValue, path: "node.gas_limit", in: UInt64(21_000)...UInt64(1 << 40)) {
                settings.gasLimit = number
            } else {
                valid = false
            }
        }
        if let rolesValue = fields["roles"] {
            if let roles = readRoles(rolesValue) {
                settings.roles = roles
                settings.rolesLocation = rolesValue.location
            } else {
                valid = false
            }
        }
        if let limitValue = fields["sender_pending_limit"] {
            if let number = integer(limitValue, path: "node.sender_pending_limit", in: UInt64(1)...UInt64(65_536)) {
                settings.senderPendingLimit = Int(number)
            } else {
                valid = false
            }
        }
        if let leadValue = fields["upgrade_min_lead"] {
            if let number = integer(leadValue, path: "node.upgrade_min_lead", in: UInt64(1)...UInt64(1 << 32)) {
                settings.upgradeMinimumLead = number
            }
        }
        if let depositValue = fields["max_deposits_per_block"] {
            if let number = integer(depositValue, path: "node.max_deposits_per_block", in: UInt64(1)...UInt64(65_536)) {
                settings.maxDepositsPerBlock = Int(number)
            } else {
                valid = false
            }
        }
        if let batchValue = fields["batch"] {
            if let batch = self.fields(of: batchValue, path: "node.batch", known: ["max_blocks", "max_age_ms"]) {
                if let blocksValue = batch["max_blocks"] {
                    if let number = integer(blocksValue, path: "node.batch.max_blocks", in: UInt64(1)...UInt64(100_000)) {
                        settings.batchMaxBlocks = Int(number)
                    } else {
                        valid = false
                    }
                }
                if let ageValue = batch["max_age_ms"] {
                    if let number = integer(ageValue, path: "node.batch.max_age_ms", in: UInt64(1)...UInt64(86_400_000)) {
                        settings.batchMaxAgeMilliseconds = number
                    } else {
                        valid = false
                    }
                }
            } else {
                valid = false
            }
        }
        if let failoverValue = fields["da_failover"] {
            if let failover = self.fields(of: failoverValue, path: "node.da_failover", known: ["errors", "recover_after", "health_interval_ms"]) {
                if let value = failover["errors"] {
                    if let number = integer(value, path: "node.da_failover.errors", in: UInt64(1)...UInt64(1000)) {
                        settings.daFailoverErrors = Int(number)
                    } else {
                        valid = false
                    }
                }
                if let value = failover["recover_after"] {
                    if let number = integer(value, path: "node.da_failover.recover_after", in: UInt64(1)...UInt64(1000)) {
                        settings.daRecoverChecks = Int(number)
                    } else {
                        valid = false
                    }
                }
                if let value = failover["health_interval_ms"] {
                    if let number = integer(value, path: "node.da_failover.health_interval_ms", in: UInt64(10)...UInt64(3_600_000)) {
                        settings.daHealthIntervalMilliseconds = number
                    } else {
                        valid = false
                    }
                }
            } else {
                valid = false
            }
        }
        if let syncValue = fields["synchronous"] {
            switch syncValue.scalar?.text {
            case "normal": settings.synchronousFull = false
            case "full": settings.synchronousFull = true
            default:
                wrongType(syncValue, path: "node.synchronous", expected: "`normal` or `full`")
                valid = false
            }
        }
        guard valid else { return nil }
        return settings
    }

    /// `plugin_paths`: a list of folders, resolved against the manifest's folder.
    mutating func readPluginPaths(_ value: YAMLValue?) -> [ManifestPath]? {
        guard let value else { return [] }
        guard let items = value.items else {
            wrongType(value, path: "plugin_paths", expected: "a list of folders")
            return nil
        }
        var paths: [ManifestPath] = []
        var valid = true
        for (index, item) in items.enumerated() {
            if let path = path(item, path: "plugin_paths[\(index)]") { paths.append(path) } else { valid = false }
        }
        return valid ? paths : nil
    }

    /// `node.roles`: a list of role names, each once; `follower` is `keel follow`'s alone.
    mutating func readRoles(_ value: YAMLValue) -> [NodeRole]? {
        guard let items = value.items else {
            wrongType(value, path: "node.roles", expected: "a list of roles, e.g. [sequencer, batcher, proposer, attestor]")
            return nil
        }
        var roles: [NodeRole] = []
        var valid = true
        for (index, item) in items.enumerated() {
            guard let role: NodeRole = choice(item, path: "node.roles[\(index)]", noun: "role") else {
                valid = false
                continue
            }
            if roles.contains(role) {
                error(at: item.location, "`node.roles` lists `\(role)` twice; list each role once")
                valid = false
            } else if role == .follower {
                error(at: item.location, "`follower` is not a role of `keel up`; run `keel follow MANIFEST` for a follower")
                valid = false
            } else {
                roles.append(role)
            }
        }
        return valid ? roles : nil
    }
}
