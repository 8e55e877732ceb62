import Foundation
import Testing

/// Amounts as `keel` reads them (`--value` of `tx send`, `withdraw`, `l1 deposit`): exact, in wei,
/// with a unit's decimals and no more. Checked through `keel l1 deposit`, which prints what it queued.
@Suite struct ClientAmountTests {
    static let alice = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"

    @Test(arguments: [
        ("1", "1 wei (0.000000000000000001 ETH)"),
        ("7wei", "7 wei (0.000000000000000007 ETH)"),
        ("20gwei", "20000000000 wei (0.00000002 ETH)"),
        ("0.000000001gwei", "1 wei (0.000000000000000001 ETH)"),
        ("1.5eth", "1500000000000000000 wei (1.5 ETH)"),
        ("1.5ether", "1500000000000000000 wei (1.5 ETH)"),
        ("2ETH", "2000000000000000000 wei (2 ETH)"),
        (".25 eth", "250000000000000000 wei (0.25 ETH)"),
        ("0.000000000000000001eth", "1 wei (0.000000000000000001 ETH)"),
        ("10000", "10000 wei (0.00000000000001 ETH)"),
        ("340282366920938463463374607431768211455", "340282366920938463463374607431768211455 wei (340282366920938463463.374607431768211455 ETH)"),
    ])
    func anAmountIsReadExactly(typed: String, queued: String) throws {
        let devnet = try ClientL1Tests.TemporaryDevnet()
        defer { devnet.remove() }
        let result = try devnet.keel(["l1", "deposit", "--to", Self.alice, "--value=\(typed)"])
        #expect(result.status == 0, "\(result.transcript)")
        #expect(result.output.contains("queued deposit 0 at L1 block 0: \(queued) from "), "\(result.transcript)")
    }

    @Test(arguments: [
        ("1.5", "--value 1.5 has decimals but no unit; a plain number is wei"),
        ("1.5wei", "--value 1.5wei has 1 decimal, but wei amounts have no decimals"),
        ("1.0000000001gwei", "--value 1.0000000001gwei has 10 decimals, but gwei amounts have at most 9 decimals"),
        ("1.0000000000000000001eth", "--value 1.0000000000000000001eth has 19 decimals, but eth amounts have at most 18 decimals"),
        ("3 furlongs", "--value 3 furlongs: unknown unit \"furlongs\"; use wei, gwei, eth or ether"),
        ("-1eth", "--value -1eth is negative"),
        ("1e18", "--value 1e18: unknown unit \"e18\""),
        ("1.2.3eth", "--value 1.2.3eth is not an amount"),
        ("eth", "--value eth is not an amount"),
        ("340282366920938463463374607431768211456", "is more than 2^128 − 1 wei"),
        ("340282366920938463464eth", "is more than 2^128 − 1 wei"),
    ])
    func aBadAmountIsRefusedBeforeAnythingIsQueued(typed: String, message: String) throws {
        let result = try KeelProcess.keel(["l1", "deposit", "--to", Self.alice, "--value=\(typed)", "--manifest", "/nonexistent.yaml"])
        #expect(result.status == 1)
        #expect(result.error.hasPrefix("keel l1 deposit: "), "\(result.transcript)")
        #expect(result.error.contains(message), "\(result.transcript)")
    }
}
