import ArgumentParser

/// `swiftlet`: the one executable, which serves the site locally and runs it on Lambda.
struct SwiftletCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiftlet",
        abstract: "A server-rendered website for a laptop and for AWS Lambda.",
        subcommands: [ServeCommand.self, LambdaCommand.self, AssetsCommand.self, CreateTableCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
