import KeelPluginKit

extension TransferVM {
    /// A user transaction in a block: every check first, then the writes into `ledger`.
    ///
    /// The sender pays `gasUsed × (baseFee + tip)` and the value; the fee recipient gets
    /// `gasUsed × tip`; `gasUsed × baseFee` is burned (credited to no one). A transfer to the bridge
    /// address credits no one either: its value leaves L2 as a withdrawal message.
    func applyTransfer(_ raw: [UInt8], block: BlockContext, blockGasUsed: UInt64,
                       ledger: inout AccountLedger) throws(PluginError) -> TransactionOutcome {
        let signed = try TransferRules.decode(raw, senders: senders)
        let intrinsic = try TransferRules.checkStatic(signed, chainID: chainID)
        // A consensus feature decided here, through the host's flag service: EIP-7623's calldata floor.
        let floorActive = host.isActive(IntrinsicGas.calldataFloorFlag, atHeight: block.number)
        let gasUsed = floorActive ? max(intrinsic, IntrinsicGas.floor(data: signed.transaction.data)) : intrinsic
        guard signed.gasLimit >= gasUsed else {
            throw PluginError.refused(.intrinsicGas, "intrinsic gas too low: gas \(signed.gasLimit), minimum needed \(gasUsed) (the EIP-7623 calldata floor, active from consensus flag \(IntrinsicGas.calldataFloorFlag))")
        }
        let feeRecipient = try Self.address(block.feeRecipient, "the block's fee recipient")
        guard signed.gasLimit <= block.gasLimit else {
            throw PluginError.refused(.gasLimitTooHigh, "exceeds block gas limit: the transaction's gas limit \(signed.gasLimit) is above the block gas limit \(block.gasLimit); lower the gas limit")
        }
        let (blockGasAfter, overflow) = blockGasUsed.addingReportingOverflow(signed.gasLimit)
        guard !overflow, blockGasAfter <= block.gasLimit else {
            throw PluginError.refused(.blockGasExhausted, "gas limit reached: the transaction's gas limit \(signed.gasLimit) does not fit in block \(block.number) (\(blockGasUsed) of \(block.gasLimit) gas used); it can go in a later block")
        }
        let tip = try TransferRules.tipPerGas(signed, baseFee: block.baseFeePerGas)
        var sender = try ledger.account(signed.sender)
        try TransferRules.checkAccount(signed, account: sender, exactNonce: true)
        guard sender.nonce < UInt64.max else {
            throw PluginError.refused(.nonceMax, "nonce has max value: address \(signed.sender), nonce \(sender.nonce); this account cannot send again")
        }
        // checkAccount made sure gasLimit × maxFee + value fits in the balance, and
        // gasUsed ≤ gasLimit, baseFee + tip ≤ maxFee: none of these overflow.
        let gas = UInt128(gasUsed)
        let fee = gas * (block.baseFeePerGas + tip)
        sender.balance -= fee + signed.value
        sender.nonce += 1
        ledger.setAccount(sender, for: signed.sender)

        var message: [UInt8] = []
        if let recipient = signed.to, recipient != WithdrawalMessage.bridgeAddress {
            try ledger.credit(recipient, signed.value)
        } else {
            let nonce = try ledger.counter(AccountLedger.withdrawalNonceKey)
            message = WithdrawalMessage(sender: signed.sender, recipient: signed.sender, amount: signed.value, nonce: nonce).encoded
            ledger.setCounter(nonce + 1, for: AccountLedger.withdrawalNonceKey)
        }
        try ledger.credit(feeRecipient, gas * tip)
        return TransactionOutcome(succeeded: true, gasUsed: gasUsed, feePaid: fee, l2ToL1Message: message)
    }

    /// A deposit from the bridge: credits the recipient without gas. Deposits must come in index
    /// order (0, 1, 2, …), so one can never be applied twice or skipped.
    func applyDeposit(_ raw: [UInt8], ledger: inout AccountLedger) throws(PluginError) -> TransactionOutcome {
        let deposit: DepositTransaction
        do throws(TransactionError) {
            deposit = try Transaction.decodeDeposit(raw: raw)
        } catch {
            throw PluginError(.invalidArgument, error.description)
        }
        let expected = try ledger.counter(AccountLedger.depositIndexKey)
        guard deposit.depositIndex == expected else {
            throw PluginError.refused(.depositOrder, "deposit \(deposit.depositIndex) is out of order: the next deposit to include is \(expected); deposits are included once each, in the bridge's order")
        }
        ledger.setCounter(expected + 1, for: AccountLedger.depositIndexKey)
        if deposit.to == WithdrawalMessage.bridgeAddress {
            return try applyForcedWithdrawal(deposit, ledger: &ledger)
        }
        try ledger.credit(deposit.to, deposit.amount)
        return TransactionOutcome(succeeded: true, gasUsed: 0, feePaid: 0)
    }

    /// A forced withdrawal: a request queued on L1 (a "deposit" to the bridge address) that L2 must
    /// include like any deposit. It withdraws `amount` from `from` to `from` on L1 if the balance
    /// covers it; otherwise it withdraws nothing (the receipt fails) but is still consumed, so a
    /// request can never block the queue.
    private func applyForcedWithdrawal(_ deposit: DepositTransaction, ledger: inout AccountLedger) throws(PluginError) -> TransactionOutcome {
        var account = try ledger.account(deposit.from)
        guard deposit.amount > 0, account.balance >= deposit.amount else {
            return TransactionOutcome(succeeded: false, gasUsed: 0, feePaid: 0)
        }
        account.balance -= deposit.amount
        ledger.setAccount(account, for: deposit.from)
        let nonce = try ledger.counter(AccountLedger.withdrawalNonceKey)
        ledger.setCounter(nonce + 1, for: AccountLedger.withdrawalNonceKey)
        let message = WithdrawalMessage(sender: deposit.from, recipient: deposit.from, amount: deposit.amount, nonce: nonce).encoded
        return TransactionOutcome(succeeded: true, gasUsed: 0, feePaid: 0, l2ToL1Message: message)
    }
}
