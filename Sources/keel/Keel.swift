import ArgumentParser
import Foundation

/// `keel`: validate manifests, list and scaffold plugins, assemble and run rollups.
/// Exit status 0 on success, 1 on a user's error (the message is on standard error).
@main
struct Keel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keel",
        abstract: "Assemble rollups from plugins named in a YAML manifest.",
        subcommands: [
            ValidateCommand.self, PluginsCommand.self, ConformanceCommand.self, AssembleCommand.self, NewCommand.self,
            UpCommand.self, FollowCommand.self, AttestCommand.self, BenchCommand.self,
            StatusCommand.self, BalanceCommand.self, TxCommand.self, WithdrawCommand.self, ClaimCommand.self,
            L1Command.self, FlagsCommand.self, DACMemberCommand.self, DAServerCommand.self,
            DACommand.self, UpgradeCommand.self, RoleCommand.self, ChallengeCommand.self, DisputesCommand.self, EscapeCommand.self,
        ])

    /// As ArgumentParser's `main`, but every user error (usage errors too) exits with status 1.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            let message = fullMessage(for: error)
            if !message.isEmpty { printError(message) }
            Foundation.exit(1)
        }
    }
}
