import ArgumentParser
import CLinux
import Glibc
import Timekeeping

/// Runs the command line; every failure is one line on stderr and a non-zero exit.
@main
enum Entry {
    /// When the process started, as near as Swift code can see it: read first thing in `main`
    /// (a static is made on first use). Lambda's `InitDuration` metric counts from here.
    static let started = MonotonicTime.now()

    static func main() {
        _ = started
        // Before anything else, and before any thread exists: every thread made from here on
        // inherits the mask, so a stop signal can only be taken by the one thread of `serve` or
        // `lambda` that waits for it (sigwait), never by a store's or a loop's thread, whose
        // default action would end the process with no graceful stop.
        _ = clinux_block_stop_signals()
        do {
            let arguments = Array(CommandLine.arguments.dropFirst())
            if runsAsLambda {
                // Nothing to parse: the environment says it all, and skipping the parser is a
                // millisecond of every cold start.
                try LambdaCommand.run(settings: AppSettings())
                return
            }
            if let first = arguments.first, !first.hasPrefix("-"), !commandNames.contains(first) {
                // `serve` is the default command, so the parser would only say "Unexpected argument".
                throw ConfigurationError.cannotStart("unknown command '\(first)': the commands are \(commandNames.joined(separator: ", ")) (see swiftlet --help)")
            }
            var command = try SwiftletCommand.parseAsRoot(arguments)
            // Still one thread. A command with no stop of its own is ended by Ctrl-C as usual.
            if !(command is ServeCommand || command is LambdaCommand) { _ = clinux_unblock_stop_signals() }
            try command.run()
        } catch {
            let code = SwiftletCommand.exitCode(for: error)
            if code == .success {
                print(SwiftletCommand.fullMessage(for: error))
                exit(0)
            }
            var message = SwiftletCommand.message(for: error)
            if message.isEmpty { message = "\(error)" }
            if code == .validationFailure { message += " (see swiftlet --help)" }
            let firstLine = message.split(separator: "\n").first.map(String.init) ?? message
            let line = Array("swiftlet: error: \(firstLine)\n".utf8)
            _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            exit(code.rawValue == 0 ? 1 : code.rawValue)
        }
    }

    static var commandNames: [String] {
        SwiftletCommand.configuration.subcommands.compactMap { $0.configuration.commandName }
    }

    /// The process is a Lambda runtime when Lambda says so (`AWS_LAMBDA_RUNTIME_API`) or when it
    /// is installed as the runtime (`bootstrap`), unless it is asked for a command by name: a
    /// container image's `CMD` (the handler name) may follow as an argument, and is not one.
    static var runsAsLambda: Bool {
        let arguments = CommandLine.arguments.dropFirst()
        if let first = arguments.first, first.hasPrefix("-") || commandNames.contains(first) {
            return false
        }
        if Environment()["AWS_LAMBDA_RUNTIME_API"] != nil { return true }
        let name = CommandLine.arguments[0].split(separator: "/").last.map(String.init) ?? ""
        return name == "bootstrap"
    }
}
