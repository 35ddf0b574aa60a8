import Glibc
import Synchronization

/// A program run by a test: its output goes to files, every wait has a deadline, and it is killed
/// (by PID) if the test forgets to stop it.
package final class ChildProcess: @unchecked Sendable { // used by one test at a time
    package let pid: pid_t
    private let folder = TemporaryFolder()
    package private(set) var exitStatus: Int32?

    /// Starts `path` with `arguments`, the environment `environment` (plus PATH), output to files.
    /// `ownGroup` puts it in a process group of its own, so that `signalGroup` reaches the
    /// processes it starts too (PostgreSQL's backends).
    package init(_ path: String, _ arguments: [String], environment: [String: String] = [:], ownGroup: Bool = false) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, folder.file("stdout"), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, folder.file("stderr"), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var env = environment
        // This process's PATH unless the test gives one: `python3` may live outside /usr/bin.
        env["PATH"] = env["PATH"] ?? getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        // As a shell starts a program: no signal blocked and none ignored. The test runner blocks
        // some on its threads, and a child that inherited the mask would hide whether the program
        // blocks stop signals itself (StopSignalTests).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | (ownGroup ? POSIX_SPAWN_SETPGROUP : 0)))
        var pid: pid_t = 0
        let code = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard code == 0 else { throw SpawnError(code: code, path: path) }
        self.pid = pid
    }

    package struct SpawnError: Error, CustomStringConvertible {
        package let code: Int32
        package let path: String
        package var description: String { "cannot start \(path): \(String(cString: strerror(code)))" }
    }

    package var standardError: String { read("stderr") }
    package var standardOutput: String { read("stdout") }

    /// Waits for the exit, at most `timeout`; the exit status (128 + signal when killed), or `nil`.
    @discardableResult
    package func wait(timeout: Duration = .seconds(10)) -> Int32? {
        if let exitStatus { return exitStatus }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                let signal = status & 0x7F
                exitStatus = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
                return exitStatus
            }
            usleep(5_000)
        }
        return nil
    }

    package func signal(_ signal: Int32) { if exitStatus == nil { kill(pid, signal) } }

    /// Sends `signal` to every process of its group (started with `ownGroup`), then waits, at most
    /// `timeout`, until none is left; `false` if some still are.
    @discardableResult
    package func signalGroup(_ signal: Int32, timeout: Duration = .seconds(10)) -> Bool {
        kill(-pid, signal)
        wait(timeout: timeout)
        let deadline = ContinuousClock.now + timeout
        while kill(-pid, 0) == 0 {
            guard ContinuousClock.now < deadline else { return false }
            sched_yield()
        }
        return true
    }

    /// Waits until standard error contains `text`, at most `timeout`; returns what it holds.
    package func waitForError(containing text: String, timeout: Duration = .seconds(10)) -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let output = standardError
            if output.contains(text) { return output }
            var status: Int32 = 0
            if exitStatus != nil || waitpid(pid, &status, WNOHANG) == pid { return nil }
            usleep(5_000)
        }
        return nil
    }

    private func read(_ name: String) -> String {
        String(decoding: readFile(folder.file(name)) ?? [], as: UTF8.self)
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }
}

/// Processes to kill when the test process exits: a server shared by every suite is never
/// released, and must not outlive the run.
private let killedAtExit = Mutex<[pid_t]>([])
private let registerAtExit: Void = {
    atexit {
        for pid in killedAtExit.withLock({ $0 }) {
            kill(-pid, SIGKILL) // its group, when it has one
            kill(pid, SIGKILL)
        }
    }
}()

extension ChildProcess {
    /// Kills this process (and its group) when the test process exits, if it still runs.
    package func killAtExit() {
        _ = registerAtExit
        killedAtExit.withLock { $0.append(pid) }
    }
}

extension ChildProcess {
    /// No longer kills it at exit: it has been stopped and waited for (its PID may be reused).
    package func forgetAtExit() {
        killedAtExit.withLock { $0.removeAll { $0 == pid } }
    }
}
