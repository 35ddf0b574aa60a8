import CLinux
import Glibc
import Synchronization
package import Timekeeping

/// One thread, one epoll queue, the descriptors registered with it, its timers, and a job queue.
///
/// It is also a Swift `TaskExecutor`: a task started with `Task(executorPreference: loop)` runs its
/// jobs on this loop's thread, between two rounds of I/O. That is how a connection hands a request to
/// an `async` responder without a thread hop and without blocking other connections: the responder
/// runs until it suspends (on a store, say), the loop goes on serving I/O, and the task resumes here.
///
/// Everything but `execute`, `enqueue` and `stop` must be called on the loop's thread.
package final class EventLoop: TaskExecutor, @unchecked Sendable {
    private let queue: EpollEventQueue
    private let wakeFD: Int32
    private var handlers: [(any EventLoopHandler)?] = []
    private var generations: [UInt32] = []
    private var timers = TimerHeap()
    /// A job: a closure, or a task's job (kept as it is: wrapping each in a closure allocated
    /// a context per resumed task).
    enum Job: @unchecked Sendable {
        case closure(() -> Void)
        case task(UnownedJob)
    }

    private var localJobs: [Job] = []
    /// Taken by `runJobs` from the remote queue, kept to reuse its storage.
    private var remoteBatch: [Job] = []
    private var roundObservers: [any EventLoopRoundObserver] = []
    private let remoteJobs = Mutex<[Job]>([])
    private let threadID = Atomic<UInt>(0)
    private let stopping = Atomic<Bool>(false)
    /// A number for logs (`loop 0`, `loop 1`).
    package let index: Int

    private static let wakeToken = UInt64.max

    package init(index: Int = 0) throws(SocketError) {
        self.index = index
        self.queue = try EpollEventQueue()
        let fd = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard fd >= 0 else { throw .last("eventfd") }
        self.wakeFD = fd
        try queue.register(fd, interest: .read, token: Self.wakeToken)
    }

    deinit {
        Glibc.close(wakeFD)
    }

    /// `true` on this loop's own thread.
    package var inLoop: Bool {
        threadID.load(ordering: .relaxed) == UInt(bitPattern: Int(bitPattern: UInt(pthread_self())))
    }

    // MARK: Descriptors

    /// Watches `fd` for `interest` and calls `handler` when it is ready.
    package func register(_ fd: Int32, interest: IOInterest, handler: any EventLoopHandler) throws(SocketError) {
        let slot = Int(fd)
        if slot >= handlers.count {
            let size = max(slot + 1, handlers.count * 2, 64)
            handlers.append(contentsOf: repeatElement(nil, count: size - handlers.count))
            generations.append(contentsOf: repeatElement(0, count: size - generations.count))
        }
        generations[slot] &+= 1
        handlers[slot] = handler
        do {
            try queue.register(fd, interest: interest, token: token(for: fd))
        } catch {
            handlers[slot] = nil
            throw error
        }
    }

    /// Changes what `fd` is watched for.
    package func modify(_ fd: Int32, interest: IOInterest) throws(SocketError) {
        try queue.modify(fd, interest: interest, token: token(for: fd))
    }

    /// Stops watching `fd` (before it is closed).
    package func deregister(_ fd: Int32) {
        let slot = Int(fd)
        guard slot < handlers.count else { return }
        handlers[slot] = nil
        generations[slot] &+= 1
        queue.deregister(fd)
    }

    private func token(for fd: Int32) -> UInt64 {
        UInt64(generations[Int(fd)]) << 32 | UInt64(UInt32(bitPattern: fd))
    }

    // MARK: Jobs and timers

    /// Calls `observer.roundEnded()` once this round's events and jobs are handled; loop thread only.
    ///
    /// The server writes responses here rather than as each is made: a round's work runs before
    /// the first `send` wakes a client, so the loop is not preempted by the clients it wakes
    /// between one request and the next.
    package func atEndOfRound(_ observer: any EventLoopRoundObserver) {
        roundObservers.append(observer)
    }

    /// Runs `job` on the loop's thread soon; callable from any thread.
    package func execute(_ job: @escaping @Sendable () -> Void) {
        if inLoop {
            localJobs.append(.closure(job))
        } else {
            enqueueRemote(.closure(job))
        }
    }

    private func enqueueRemote(_ job: Job) {
        let wasEmpty = remoteJobs.withLock { jobs in
            jobs.append(job)
            return jobs.count == 1
        }
        if wasEmpty {
            var one: UInt64 = 1
            _ = Glibc.write(wakeFD, &one, 8)
        }
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        if inLoop {
            localJobs.append(.task(unowned))
        } else {
            enqueueRemote(.task(unowned))
        }
    }

    /// Calls `action` on the loop's thread at `deadline`; returns an id for `cancelTimer`.
    @discardableResult
    package func schedule(at deadline: MonotonicTime, _ action: @escaping () -> Void) -> UInt64 {
        timers.insert(deadline: deadline, action)
    }

    /// Calls `action` every `interval`, starting one interval from now, until the loop stops.
    package func scheduleRepeating(every interval: Duration, _ action: @escaping () -> Void) {
        schedule(at: MonotonicTime.now().advanced(by: interval)) { [unowned self] in
            action()
            self.scheduleRepeating(every: interval, action)
        }
    }

    /// Cancels a timer that has not fired yet.
    package func cancelTimer(_ id: UInt64) {
        timers.cancel(id)
    }

    // MARK: Running

    /// Runs the loop on the calling thread until `stop()`.
    package func run() throws(SocketError) {
        threadID.store(UInt(bitPattern: Int(bitPattern: UInt(pthread_self()))), ordering: .relaxed)
        while !stopping.load(ordering: .relaxed) {
            let timeout: Int32
            if !localJobs.isEmpty || !roundObservers.isEmpty {
                timeout = 0
            } else if let next = timers.nextDeadline {
                timeout = Int32(clamping: MonotonicTime.now().milliseconds(until: next))
            } else {
                timeout = -1
            }
            try queue.wait(timeoutMilliseconds: timeout) { event in
                if event.token == Self.wakeToken {
                    var value: UInt64 = 0
                    _ = Glibc.read(wakeFD, &value, 8)
                    return
                }
                let slot = Int(UInt32(truncatingIfNeeded: event.token))
                guard slot < handlers.count, UInt64(generations[slot]) == event.token >> 32,
                      let handler = handlers[slot] else { return }
                handler.handle(event.events)
            }
            if timers.nextDeadline != nil {
                for action in timers.popDue(now: .now()) { action() }
            }
            runJobs()
            endRound()
        }
        runJobs()
        endRound()
        releaseEverything()
    }

    /// Drops what the loop holds once it has stopped: the handlers registered with it, the timers'
    /// closures, jobs and observers. Each of those may hold the loop (a connection, a sweep that
    /// captures its loop's context), and without this a stopped server's loops, contexts and read
    /// buffers were never freed (LeakSanitizer: ~11 MB per server).
    private func releaseEverything() {
        for slot in handlers.indices where handlers[slot] != nil {
            handlers[slot] = nil
            queue.deregister(Int32(slot))
        }
        timers = TimerHeap()
        localJobs.removeAll()
        roundObservers.removeAll()
        remoteJobs.withLock { $0.removeAll() }
    }

    private func endRound() {
        guard !roundObservers.isEmpty else { return }
        let observers = roundObservers
        roundObservers.removeAll(keepingCapacity: true)
        for observer in observers { observer.roundEnded() }
    }

    private func runJobs() {
        remoteJobs.withLock { jobs in
            if !jobs.isEmpty { swap(&jobs, &remoteBatch) }
        }
        if !remoteBatch.isEmpty {
            localJobs.append(contentsOf: remoteBatch)
            remoteBatch.removeAll(keepingCapacity: true)
        }
        // Jobs queued while these run wait for the next round, after I/O: no starvation.
        var batch: [Job] = []
        swap(&batch, &localJobs)
        let executor = asUnownedTaskExecutor()
        for job in batch {
            switch job {
            case .closure(let run): run()
            case .task(let task): task.runSynchronously(on: executor)
            }
        }
        if localJobs.isEmpty {
            batch.removeAll(keepingCapacity: true)
            swap(&batch, &localJobs)
        }
    }

    /// Asks the loop to finish its current round and return from `run()`; callable from any thread.
    package func stop() {
        stopping.store(true, ordering: .relaxed)
        var one: UInt64 = 1
        _ = Glibc.write(wakeFD, &one, 8)
    }
}
