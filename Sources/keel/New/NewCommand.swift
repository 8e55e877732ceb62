import ArgumentParser

/// `keel new plugin …` and `keel new rollup …`: starting points that build, list and validate as
/// they are. The templates come from the Keel repository's `templates/` folder (`KeelHome`).
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Write a new plugin project or a new rollup manifest from Keel's templates.",
        subcommands: [NewPluginCommand.self, NewRollupCommand.self])
}
