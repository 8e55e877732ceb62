import KeelPluginKit

/// The EIP-1559 fee market of the transfer plugin: the base fee moves each block toward a gas
/// target by at most 1/8 (EIP-1559's `BASE_FEE_MAX_CHANGE_DENOMINATOR`), never below a floor.
///
/// Config (all optional, docs/plugins/transfer.md):
/// - `elasticity`: the target is the block gas limit divided by this (default 2, as on Ethereum);
/// - `gas_target`: a fixed target in gas instead (not together with `elasticity`);
/// - `min_base_fee`: the floor, in wei (default 0; a decimal string for values over 2^64).
struct FeeMarket: Sendable, Equatable {
    static let changeDenominator: UInt128 = 8
    static let configKeys: Set<String> = ["elasticity", "gas_target", "min_base_fee"]

    /// How the target is found.
    enum Target: Sendable, Equatable {
        case elasticity(UInt64)
        case fixed(UInt64)
    }

    let target: Target
    let minimumBaseFee: UInt128

    init(target: Target = .elasticity(2), minimumBaseFee: UInt128 = 0) {
        self.target = target
        self.minimumBaseFee = minimumBaseFee
    }

    init(config: PluginConfig) throws(PluginError) {
        let hasElasticity = config.values["elasticity"] != nil
        let hasTarget = config.values["gas_target"] != nil
        if hasElasticity && hasTarget {
            throw PluginError.config(config.path(of: "gas_target"), "set either `gas_target` or `elasticity`, not both: the target is gas_target, or the block gas limit divided by elasticity")
        }
        if hasTarget {
            let gas = try config.uint64("gas_target")
            guard gas > 0 else { throw PluginError.config(config.path(of: "gas_target"), "`gas_target` must be at least 1 gas") }
            target = .fixed(gas)
        } else {
            let elasticity = try config.uint64("elasticity", default: 2)
            guard elasticity > 0 else { throw PluginError.config(config.path(of: "elasticity"), "`elasticity` must be at least 1 (the target is the gas limit divided by it)") }
            target = .elasticity(elasticity)
        }
        let floor = try config.optionalString("min_base_fee") ?? "0"
        guard let minimum = UInt128(floor) else {
            throw PluginError.config(config.path(of: "min_base_fee"), "`min_base_fee` must be a whole number of wei from 0 to 2^128 − 1, not \(floor)")
        }
        minimumBaseFee = minimum
    }

    /// The gas target of a block with `gasLimit`.
    func gasTarget(gasLimit: UInt64) -> UInt64 {
        switch target {
        case .elasticity(let elasticity): max(1, gasLimit / elasticity)
        case .fixed(let gas): gas
        }
    }

    /// The next block's base fee, after a block with base fee `baseFee` used `gasUsed` of `gasLimit`.
    ///
    /// EIP-1559: at the target it stays; above, it rises by `max(1, baseFee · (used − target) / target / 8)`;
    /// below, it falls by `baseFee · (target − used) / target / 8`. Then it is raised to the floor.
    func nextBaseFee(baseFee: UInt128, gasUsed: UInt64, gasLimit: UInt64) -> UInt128 {
        let target = gasTarget(gasLimit: gasLimit)
        let next: UInt128
        if gasUsed == target {
            next = baseFee
        } else if gasUsed > target {
            let delta = max(1, Self.scaled(baseFee, by: gasUsed - target, over: target))
            let (sum, overflow) = baseFee.addingReportingOverflow(delta)
            next = overflow ? .max : sum
        } else {
            next = baseFee - Self.scaled(baseFee, by: target - gasUsed, over: target)
        }
        return max(next, minimumBaseFee)
    }

    /// `fee · numerator / denominator / 8` without overflow (saturating at 2^128 − 1).
    static func scaled(_ fee: UInt128, by numerator: UInt64, over denominator: UInt64) -> UInt128 {
        let product = fee.multipliedFullWidth(by: UInt128(numerator))
        let divisor = UInt128(denominator)
        guard product.high < divisor else { return .max }
        return divisor.dividingFullWidth((product.high, product.low)).quotient / changeDenominator
    }
}
