import KeelCore
import KeelKernel

/// The state of block 0: what the execution plugin's genesis hook (ABI 1.1) writes for the
/// manifest's `genesis` section, in the plugin's own key layout. The kernel knows no accounts.
enum GenesisState {
    /// The genesis writes, sorted by key; a plugin that cannot write the manifest's genesis stops the node with its reason.
    static func updates(_ manifest: Manifest, execution: ExecutionClient) throws -> [(key: [UInt8], value: [UInt8]?)] {
        let spec = GenesisSpec(alloc: manifest.genesis.map { ($0.address, $0.balance) })
        let memory = MemoryState()
        do {
            try execution.writeGenesis(spec, state: memory)
        } catch {
            throw NodeStartError("genesis: \(error.description)")
        }
        return memory.values.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { ($0.key, $0.value) }
    }
}
