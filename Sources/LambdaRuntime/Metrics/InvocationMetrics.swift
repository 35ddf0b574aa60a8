import Glibc
import HTTPCore
import HTTPTypes
import Synchronization
package import Timekeeping

/// The runtime's metrics: one Embedded Metric Format object per invocation, written to standard
/// output, where Lambda sends it to CloudWatch Logs and CloudWatch extracts the metrics ("Using
/// the embedded metric format with Lambda", CloudWatch User Guide). No network call, no
/// permission beyond the logs the function writes anyway. A custom runtime's standard output
/// reaches the log group as it is with either log format, and the object is one line, so it is
/// one log event in both.
///
/// Each object has namespace `Swiftlet`, dimensions `FunctionName` and `Region`, and:
/// - `InitDuration` (first invocation only): from the process's start to its first `/next`;
///   Lambda's own `Init Duration` adds the time to load the binary;
/// - `ResponseTime`: from the event's arrival to the answer's last byte sent;
/// - `Status2xx` … `Status5xx`: 1 for the answer's class, 0 for the others, so the average is a
///   rate (HTTP invocations only);
/// - what `observe` returns: what others measured while the invocation's answer was made (the
///   store's time, visits and errors). It wraps each invocation's work, so a figure kept in a
///   task-local (`StoreMeter.current`) belongs to that invocation alone, even when several run at
///   once under Lambda Managed Instances.
package final class InvocationMetrics: Sendable {
    package static let namespace = "Swiftlet"

    /// Runs one invocation's work and returns the figures measured during it.
    package typealias Observer = @Sendable (_ work: () async -> Void) async -> [EMFMetric]

    private let dimensions: [(name: String, value: String)]
    private let processStart: MonotonicTime
    private let observer: Observer
    private let write: @Sendable ([UInt8]) -> Void
    /// Set when the runtime first asks for an invocation; reported by the first object.
    private let initDuration = Mutex<(value: Duration?, reported: Bool)>((nil, false))

    package init(functionName: String, region: String, processStart: MonotonicTime,
                observe: @escaping Observer = { work in await work(); return [] },
                write: @escaping @Sendable ([UInt8]) -> Void = InvocationMetrics.writeToStandardOutput) {
        dimensions = [("FunctionName", functionName), ("Region", region)]
        self.processStart = processStart
        self.observer = observe
        self.write = write
    }

    /// The runtime is about to ask for its first invocation: init is over.
    func initFinished() {
        let elapsed = MonotonicTime.now() - processStart
        initDuration.withLock { if $0.value == nil { $0.value = elapsed } }
    }

    /// Runs `work` (the invocation's answer being made) under the observer.
    func observe(_ work: () async -> Void) async -> [EMFMetric] {
        await observer(work)
    }

    /// Writes the object for one invocation.
    func record(requestID: String, elapsed: Duration, outcome: LambdaEventHandler.Outcome, figures: [EMFMetric]) {
        write(record(requestID: requestID, elapsed: elapsed, outcome: outcome, figures: figures, timestampMilliseconds: WallClock.nowMilliseconds()).line())
    }

    /// The object for one invocation.
    func record(requestID: String, elapsed: Duration, outcome: LambdaEventHandler.Outcome, figures: [EMFMetric],
                timestampMilliseconds: Int64) -> EMFRecord {
        var metrics: [EMFMetric] = []
        metrics.reserveCapacity(10)
        let firstInit = initDuration.withLock { state -> Duration? in
            guard !state.reported, let value = state.value else { return nil }
            state.reported = true
            return value
        }
        if let initDuration = firstInit {
            metrics.append(EMFMetric("InitDuration", .milliseconds(initDuration)))
        }
        metrics.append(EMFMetric("ResponseTime", .milliseconds(elapsed)))
        var properties = [(name: "RequestId", value: requestID)]
        switch outcome {
        case .http(let answer):
            let status = answer.response.head.status
            let kind = status.code / 100
            for (index, name) in ["Status2xx", "Status3xx", "Status4xx", "Status5xx"].enumerated() {
                metrics.append(EMFMetric(name, .count(kind == index + 2 ? 1 : 0)))
            }
            properties.append(("Event", "http"))
            properties.append(("StatusCode", String(status.code)))
        case .keepWarm:
            properties.append(("Event", "keep-warm"))
        case .unserved:
            properties.append(("Event", "unserved"))
        }
        metrics += figures
        return EMFRecord(namespace: Self.namespace, dimensions: dimensions, metrics: metrics, properties: properties,
                         timestampMilliseconds: timestampMilliseconds)
    }

    /// One `write(2)` of the whole line to descriptor 1: never split, never mixed with another.
    @Sendable package static func writeToStandardOutput(_ line: [UInt8]) {
        line.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(1, bytes.baseAddress! + offset, bytes.count - offset)
                if written > 0 { offset += written } else if errno != EINTR { return }
            }
        }
    }
}
