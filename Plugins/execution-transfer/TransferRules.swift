import KeelPluginKit

/// The checks a transfer passes before it may enter the mempool or a block, with the refusal
/// messages wallets and libraries already know from go-ethereum (they match on the text before the
/// first colon): "nonce too low", "insufficient funds for gas * price + value", …
enum TransferRules {
    /// Decodes a user transaction and recovers its sender (or takes it from `senders`); deposits
    /// and unknown types are refused.
    static func decode(_ raw: [UInt8], senders: RecoveryCache) throws(PluginError) -> SignedTransaction {
        do throws(TransactionError) {
            return try Transaction.decode(raw: raw, recoveryCache: senders)
        } catch {
            switch error.reason {
            case .unsupportedType, .unknownType:
                throw PluginError(.unsupported, error.description, refusal: .unsupportedType)
            case .invalidV, .invalidYParity, .invalidSignature:
                throw PluginError(.invalidArgument, error.description, refusal: .signature)
            default:
                throw PluginError(.invalidArgument, error.description, refusal: .malformed)
            }
        }
    }

    /// What can be checked without state: chain id, recipient, fee terms, intrinsic gas.
    /// Returns the intrinsic gas.
    static func checkStatic(_ signed: SignedTransaction, chainID: UInt64) throws(PluginError) -> UInt64 {
        guard let chainId = signed.chainId else {
            throw PluginError.refused(.chainID, "invalid chain id: the transaction has no chain id (a legacy transaction signed without EIP-155 replay protection); sign it for chain \(chainID)")
        }
        guard chainId == chainID else {
            throw PluginError.refused(.chainID, "invalid chain id: the transaction is signed for chain \(chainId), this rollup is chain \(chainID); sign it for chain \(chainID)")
        }
        guard let recipient = signed.to else {
            throw PluginError(.unsupported, "contract creation not supported: the transfer execution plugin only moves value; set a recipient address", refusal: .unsupportedType)
        }
        if signed.maxPriorityFeePerGas > signed.maxFeePerGas {
            throw PluginError.refused(.tipAboveFeeCap, "max priority fee per gas higher than max fee per gas: address \(signed.sender), maxPriorityFeePerGas: \(signed.maxPriorityFeePerGas), maxFeePerGas: \(signed.maxFeePerGas)")
        }
        let intrinsic = IntrinsicGas.of(signed.transaction)
        guard signed.gasLimit >= intrinsic else {
            throw PluginError.refused(.intrinsicGas, "intrinsic gas too low: gas \(signed.gasLimit), minimum needed \(intrinsic)")
        }
        if recipient == WithdrawalMessage.bridgeAddress && signed.value == 0 {
            throw PluginError.refused(.other, "withdrawal of 0 wei: a transfer to the bridge address \(WithdrawalMessage.bridgeAddress) withdraws its value to L1; send a value above zero")
        }
        return intrinsic
    }

    /// gasLimit × maxFeePerGas + value, or nil past 2^128 − 1 (no balance can cover it).
    static func maxCost(_ signed: SignedTransaction) -> UInt128? {
        let (gasCost, overflow) = UInt128(signed.gasLimit).multipliedReportingOverflow(by: signed.maxFeePerGas)
        guard !overflow else { return nil }
        let (total, overflowAgain) = gasCost.addingReportingOverflow(signed.value)
        return overflowAgain ? nil : total
    }

    /// Refuses a nonce already used and a balance below the most the transaction can cost.
    /// With `exactNonce`, a nonce ahead of the account's is refused too (a block needs the next one;
    /// the mempool may hold later ones).
    static func checkAccount(_ signed: SignedTransaction, account: AccountState, exactNonce: Bool) throws(PluginError) {
        if signed.nonce < account.nonce {
            throw PluginError.refused(.nonceTooLow, "nonce too low: address \(signed.sender), tx: \(signed.nonce) state: \(account.nonce); the next nonce of this account is \(account.nonce)")
        }
        if exactNonce && signed.nonce > account.nonce {
            throw PluginError.refused(.nonceTooHigh, "nonce too high: address \(signed.sender), tx: \(signed.nonce) state: \(account.nonce); transactions of a sender run in nonce order without gaps")
        }
        let want = maxCost(signed)
        guard let want, account.balance >= want else {
            let wanted = want.map { "\($0)" } ?? "more than 2^128 − 1"
            throw PluginError.refused(.insufficientFunds, "insufficient funds for gas * price + value: address \(signed.sender) have \(account.balance) want \(wanted); the account needs gas limit × max fee per gas + value wei")
        }
    }

    /// Refuses a fee cap below the block's base fee; returns the tip per gas the block producer gets:
    /// min(maxPriorityFeePerGas, maxFeePerGas − baseFee).
    static func tipPerGas(_ signed: SignedTransaction, baseFee: UInt128) throws(PluginError) -> UInt128 {
        guard signed.maxFeePerGas >= baseFee else {
            throw PluginError.refused(.feeBelowBaseFee, "max fee per gas less than block base fee: address \(signed.sender), maxFeePerGas: \(signed.maxFeePerGas), baseFee: \(baseFee); raise the max fee per gas")
        }
        return min(signed.maxPriorityFeePerGas, signed.maxFeePerGas - baseFee)
    }
}
