import KeelPluginKit

/// The L2→L1 message a transfer to the bridge address sends: a withdrawal of `amount` wei from
/// `sender` on L2 to `recipient` on L1 (the sender's own address), numbered by `nonce`.
///
/// 65 bytes, fixed layout, integers big-endian (docs/plugins/transfer.md, "Withdrawal message"):
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 1 | version, `0x01` |
/// | 1 | 20 | sender (L2) |
/// | 21 | 20 | recipient (L1) |
/// | 41 | 16 | amount in wei |
/// | 57 | 8 | withdrawal nonce: 0, 1, 2, … across the chain |
///
/// The kernel hashes it into the block's withdrawals root; the bridge decodes it when it is claimed.
struct WithdrawalMessage: Sendable, Equatable {
    static let version: UInt8 = 0x01
    static let size = 65

    /// The reserved L2 address whose incoming transfers become withdrawals: the address the OP Stack
    /// gives its L2ToL1MessagePasser. Value sent to it leaves L2 (no account holds it).
    static let bridgeAddress = Address(bytes: [0x42] + [UInt8](repeating: 0, count: 17) + [0x00, 0x16]) ?? .zero

    var sender: Address
    var recipient: Address
    var amount: UInt128
    var nonce: UInt64

    var encoded: [UInt8] {
        var bytes = [Self.version]
        bytes.reserveCapacity(Self.size)
        bytes += sender.bytes
        bytes += recipient.bytes
        bytes += withUnsafeBytes(of: amount.bigEndian) { Array($0) }
        bytes += withUnsafeBytes(of: nonce.bigEndian) { Array($0) }
        return bytes
    }

    init(sender: Address, recipient: Address, amount: UInt128, nonce: UInt64) {
        self.sender = sender
        self.recipient = recipient
        self.amount = amount
        self.nonce = nonce
    }
}
