public import HTTPTypes
import Glibc
public import Timekeeping

/// A request as every front-end hands it to the application: the head in swift-http-types' model,
/// the whole body (bounded by the front-end's limit), and what the transport knew about it.
public struct Request: Sendable {
    /// Method, path and header fields. The `Host` field is in `head.authority`.
    public var head: HTTPRequest
    /// The body; empty when there was none.
    public var body: [UInt8]
    /// The client's address as `host:port`, when the transport knows it.
    public var peer: String?
    /// An id for logs and error pages; the Lambda front-end sets AWS's, otherwise the app makes one.
    public var requestID: String?
    /// Path parameters the router matched (`:name` segments), percent-decoded.
    public var parameters: [String: String]
    /// When the front-end stops waiting for the answer: the Lambda invocation's deadline, so that
    /// no store call outlives it. `nil` on the dev server, whose clients wait as long as they like.
    public var deadline: MonotonicTime?
    /// When the responder began on it, for an access log's timing; set by whatever middleware
    /// needs it, `nil` otherwise.
    public var receivedAt: MonotonicTime?
    /// What few requests carry (Lambda's), boxed so that a plain request stays as small as it
    /// was: two more stored fields made the compiler build every request twice in `init`.
    private var extras: Extras?

    private final class Extras: Sendable {
        let isInternal: Bool
        let traceID: String?
        init(isInternal: Bool, traceID: String?) {
            self.isInternal = isInternal
            self.traceID = traceID
        }
    }

    /// Made by the front-end itself, not received from a client: Lambda's keep-warm ping and its
    /// warm-up requests. Checks that guard against clients (the origin secret) let it through.
    public var isInternal: Bool {
        get { extras?.isInternal ?? false }
        set { extras = Extras(isInternal: newValue, traceID: traceID) }
    }

    /// X-Ray's trace header for this request (Lambda's `Lambda-Runtime-Trace-Id`), for code that
    /// calls other AWS services and wants its calls in the same trace. Under Lambda Managed
    /// Instances several invocations run at once, so the process-wide `_X_AMZN_TRACE_ID` cannot
    /// hold it; this and the invocation's log metadata (`trace_id`) can.
    public var traceID: String? {
        get { extras?.traceID }
        set { extras = Extras(isInternal: isInternal, traceID: newValue) }
    }

    public init(head: HTTPRequest, body: [UInt8] = [], peer: String? = nil, requestID: String? = nil) {
        self.head = head
        self.body = body
        self.peer = peer
        self.requestID = requestID
        parameters = [:]
        deadline = nil
        receivedAt = nil
        extras = nil
    }

    /// The path without the query string (`/api/visits` for `/api/visits?x=1`).
    public var path: Substring {
        let target = head.path ?? "/"
        guard let mark = Self.questionMark(in: target) else { return target[...] }
        return target[..<mark]
    }

    /// The query string after `?`, if any.
    public var query: Substring? {
        let target = head.path ?? "/"
        guard let mark = Self.questionMark(in: target) else { return nil }
        return target[target.utf8.index(after: mark)...]
    }

    /// Where `?` is, found in the string's bytes at once (`String.UTF8View.firstIndex` walked
    /// them one index at a time, some 30 instructions a byte).
    private static func questionMark(in target: String) -> String.Index? {
        var target = target
        let offset = target.withUTF8 { bytes -> Int? in
            guard let base = bytes.baseAddress, let found = memchr(base, Int32(UInt8(ascii: "?")), bytes.count) else { return nil }
            return UnsafeRawPointer(found) - UnsafeRawPointer(base)
        }
        return offset.map { target.utf8.index(target.utf8.startIndex, offsetBy: $0) }
    }
}
