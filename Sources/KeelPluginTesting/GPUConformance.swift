import KeelCore
import KeelKernel

/// The rules every GPU backend must keep, checked through the ABI against Keel's own arithmetic:
/// NTTs equal the naive DFT and invert exactly; Merkle trees equal Keccak-256 computed in Swift.
public enum GPUConformance {
    public static func run(_ client: GPUClient) -> [ConformanceFailure] {
        var report = ConformanceReport()
        var random = SeededBytes(seed: 11)
        if let info = report.attempt("device_info", { try client.deviceInfo() }) {
            report.expect(!info.name.isEmpty, "device_info", "the device has no name")
        }
        let capabilities = client.instance.library.capabilities
        for field in NTTField.allCases where capabilities.contains("gpu:ntt:\(field == .goldilocks ? "goldilocks" : "babybear")") {
            for logN in [0, 1, 3, 6] {
                let n = 1 << logN
                let input = (0..<(2 * n)).map { _ in random.next() % field.modulus }
                var values = input
                guard report.attempt("ntt \(field) 2^\(logN)", { try client.ntt(field: field, values: &values, logN: UInt32(logN), inverse: false) }) != nil else { continue }
                let expected = (0..<2).flatMap { vector in naiveDFT(Array(input[(vector * n)..<((vector + 1) * n)]), field: field) }
                report.expect(values == expected, "ntt \(field) 2^\(logN)", "the forward NTT differs from the naive DFT")
                _ = report.attempt("inverse ntt \(field) 2^\(logN)", { try client.ntt(field: field, values: &values, logN: UInt32(logN), inverse: true) })
                report.expect(values == input, "inverse ntt \(field) 2^\(logN)", "inverse(forward(x)) is not x")
            }
            var tooBig = [field.modulus, 0]
            report.expectRefusal("ntt of an element not below the modulus", codes: [.invalidArgument]) {
                try client.ntt(field: field, values: &tooBig, logN: 1, inverse: false)
            }
        }
        for (count, size) in [(1, 32), (8, 32), (16, 7)] {
            let leaves = random.bytes(count * size)
            guard let nodes = report.attempt("merkle_tree \(count) leaves", { try client.merkleTree(leaves: leaves, leafSize: size) }) else { continue }
            report.expect(nodes == referenceTree(leaves, count: count, size: size), "merkle_tree \(count) leaves",
                          "the nodes differ from Keccak-256 computed in Swift")
        }
        report.expectRefusal("merkle_tree over 3 leaves (not a power of two)", codes: [.invalidArgument]) {
            _ = try client.merkleTree(leaves: random.bytes(96), leafSize: 32)
        }
        return report.failures
    }

    static func naiveDFT(_ coefficients: [UInt64], field: NTTField) -> [UInt64] {
        let p = field.modulus
        let n = UInt64(coefficients.count)
        let generator: UInt64 = field == .goldilocks ? 7 : 31
        let root = power(generator, (p - 1) / n, p)
        return (0..<n).map { i in
            var sum: UInt64 = 0
            var x: UInt64 = 1
            let step = power(root, i, p)
            for coefficient in coefficients {
                sum = UInt64((UInt128(sum) + UInt128(multiply(coefficient, x, p))) % UInt128(p))
                x = multiply(x, step, p)
            }
            return sum
        }
    }

    static func multiply(_ a: UInt64, _ b: UInt64, _ p: UInt64) -> UInt64 {
        UInt64(UInt128(a) * UInt128(b) % UInt128(p))
    }

    static func power(_ base: UInt64, _ exponent: UInt64, _ p: UInt64) -> UInt64 {
        var result: UInt64 = 1
        var b = base % p
        var e = exponent
        while e > 0 {
            if e & 1 == 1 { result = multiply(result, b, p) }
            b = multiply(b, b, p)
            e >>= 1
        }
        return result
    }

    static func referenceTree(_ leaves: [UInt8], count: Int, size: Int) -> [UInt8] {
        var nodes = [Hash32](repeating: .zero, count: 2 * count)
        for j in 0..<count { nodes[count + j] = Keccak256.hash(Array(leaves[(j * size)..<((j + 1) * size)])) }
        if count > 1 {
            for i in stride(from: count - 1, through: 1, by: -1) { nodes[i] = Keccak256.hash(nodes[2 * i], nodes[2 * i + 1]) }
        }
        return nodes.flatMap(\.bytes)
    }
}
