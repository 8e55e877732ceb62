/// The rollout features the node gates per subject (docs/FLAGS.md, "Rollout features"). Each is a
/// rollout flag of this name in the manifest's `features:`; undeclared, it is off for everyone.
public enum RolloutFeature: String, Sendable, CaseIterable {
    /// `eth_sendRawTransactionSync` (EIP-7966): the answer is the receipt, once the transaction is in
    /// a block. Subject: the client (its `X-API-Key` header, else its IP address). Its requests are
    /// the client's transaction submissions, sync or not.
    case sendRawTransactionSync = "send-raw-transaction-sync"
    /// A cap on each sender's pending transactions in the mempool (`node.sender_pending_limit`).
    /// Subject: the sender. Its requests are the sender's submissions; refusals count as errors.
    case senderPendingLimit = "mempool-sender-limit"
}
