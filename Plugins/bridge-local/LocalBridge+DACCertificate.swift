import GRDB
import KeelPluginKit

/// The settlement side of the `dac` provider (docs/plugins/dac.md, "The certificate"): a batch
/// whose DA commitment starts with 0x04 is recorded only with `threshold` valid signatures from
/// distinct registered members over its data hash. As a contract would, the bridge checks the
/// certificate itself, with its own reading of the format.
extension LocalBridge {
    /// The `dac` provider's id, the first byte of its commitments.
    static let dacProviderID: UInt8 = 0x04
    /// The domain tag of the message DAC members sign.
    static let dacDomain = Array("keel-dac-v1".utf8)

    /// Refuses (`rejected`, with the reason) a batch carrying a `dac` certificate that does not
    /// hold against the registered DAC. Commitments of other providers pass untouched.
    func checkDACertificate(_ record: BatchRecord, _ db: Database) throws {
        let commitment = record.daCommitment
        guard commitment.first == Self.dacProviderID else { return }
        func refuse(_ reason: String) -> PluginError {
            PluginError(.rejected, "batch \(record.index): the DA commitment is a dac certificate, but \(reason)")
        }
        guard let committee = try Self.registeredDAC(db) else {
            throw refuse("this L1 has no data availability committee registered; register one with `dac: { members, threshold }` "
                         + "when the L1 is created, or post the batch's data to another DA provider")
        }
        let count = committee.members.count
        let bitmapSize = (count + 7) / 8
        guard commitment.count >= 1 + 32 + bitmapSize, let dataHash = Hash32(bytes: commitment[1..<33]) else {
            throw refuse("it is \(commitment.count) bytes; a certificate for \(count) members has at least \(1 + 32 + bitmapSize) (id, data hash, signer bitmap)")
        }
        let bitmap = Array(commitment[33..<(33 + bitmapSize)])
        var signers: [Int] = []
        for position in 0..<(bitmapSize * 8) where bitmap[position / 8] & (1 << UInt8(position % 8)) != 0 {
            guard position < count else { throw refuse("its bitmap sets bit \(position) and the registered DAC has \(count) members") }
            signers.append(position)
        }
        let signatureBytes = commitment.count - 33 - bitmapSize
        guard signatureBytes == signers.count * 65 else {
            throw refuse("its bitmap names \(signers.count) signers and it carries \(signatureBytes) bytes of signatures, not \(signers.count * 65) (65 per signer)")
        }
        guard signers.count >= committee.threshold else {
            throw refuse("it has \(signers.count) signature\(signers.count == 1 ? "" : "s") and the registered DAC needs \(committee.threshold) of \(count)")
        }
        let message = Self.dacMessage(chainID: genesis.chainID, dataHash: dataHash)
        var seen: Set<Address> = []
        for (index, position) in signers.enumerated() {
            let start = 33 + bitmapSize + index * 65
            let signer = try? AttestorCommittee.recover(commitment[start..<(start + 65)], message: message, number: index + 1)
            let claimed = committee.members[position]
            guard let signer else {
                throw refuse("the signature for member \(position) (\(claimed)) does not verify: it is forged or damaged")
            }
            guard !seen.contains(signer) else {
                throw refuse("\(signer) signed twice (a duplicated signature, given for member \(position)); each member counts once")
            }
            seen.insert(signer)
            guard committee.members.contains(signer) else {
                throw refuse("the signature for member \(position) (\(claimed)) is by \(signer), which is outside the registered DAC: "
                             + "a stranger signed, or the signature is over other data or another chain")
            }
            guard signer == claimed else {
                throw refuse("the signature for member \(position) (\(claimed)) is by member \(committee.members.firstIndex(of: signer) ?? -1) (\(signer)); "
                             + "signatures follow the bitmap in member order")
            }
        }
    }

    /// `keccak256("keel-dac-v1" ‖ chain id (8 bytes big-endian) ‖ data hash)`, what a member signs.
    static func dacMessage(chainID: UInt64, dataHash: Hash32) -> Hash32 {
        Keccak256.hash(dacDomain + AttestationMessage.bigEndian(chainID) + dataHash.bytes)
    }
}
