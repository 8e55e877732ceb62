import KeelABI

/// The `keel_execution_table` of a Swift `ExecutionVM`.
enum ExecutionExport {
    static func plugin(_ any: any KeelPlugin) -> (any ExecutionVM)? { any as? any ExecutionVM }

    static func table() -> keel_execution_table {
        keel_execution_table(
            struct_size: abiSize(keel_execution_table.self),
            validate_tx: { instance, state, raw, summary, error in
                invoke(instance, error, ExecutionExport.plugin) { p throws(PluginError) in
                    do throws(PluginError) {
                        let result = try p.validateTransaction(raw.array, state: try ExecutionExport.accessor(state))
                        if let summary { result.write(to: &summary.pointee) }
                    } catch {
                        if let summary, let refusal = error.refusal, abiCovers(summary.pointee.struct_size, \keel_tx_summary.refusal) {
                            summary.pointee.refusal = refusal.rawValue
                        }
                        throw error
                    }
                }
            },
            get_account: { instance, state, address, account, error in
                invoke(instance, error, ExecutionExport.plugin) { p throws(PluginError) in
                    guard let address else { throw PluginError(.invalidArgument, "no address") }
                    let result = try p.account(Array(UnsafeBufferPointer(start: address, count: 20)), state: try ExecutionExport.accessor(state))
                    account?.pointee.nonce = result.nonce
                    account?.pointee.balance = keel_u128(result.balance)
                }
            },
            begin_block: { instance, state, block, error in
                invoke(instance, error, ExecutionExport.plugin) { p throws(PluginError) in
                    try p.beginBlock(try ExecutionExport.context(block), state: try ExecutionExport.accessor(state))
                }
            },
            execute_tx: { instance, state, block, raw, gasUsed, outcome, error in
                invoke(instance, error, ExecutionExport.plugin) { p throws(PluginError) in
                    do throws(PluginError) {
                        let result = try p.execute(raw.array, block: try ExecutionExport.context(block), blockGasUsed: gasUsed, state: try ExecutionExport.accessor(state))
                        if let outcome { result.write(to: &outcome.pointee) }
                    } catch {
                        if let outcome, let refusal = error.refusal, abiCovers(outcome.pointee.struct_size, \keel_tx_outcome.refusal) {
                            outcome.pointee.refusal = refusal.rawValue
                        }
                        throw error
                    }
                }
            },
            end_block: { instance, state, block, gasUsed, outcome, error in
                invoke(instance, error, ExecutionExport.plugin) { p throws(PluginError) in
                    let baseFee = try p.endBlock(try ExecutionExport.context(block), blockGasUsed: gasUsed, state: try ExecutionExport.accessor(state))
                    outcome?.pointee.next_base_fee_per_gas = keel_u128(baseFee)
                }
            },
            call: { instance, state, block, request, result, error in
                invoke(instance, error, ExecutionExport.plugin) { p throws(PluginError) in
                    guard let request else { throw PluginError(.invalidArgument, "no call") }
                    let output = try p.call(CallRequest(request.pointee), block: try ExecutionExport.context(block), state: try ExecutionExport.accessor(state))
                    if let result { output.write(to: &result.pointee) }
                }
            },
            genesis: { instance, state, json, error in
                invoke(instance, error, ExecutionExport.plugin) { p throws(PluginError) in
                    guard let json else { throw PluginError(.invalidArgument, "the kernel passed no genesis") }
                    try p.writeGenesis(try GenesisSpec(json: String(cString: json)), state: try ExecutionExport.accessor(state))
                }
            },
            account_key: { instance, address, key, error in
                invoke(instance, error, ExecutionExport.plugin) { p throws(PluginError) in
                    guard let address, let account = Address(bytes: Array(UnsafeBufferPointer(start: address, count: 20))) else {
                        throw PluginError(.invalidArgument, "no address")
                    }
                    guard let bytes = p.accountKey(account) else {
                        throw PluginError(.unsupported, "the \(type(of: p).name) execution plugin keeps no account under one state key")
                    }
                    key?.pointee = .owning(bytes)
                }
            })
    }

    static func accessor(_ state: UnsafePointer<keel_state>?) throws(PluginError) -> StateAccessor {
        guard let state else { throw PluginError(.invalidArgument, "the kernel passed no state") }
        return StateAccessor(state)
    }

    static func context(_ block: UnsafePointer<keel_block_context>?) throws(PluginError) -> BlockContext {
        guard let block else { throw PluginError(.invalidArgument, "the kernel passed no block context") }
        return BlockContext(block.pointee)
    }
}
