import KeelCore

/// Which of 10000 buckets a subject falls in for a rollout flag (DESIGN.md §5, docs/FLAGS.md).
///
/// `bucket = UInt64(bigEndian: keccak256(utf8(flag) ‖ subject)[0..<8]) mod 10000`, where the
/// subject is an address's 20 bytes or the UTF-8 bytes of a text. A flag at `b` basis points is on
/// for the subjects whose bucket is below `b`, so a subject that is in at 10% stays in at 20%, and
/// two flags pick independent shares because the flag's name is hashed with the subject.
public enum RolloutBucket {
    /// The bucket (0 to 9999) of `subject` for the rollout flag `flag`.
    public static func bucket(flag: String, subject: [UInt8]) -> UInt16 {
        subject.withUnsafeBytes { bucket(after: prefix(flag: flag), subject: $0) }
    }

    /// The bucket (0 to 9999) of a text subject (a client's IP address, say) for `flag`.
    public static func bucket(flag: String, subject: String) -> UInt16 {
        bucket(flag: flag, subject: Array(subject.utf8))
    }

    /// The sponge state after absorbing the flag's name: computed once per flag, so evaluation
    /// only absorbs the subject and finishes.
    static func prefix(flag: String) -> Keccak256.Hasher {
        var hasher = Keccak256.Hasher()
        hasher.absorb(Array(flag.utf8))
        return hasher
    }

    /// The bucket of `subject`, continuing from a flag's prefix state. Allocates nothing.
    @inline(__always)
    static func bucket(after prefix: Keccak256.Hasher, subject: UnsafeRawBufferPointer) -> UInt16 {
        var hasher = prefix
        hasher.absorb(subject)
        let digest = hasher.finish()
        // `storage.0` holds the digest's first 8 bytes in memory order; read them big-endian.
        let leading = UInt64(bigEndian: digest.storage.0)
        return UInt16(leading % UInt64(RolloutShare.wholeBasisPoints))
    }
}
