import HTTPCore
import Logging
import Synchronization
import Timekeeping

/// `serve --dev`: rebuilds the app when a file under `Templates/` or `Public/` changes, checked at
/// most every quarter second. A change that does not compile is logged and the last good app
/// keeps answering, so a typo never takes the dev server down.
final class DevReloadingResponder: HTTPResponder {
    private struct State {
        var fingerprint: [String: FileSystem.Status]
        var responder: any HTTPResponder
        var checked: MonotonicTime
    }

    private let folders: [String]
    private let logger: Logger
    private let build: @Sendable () throws(AppError) -> any HTTPResponder
    private let state: Mutex<State>
    static let checkInterval: Duration = .milliseconds(250)

    init(folders: [String], logger: Logger, build: @escaping @Sendable () throws(AppError) -> any HTTPResponder) throws(AppError) {
        self.folders = folders
        self.logger = logger
        self.build = build
        let fingerprint = Self.fingerprint(folders)
        state = Mutex(State(fingerprint: fingerprint, responder: try build(), checked: .now()))
    }

    func dispatch(_ request: consuming Request) -> Dispatch {
        current().dispatch(request)
    }

    func refusesRegardlessOfBody(_ request: Request) -> Bool {
        current().refusesRegardlessOfBody(request)
    }

    private func current() -> any HTTPResponder {
        state.withLock { state in
            let now = MonotonicTime.now()
            guard now - state.checked >= Self.checkInterval else { return state.responder }
            state.checked = now
            let fingerprint = Self.fingerprint(folders)
            guard fingerprint != state.fingerprint else { return state.responder }
            state.fingerprint = fingerprint
            do throws(AppError) {
                state.responder = try build()
                logger.info("reloaded templates and assets")
            } catch {
                logger.error("reload failed; still serving the previous version", metadata: ["error": "\(error)"])
            }
            return state.responder
        }
    }

    private static func fingerprint(_ folders: [String]) -> [String: FileSystem.Status] {
        var result: [String: FileSystem.Status] = [:]
        for folder in folders {
            for file in (try? FileSystem.files(under: folder)) ?? [] {
                let path = "\(folder)/\(file)"
                result[path] = FileSystem.status(path)
            }
        }
        return result
    }
}
