import KeelCore

/// The account layout shared by the account-based execution plugins of this version
/// (docs/plugins/transfer.md): `0x01 ‖ address → rlp([nonce, balance])`, absent when both are 0.
/// The node writes genesis allocations with it and names the key in `keel_getProof`.
enum AccountLayout {
    static func key(_ address: Address) -> [UInt8] { [0x01] + address.bytes }

    static func encode(nonce: UInt64, balance: UInt128) -> [UInt8]? {
        if nonce == 0 && balance == 0 { return nil }
        var encoder = RLPEncoder()
        encoder.appendList { list in
            list.append(nonce)
            list.append(balance)
        }
        return encoder.bytes
    }
}
