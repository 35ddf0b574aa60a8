import ArgumentParser
import Glibc

/// Runs the command line; every failure is one line on stderr and a non-zero exit.
@main
enum Entry {
    static func main() {
        do {
            var command = try SwiftletCommand.parseAsRoot()
            try command.run()
        } catch {
            let code = SwiftletCommand.exitCode(for: error)
            if code == .success {
                print(SwiftletCommand.fullMessage(for: error))
                exit(0)
            }
            var message = SwiftletCommand.message(for: error)
            if message.isEmpty { message = "\(error)" }
            let firstLine = message.split(separator: "\n").first.map(String.init) ?? message
            let line = Array("swiftlet: error: \(firstLine)\n".utf8)
            _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            exit(code.rawValue == 0 ? 1 : code.rawValue)
        }
    }
}
