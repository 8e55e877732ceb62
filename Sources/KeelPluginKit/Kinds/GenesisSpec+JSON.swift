import KeelCore

extension GenesisSpec {
    /// Reads the JSON the kernel passes to the genesis hook (`GenesisSpec.json`); unknown members
    /// are ignored, as docs/ABI.md asks, so a later kernel may add some.
    init(json: String) throws(PluginError) {
        let document: PluginConfig
        do throws(PluginError) {
            document = try PluginConfig(json: json)
        } catch {
            throw PluginError(.invalidArgument, "the genesis the kernel passed is not a JSON object: \(error.message)")
        }
        guard let allocValue = document.values["alloc"] else {
            self.init()
            return
        }
        guard case .object(let members) = allocValue else {
            throw PluginError(.invalidArgument, "genesis `alloc` must be an object of address to balance")
        }
        var alloc: [(address: Address, balance: UInt128)] = []
        for (key, value) in members {
            guard let address = Address(hex: key.lowercased()) else {
                throw PluginError(.invalidArgument, "genesis `alloc` key \(key) is not an address")
            }
            guard case .string(let digits) = value, let balance = UInt128(digits) else {
                throw PluginError(.invalidArgument, "genesis `alloc.\(key)` must be a balance in wei as a string of decimal digits")
            }
            alloc.append((address, balance))
        }
        self.init(alloc: alloc.sorted { $0.address.bytes.lexicographicallyPrecedes($1.address.bytes) })
    }
}
