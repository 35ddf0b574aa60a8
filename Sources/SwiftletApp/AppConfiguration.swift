package import Timekeeping

/// What the app needs to know, filled in by the executable from flags and the environment.
package struct AppConfiguration: Sendable {
    /// The region this instance serves and counts in (`AWS_REGION`, or `local` on a laptop).
    package var region: String
    /// The folder of static files, served under content-hashed names.
    package var publicFolder: String
    /// An export written by `swiftlet assets` (`manifest.json` and the hashed files) to serve
    /// instead of hashing `publicFolder` at start: what the Lambda zip carries.
    package var assetExportFolder: String?
    /// The folder of `*.mustache` templates.
    package var templatesFolder: String
    /// Reload templates and assets when they change (`serve --dev`); otherwise both are read once.
    package var developmentMode: Bool
    /// How long `/health` gives the store before answering 503.
    package var healthTimeout: Duration
    /// How long one store check answers `/health`: monitors and load balancers may poll it hard,
    /// and the store should not pay for each poll. Zero checks on every request.
    package var healthCacheDuration: Duration
    /// The store's name as `/health` reports it (`sqlite`, `dynamodb`, `memory`).
    package var storeName: String
    /// Where the app runs, as the home page says it (`AWS Lambda`, `the dev server`): the
    /// executable knows, the app does not.
    package var runtimeName: String = "the dev server"
    /// The values of `X-Origin-Verify` accepted from CloudFront (`SWIFTLET_ORIGIN_SECRET`, current
    /// then previous); empty answers every request, as the dev server does by default.
    package var originSecrets: [String] = []
    /// Which other sites' pages may call `/api/*` (`SWIFTLET_CORS_ORIGINS`); `nil` sends no CORS
    /// headers at all.
    package var cors: CORSPolicy?
    /// The clock the health cache ages its result by: the monotonic clock, or a test's, so that
    /// a test of the cache moves time on instead of waiting it out.
    package var clock: @Sendable () -> MonotonicTime = { .now() }

    package init(region: String = "local", publicFolder: String = "Public", templatesFolder: String = "Templates",
                developmentMode: Bool = false, healthTimeout: Duration = .seconds(2), healthCacheDuration: Duration = .seconds(1),
                storeName: String = "memory") {
        self.healthCacheDuration = healthCacheDuration
        self.region = region
        self.publicFolder = publicFolder
        self.templatesFolder = templatesFolder
        self.developmentMode = developmentMode
        self.healthTimeout = healthTimeout
        self.storeName = storeName
    }
}
