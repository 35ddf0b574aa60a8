package import HTTPCore
import HTTPTypes
package import Logging
package import VisitStore

/// The application: one responder with every route of the contract in `DESIGN.md`, the same for
/// the dev server and for Lambda. It knows no front-end and no store adapter.
package enum SwiftletApp {
    /// Builds the responder: loads and checks templates and assets (throwing what is wrong with
    /// them), then routes. In development mode both are reloaded when their files change.
    package static func makeResponder(store: any VisitStore, configuration: AppConfiguration, logger: Logger) throws(AppError) -> any HTTPResponder {
        let build = { @Sendable () throws(AppError) -> any HTTPResponder in
            try routes(store: store, configuration: configuration, logger: logger)
        }
        if configuration.developmentMode {
            return try DevReloadingResponder(folders: [configuration.templatesFolder, configuration.publicFolder], logger: logger, build: build)
        }
        return try build()
    }

    /// Requests a front-end may send before serving, to have every step of an answer used once
    /// (Lambda's warm-up): the page template, the 404 page, the JSON writer and a cached count. The
    /// app answers each without waiting whenever it can, and none counts a visit.
    package static var warmUpRequests: [Request] {
        var gzip = HTTPFields()
        gzip[.acceptEncoding] = "gzip"
        return [
            Request(head: HTTPRequest(method: .head, scheme: "https", authority: nil, path: "/", headerFields: gzip)),
            Request(head: HTTPRequest(method: .get, scheme: "https", authority: nil, path: "/swiftlet-warm-up", headerFields: gzip)),
            Request(head: HTTPRequest(method: .get, scheme: "https", authority: nil, path: "/api/visits", headerFields: gzip)),
        ]
    }

    /// The request that says whether this instance can serve (`/health`, which checks the store):
    /// what Lambda's keep-warm ping asks.
    package static var healthCheckRequest: Request {
        Request(head: HTTPRequest(method: .get, scheme: "https", authority: nil, path: "/health"))
    }

    /// The asset catalog alone, for `swiftlet assets`.
    package static func loadAssets(configuration: AppConfiguration) throws(AppError) -> AssetCatalog {
        if let export = configuration.assetExportFolder { return try AssetCatalog(exportFolder: export) }
        return try AssetCatalog(folder: configuration.publicFolder)
    }

    static func routes(store: any VisitStore, configuration: AppConfiguration, logger: Logger) throws(AppError) -> any HTTPResponder {
        let catalog = try loadAssets(configuration: configuration)
        let pages = try PageTemplates(folder: configuration.templatesFolder, catalog: catalog, region: configuration.region,
                                      runtime: configuration.runtimeName)
        let app = AppRoutes(store: store, pages: pages, catalog: catalog, configuration: configuration, logger: logger)
        var router = RouterBuilder()
        router.renderErrors(with: ErrorPages(pages: pages, logger: logger))
        // Outermost first: `prepare` runs in this order, `finish` in the reverse.
        if logger.logLevel <= .info { router.use(AccessLog(logger: logger)) } // off, it costs nothing
        router.use(RequestIDs())
        router.use(ResponseCompression())
        router.use(SecurityHeaders())
        if !configuration.originSecrets.isEmpty {
            router.use(OriginVerification(secrets: configuration.originSecrets))
        }
        if let cors = configuration.cors {
            router.use(CORS(policy: cors)) // after the origin check: a preflight must come through CloudFront too
        }
        app.register(in: &router)
        return router.build()
    }
}
