/// What the execution plugin writes at genesis (ABI 1.1's `genesis` hook): the manifest's `genesis`
/// section, which crosses the ABI as JSON, `{"alloc": {"0x<address, lowercase>": "<wei, decimal>"}}`.
public struct GenesisSpec: Sendable, Equatable {
    /// Accounts funded at genesis, in the manifest's order.
    public var alloc: [(address: Address, balance: UInt128)]

    public init(alloc: [(address: Address, balance: UInt128)] = []) {
        self.alloc = alloc
    }

    /// The JSON object the hook receives; members in the manifest's order, addresses lowercase.
    public var json: String {
        let members = alloc.map { "\"\(Hex.encode($0.address.bytes))\": \"\($0.balance)\"" }
        return "{\"alloc\": {" + members.joined(separator: ", ") + "}}"
    }

    public static func == (lhs: GenesisSpec, rhs: GenesisSpec) -> Bool {
        lhs.alloc.map(\.address) == rhs.alloc.map(\.address) && lhs.alloc.map(\.balance) == rhs.alloc.map(\.balance)
    }
}
