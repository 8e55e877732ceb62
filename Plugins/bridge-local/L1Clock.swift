import GRDB
import KeelPluginKit

/// The embedded L1's clock: block `n` is due `n × block_time_ms` after genesis, and `dev_advance`
/// adds blocks on top (stored in the file, so every process sees the same head).
///
/// `number = ⌊(now − genesis) / block_time_ms⌋ + advanced` (the first term is 0 when
/// `block_time_ms` is 0); block `n`'s timestamp is `⌊(genesis + n × slot) / 1000⌋` seconds, with
/// `slot = block_time_ms`, or 1000 when the clock moves only by command; its hash is
/// `keccak256("keel-local-l1" ‖ chain id ‖ genesis ms ‖ n)`, integers as 8 bytes big-endian.
struct L1Clock: Sendable {
    let genesis: L1Genesis

    /// The head at wall-clock `now` (ms since the Unix epoch) after `advanced` commanded blocks.
    func head(now: UInt64, advanced: UInt64) -> L1Head {
        let number = blockNumber(now: now, advanced: advanced)
        return L1Head(number: number, timestamp: timestamp(of: number), hash: hash(of: number))
    }

    func blockNumber(now: UInt64, advanced: UInt64) -> UInt64 {
        let blockTime = genesis.blockTimeMilliseconds
        let elapsed = blockTime == 0 || now <= genesis.unixMilliseconds ? 0 : (now - genesis.unixMilliseconds) / blockTime
        let (sum, overflow) = elapsed.addingReportingOverflow(advanced)
        return overflow ? .max : sum
    }

    func timestamp(of number: UInt64) -> UInt64 {
        let slot = genesis.blockTimeMilliseconds == 0 ? 1000 : genesis.blockTimeMilliseconds
        let (offset, overflow) = number.multipliedReportingOverflow(by: slot)
        let (milliseconds, late) = genesis.unixMilliseconds.addingReportingOverflow(offset)
        return overflow || late ? .max / 1000 : milliseconds / 1000
    }

    func hash(of number: UInt64) -> [UInt8] {
        var bytes = Array("keel-local-l1".utf8)
        bytes += AttestationMessage.bigEndian(genesis.chainID)
        bytes += AttestationMessage.bigEndian(genesis.unixMilliseconds)
        bytes += AttestationMessage.bigEndian(number)
        return Keccak256.hash(bytes).bytes
    }

    /// The blocks added by `dev_advance` so far, read in `db`'s transaction.
    static func advancedBlocks(_ db: Database) throws -> UInt64 {
        UInt64(bitPattern: try Int64.fetchOne(db, sql: "SELECT advanced_blocks FROM chain WHERE id = 1") ?? 0)
    }
}
