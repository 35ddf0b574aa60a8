import HTTPCore
import HTTPTypes
import Logging
import VisitStore
import Timekeeping

/// The handlers of the route contract, sharing the store, the pages and the assets.
struct AppRoutes: Sendable {
    let store: any VisitStore
    let pages: PageTemplates
    let catalog: AssetCatalog
    let configuration: AppConfiguration
    let logger: Logger
    /// `/health`'s answer while the store is fine, built once: the check runs per request, the JSON need not.
    let healthy: Response
    let lastHealthCheck: HealthCheckCache
    /// Whether the last visit could not be written (then `/health` probes writes, not only reads).
    let writes: WriteHealth
    /// `Cache-Control: no-store`, built once: pages and API answers are never cached.
    static let noStore = HTTPField(name: .cacheControl, value: "no-store")

    /// Whether `path` is the visits API's (`/api` and below): JSON errors, and CORS when it is on.
    static func isAPI(_ path: Substring) -> Bool {
        path.hasPrefix("/api/") || path == "/api"
    }

    init(store: any VisitStore, pages: PageTemplates, catalog: AssetCatalog, configuration: AppConfiguration, logger: Logger) {
        self.store = store
        self.pages = pages
        self.catalog = catalog
        self.configuration = configuration
        self.logger = logger
        lastHealthCheck = HealthCheckCache(maximumAge: configuration.healthCacheDuration, now: configuration.clock)
        writes = WriteHealth(healthCache: lastHealthCheck)
        var healthy = Response.json(Self.healthJSON(configuration, healthy: true, requestID: nil))
        healthy.head.headerFields.append(Self.noStore)
        self.healthy = healthy
    }

    static func healthJSON(_ configuration: AppConfiguration, healthy: Bool, requestID: String?, reason: String? = nil) -> String {
        var members = [("status", JSONText.string(healthy ? "ok" : "unavailable")), ("region", JSONText.string(configuration.region)), ("store", JSONText.string(configuration.storeName))]
        if let reason { members.append(("reason", JSONText.string(reason))) }
        if let requestID { members.append(("requestId", JSONText.string(requestID))) }
        return JSONText.object(members)
    }


    func register(in router: inout RouterBuilder) {
        // `immediate:` answers without a task when nothing needs waiting for (see `HTTPResponder`).
        router.get("/", immediate: homeWithoutWaiting, home)
        router.get("/api/visits", immediate: readVisitsWithoutWaiting, readVisits)
        router.post("/api/visits", countVisit)
        router.get("/health", immediate: healthWithoutWaiting, health)
        // Every file is a route of its own: answering it is a dictionary lookup, nothing more.
        // The catch-all answers the rest (404), and a name the router would read as a pattern.
        for served in catalog.byHashedPath.values {
            router.get(served.asset.hashedPath, immediate: served.response)
        }
        router.get("/assets/*", immediate: hashedAsset)
        for (path, served) in catalog.byRootPath {
            router.get(path, immediate: served.response)
        }
    }

    /// `GET /` counts a visit and shows the counts; `HEAD /` shows them without counting, since
    /// a HEAD must be safe to repeat (RFC 9110 §9.2.1) and monitors send it.
    @Sendable func home(_ request: Request) async throws -> Response {
        let counts = request.head.method == .head
            ? try await store.counts(deadline: request.deadline)
            : try await writes.increment(store, region: configuration.region, deadline: request.deadline)
        return homePage(counts, for: request)
    }

    /// `HEAD /` from counts the store holds; `GET /` always waits for its increment.
    @Sendable func homeWithoutWaiting(_ request: Request) -> Response? {
        guard request.head.method == .head, let counts = store.countsWithoutWaiting() else { return nil }
        return homePage(counts, for: request)
    }

    func homePage(_ counts: VisitCounts, for request: Request) -> Response {
        let html = pages.render("home", PageContext.home(counts: counts, region: configuration.region, requestID: request.requestID ?? ""))
        return Response(status: .ok, headerFields: SecurityHeaders.htmlFields, body: .bytes(html))
    }

    @Sendable func readVisits(_ request: Request) async throws -> Response {
        visitsJSON(try await store.counts(deadline: request.deadline))
    }

    @Sendable func readVisitsWithoutWaiting(_ request: Request) -> Response? {
        store.countsWithoutWaiting().map(visitsJSON)
    }

    @Sendable func countVisit(_ request: Request) async throws -> Response {
        visitsJSON(try await writes.increment(store, region: configuration.region, deadline: request.deadline))
    }

    func visitsJSON(_ counts: VisitCounts) -> Response {
        Response(status: .ok, headerFields: Self.jsonFields, body: .bytes(JSONText.visits(total: counts.total, regions: counts.sortedRegions)))
    }

    /// `application/json`, not to be stored: built (and validated) once.
    static let jsonFields: HTTPFields = [.contentType: "application/json", .cacheControl: "no-store"]

    /// 200 when the store answers within the timeout and visits can be written, 503 otherwise, so
    /// that CloudFront fails over. A visit that failed to be written counts as a failed check,
    /// cached as one; after that, the check makes a write of its own (`probeWrite`: an increment
    /// by zero) until one succeeds.
    @Sendable func health(_ request: Request) async throws -> Response {
        if let answer = healthWithoutWaiting(request) { return answer }
        let result: Result<Void, HealthProblem>
        var kind = HealthProblem.Kind.readsFailing
        // The health bound, or sooner if the request must be answered sooner.
        let deadline = min(MonotonicTime.after(configuration.healthTimeout), request.deadline ?? .never)
        do {
            if writes.lastFailure != nil {
                kind = .writesFailing
                try await store.probeWrite(region: configuration.region, deadline: deadline)
                writes.succeeded() // (also forgets the cached outcome, which this check replaces)
                kind = .readsFailing
            }
            try await store.checkHealth(deadline: deadline)
            result = .success(())
        } catch {
            result = .failure(HealthProblem(kind: kind, error: error))
        }
        lastHealthCheck.record(result)
        return healthResponse(result, for: request)
    }

    /// The answer of a check made less than `healthCacheDuration` ago, if there is one, and if no
    /// visit has failed to be written since (a cached "ok" would hide that).
    @Sendable func healthWithoutWaiting(_ request: Request) -> Response? {
        guard let cached = lastHealthCheck.result() else { return nil }
        if case .success = cached, writes.lastFailure != nil { return nil }
        return healthResponse(cached, for: request)
    }

    func healthResponse(_ result: Result<Void, HealthProblem>, for request: Request) -> Response {
        guard case .failure(let problem) = result else { return healthy }
        logger.error("health check failed", metadata: ["request_id": "\(request.requestID ?? "")", "reason": "\(problem.kind.rawValue)", "error": "\(problem.error)"])
        var response = Response.json(Self.healthJSON(configuration, healthy: false, requestID: request.requestID ?? "", reason: problem.kind.rawValue),
                                     status: .serviceUnavailable)
        response.head.headerFields.append(Self.noStore)
        return response
    }

    @Sendable func hashedAsset(_ request: Request) throws -> Response {
        guard let asset = catalog.byHashedPath[String(request.path)] else { throw HTTPError(.notFound) }
        return asset.response(to: request)
    }
}
