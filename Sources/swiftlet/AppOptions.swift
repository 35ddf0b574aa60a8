import ArgumentParser
import Glibc
import HTTPCore
import Logging
import DynamoDBStore
import PostgresStore
import RedisStore
import SQLiteStore
import SwiftletApp
import Threads
import VisitStore

/// The options every command that runs the app shares: store, folders, region, dev mode.
struct AppOptions: ParsableArguments {
    @Option(help: "sqlite, dynamodb, postgres, redis or memory (env SWIFTLET_STORE, default sqlite; dynamodb under Lambda).")
    var store: String?

    @Option(name: .customLong("sqlite-path"), help: "The SQLite file (env SWIFTLET_SQLITE_PATH, default ./data/swiftlet.sqlite).")
    var sqlitePath: String?

    @Option(help: "The folder of static files (default: Public next to the executable or in the working directory).")
    var publicFolder: String?

    @Option(help: "The folder of templates (default: Templates next to the executable or in the working directory).")
    var templatesFolder: String?

    @Option(help: "An export written by swiftlet assets (manifest.json and hashed files) to serve instead of hashing Public/ at start (env SWIFTLET_ASSET_EXPORT).")
    var assetExport: String?

    @Flag(help: "Reload templates and assets when they change.")
    var dev = false

    /// The settings these flags give, for the code that resolves them.
    var settings: AppSettings {
        AppSettings(store: store, sqlitePath: sqlitePath, publicFolder: publicFolder, templatesFolder: templatesFolder,
                    assetExport: assetExport, dev: dev)
    }
}

/// What the app-running commands' flags say, as a plain value: `swiftlet lambda` chosen by the
/// environment has no flags and skips the argument parser altogether (its reflection was a third
/// of a cold start).
struct AppSettings {
    var store: String?
    var sqlitePath: String?
    var publicFolder: String?
    var templatesFolder: String?
    var assetExport: String?
    var dev = false

    /// The folder the Lambda zip unpacks into (`LAMBDA_TASK_ROOT`); only `/tmp` is writable there.
    static let lambdaAssetExport = "public-export"

    /// The configuration and the store these options and `environment` choose. Under Lambda the
    /// folders come from `LAMBDA_TASK_ROOT` (the asset export when the zip has one), the store
    /// defaults to DynamoDB and an SQLite file to `/tmp`. What the store has to tell an operator
    /// goes to `logger`.
    func resolve(environment: Environment, lambda: Bool = false, logger: Logger) throws -> (any VisitStore, AppConfiguration) {
        var configuration = AppConfiguration()
        configuration.region = environment["AWS_REGION"] ?? "local"
        configuration.developmentMode = dev
        configuration.runtimeName = lambda ? "AWS Lambda" : "the dev server"
        configuration.originSecrets = try Self.originSecrets(environment["SWIFTLET_ORIGIN_SECRET"])
        if let origins = environment["SWIFTLET_CORS_ORIGINS"] {
            do {
                configuration.cors = try CORSPolicy(parsing: origins)
            } catch {
                throw ConfigurationError.cannotStart("SWIFTLET_CORS_ORIGINS=\(origins) is not valid: \(error)")
            }
        }
        let taskRoot = lambda ? environment["LAMBDA_TASK_ROOT"] : nil
        if let taskRoot {
            configuration.publicFolder = publicFolder ?? "\(taskRoot)/Public"
            configuration.templatesFolder = templatesFolder ?? "\(taskRoot)/Templates"
            let export = "\(taskRoot)/\(Self.lambdaAssetExport)"
            configuration.assetExportFolder = assetExport ?? environment["SWIFTLET_ASSET_EXPORT"] ?? (Self.isDirectory(export) ? export : nil)
        } else {
            configuration.assetExportFolder = assetExport ?? environment["SWIFTLET_ASSET_EXPORT"]
            configuration.publicFolder = try publicFolder ?? (configuration.assetExportFolder != nil ? "Public" : Self.locate("Public"))
            configuration.templatesFolder = try templatesFolder ?? Self.locate("Templates")
        }
        let kind = store ?? environment["SWIFTLET_STORE"] ?? (lambda ? "dynamodb" : "sqlite")
        configuration.storeName = kind
        switch kind {
        case "sqlite":
            let path = sqlitePath ?? environment["SWIFTLET_SQLITE_PATH"] ?? (lambda ? "/tmp/swiftlet.sqlite" : "./data/swiftlet.sqlite")
            let store = try ConfigurationError.wrapping { () throws(SQLiteStoreError) in
                try SQLiteVisitStore(path: path) { logger.warning("\($0)", metadata: ["store": "sqlite"]) }
            }
            return (store, configuration)
        case "memory":
            return (InMemoryVisitStore(), configuration)
        case "dynamodb":
            var settings = try DynamoDBSettings(environment: environment, region: configuration.region)
            // Under Lambda each slot's thread serves one invocation and has nothing else to do
            // while DynamoDB answers: the call waits there instead of on a worker and back.
            if lambda { settings.client.blockingCalls = .callerThread }
            return (DynamoDBVisitStore(client: DynamoDBClient(configuration: settings.client), table: settings.table, shards: settings.shards), configuration)
        case "postgres":
            let settings = try PostgresSettings(environment: environment, region: configuration.region, lambda: lambda)
            let client = PostgresClient(configuration: settings.configuration, blockingCalls: lambda ? .callerThread : .workerThreads, password: settings.password)
            return (PostgresVisitStore(client: client, shards: settings.shards), configuration)
        case "redis":
            let settings = try RedisSettings(environment: environment, region: configuration.region)
            let client = RedisClient(configuration: settings.configuration, blockingCalls: lambda ? .callerThread : .workerThreads, password: settings.password)
            return (RedisVisitStore(client: client), configuration)
        default:
            throw ConfigurationError.invalidValue(name: store == nil ? "SWIFTLET_STORE" : "--store", value: kind, expected: "sqlite, dynamodb, postgres, redis or memory")
        }
    }

    /// The accepted `X-Origin-Verify` values: `current` or `current,previous` while the secret
    /// rotates. Each must be long enough not to be guessed; the error never repeats a value.
    static func originSecrets(_ text: String?) throws(ConfigurationError) -> [String] {
        guard let text else { return [] }
        let secrets = text.split(separator: ",", omittingEmptySubsequences: false).map { String($0.trimmingWhitespace()) }
        for (index, secret) in secrets.enumerated() where secret.utf8.count < minimumSecretLength {
            throw ConfigurationError.invalidSecret(name: "SWIFTLET_ORIGIN_SECRET",
                                                   reason: "value \(index + 1) of \(secrets.count) has \(secret.utf8.count) characters; each comma-separated value needs at least \(minimumSecretLength) (make one with: openssl rand -hex 32)")
        }
        return secrets
    }

    static let minimumSecretLength = 16

    /// `name` in the working directory, else next to the executable.
    static func locate(_ name: String) throws -> String {
        if isDirectory(name) { return name }
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if length > 0 {
            let executable = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if let slash = executable.lastIndex(of: "/") {
                let beside = "\(executable[..<slash])/\(name)"
                if isDirectory(beside) { return beside }
            }
        }
        throw ConfigurationError.missingFolder(name)
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
