import ArgumentParser

/// `keel`: validate manifests, list and scaffold plugins, assemble and run rollups.
/// Exit status 0 on success, 1 on a user's error (the message is on standard error).
@main
struct Keel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keel",
        abstract: "Assemble rollups from plugins named in a YAML manifest.",
        subcommands: [ValidateCommand.self, PluginsCommand.self, AssembleCommand.self, NewCommand.self])
}
