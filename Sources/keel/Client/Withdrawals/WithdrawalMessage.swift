import KeelCore

/// A `transfer` withdrawal message (docs/plugins/transfer.md): 65 bytes,
/// `0x01 ‖ L2 sender (20) ‖ L1 recipient (20) ‖ amount (16, big-endian) ‖ nonce (8, big-endian)`.
struct WithdrawalMessage: Equatable {
    static let length = 65
    static let version: UInt8 = 0x01

    let sender: Address
    let recipient: Address
    let amount: UInt128
    let nonce: UInt64

    /// Decodes `bytes`; `nil` for any other length or version (an opaque message of another plugin).
    init?(_ bytes: [UInt8]) {
        guard bytes.count == Self.length, bytes[0] == Self.version,
              let sender = Address(bytes: bytes[1..<21]), let recipient = Address(bytes: bytes[21..<41]) else { return nil }
        self.sender = sender
        self.recipient = recipient
        amount = bytes[41..<57].reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
        nonce = bytes[57..<65].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }
}
