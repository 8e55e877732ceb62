import KeelPluginKit

/// execution transfer: Ethereum-format value transfers (legacy, EIP-2930, EIP-1559) with an
/// EIP-1559 fee market, deposits from L1 and withdrawals to L1 through a reserved bridge address.
///
/// Manual: docs/plugins/transfer.md. State layout: `AccountLedger`. Refusals: `TransferRules`.
/// Thread-safe: an instance holds only its immutable configuration; state comes with each call.
final class TransferVM: ExecutionVM, Sendable {
    static let name = "transfer"
    static let version = "1.0.0"
    static let capabilities = ["thread-safe"]

    let chainID: UInt64
    let feeMarket: FeeMarket
    /// The kernel's services: consensus flags decide the calldata floor (EIP-7623).
    let host: PluginHostServices
    /// Senders recovered by `validate_tx`, reused when the same transaction executes in a block.
    let senders = RecoveryCache()

    init(config: PluginConfig, host: PluginHostServices) throws(PluginError) {
        try config.allowKeys(FeeMarket.configKeys)
        feeMarket = try FeeMarket(config: config)
        chainID = host.chainID
        self.host = host
    }

    func validateTransaction(_ raw: [UInt8], state: StateAccessor) throws(PluginError) -> TransactionSummary {
        if raw.first == DepositTransaction.typeByte {
            throw PluginError(.invalidArgument, "deposit transactions (type 0x7e) cannot be sent by users; deposits enter the rollup only through the bridge", refusal: .unsupportedType)
        }
        let signed = try TransferRules.decode(raw, senders: senders)
        let intrinsic = try TransferRules.checkStatic(signed, chainID: chainID)
        var ledger = AccountLedger(state)
        try TransferRules.checkAccount(signed, account: try ledger.account(signed.sender), exactNonce: false)
        return TransactionSummary(
            type: signed.type.rawValue, hash: signed.hash.bytes, sender: signed.sender.bytes, recipient: signed.to?.bytes,
            nonce: signed.nonce, gasLimit: signed.gasLimit, intrinsicGas: intrinsic, maxFeePerGas: signed.maxFeePerGas,
            maxPriorityFeePerGas: signed.maxPriorityFeePerGas, value: signed.value,
            maxCost: TransferRules.maxCost(signed) ?? .max, encodedSize: UInt64(raw.count))
    }

    func account(_ address: [UInt8], state: StateAccessor) throws(PluginError) -> AccountState {
        var ledger = AccountLedger(state)
        return try ledger.account(try Self.address(address, "the account address"))
    }

    func beginBlock(_ block: BlockContext, state: StateAccessor) throws(PluginError) {
        guard block.chainID == chainID else {
            throw PluginError(.invalidArgument, "block \(block.number) is for chain \(block.chainID), but this node's chain id is \(chainID)")
        }
    }

    func execute(_ raw: [UInt8], block: BlockContext, blockGasUsed: UInt64, state: StateAccessor) throws(PluginError) -> TransactionOutcome {
        var ledger = AccountLedger(state)
        let outcome: TransactionOutcome
        if raw.first == DepositTransaction.typeByte {
            outcome = try applyDeposit(raw, ledger: &ledger)
        } else {
            outcome = try applyTransfer(raw, block: block, blockGasUsed: blockGasUsed, ledger: &ledger)
        }
        try ledger.commit()
        return outcome
    }

    func endBlock(_ block: BlockContext, blockGasUsed: UInt64, state: StateAccessor) throws(PluginError) -> UInt128 {
        feeMarket.nextBaseFee(baseFee: block.baseFeePerGas, gasUsed: blockGasUsed, gasLimit: block.gasLimit)
    }

    /// `0x01 ‖ address` (`AccountLedger`), which `keel_getProof` proves.
    func accountKey(_ address: Address) -> [UInt8]? { AccountLedger.key(of: address) }

    /// Funds each account of `genesis.alloc` (nonce 0) in the layout of `AccountLedger`.
    func writeGenesis(_ genesis: GenesisSpec, state: StateAccessor) throws(PluginError) {
        var ledger = AccountLedger(state)
        for (address, balance) in genesis.alloc {
            try ledger.credit(address, balance)
        }
        try ledger.commit()
    }

    /// eth_call and eth_estimateGas: checks that the sender holds the value and reports the gas the
    /// transfer would use. Fees are not charged (an eth_call has no gas price) and nothing is written.
    func call(_ request: CallRequest, block: BlockContext, state: StateAccessor) throws(PluginError) -> CallResult {
        let sender = try Self.address(request.sender, "the call's sender")
        guard let recipient = request.recipient else {
            throw PluginError(.unsupported, "contract creation not supported: the transfer execution plugin only moves value; set a recipient address")
        }
        _ = try Self.address(recipient, "the call's recipient")
        let gas = IntrinsicGas.used(data: request.data, floorActive: host.isActive(IntrinsicGas.calldataFloorFlag, atHeight: block.number))
        let gasLimit = request.gasLimit == 0 ? block.gasLimit : request.gasLimit
        guard gasLimit >= gas else {
            throw PluginError(.rejected, "intrinsic gas too low: gas \(gasLimit), minimum needed \(gas)")
        }
        var ledger = AccountLedger(state)
        let balance = try ledger.account(sender).balance
        guard balance >= request.value else {
            throw PluginError(.rejected, "insufficient funds for transfer: address \(sender) have \(balance) want \(request.value)")
        }
        return CallResult(succeeded: true, gasUsed: gas)
    }

    static func address(_ bytes: [UInt8], _ what: String) throws(PluginError) -> Address {
        guard let address = Address(bytes: bytes) else {
            throw PluginError(.invalidArgument, "\(what) must be 20 bytes, not \(bytes.count)")
        }
        return address
    }
}

@_cdecl("keel_plugin_entry_v1")
public func keelPluginEntry() -> UnsafeRawPointer { PluginExport.descriptor(for: TransferVM.self) }
