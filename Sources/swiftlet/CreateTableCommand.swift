import ArgumentParser
import DynamoDBStore
import PostgresStore
import RedisStore
import Sockets
import Timekeeping

/// `swiftlet create-table`: the visits table with the key schema the DynamoDB store expects
/// (`pk` and `sk`, strings; on-demand capacity), in `AWS_REGION`, at `SWIFTLET_DYNAMODB_ENDPOINT`
/// when set. For a global table, create it in the primary region and add the DR region as a replica.
/// With `--store postgres`, the table `PostgresVisitStore.schema` gives (if it is not there yet).
/// Redis needs nothing made: the hash is made by the first visit; `--store redis` connects,
/// authenticates and makes a write that counts nothing, so that a deployment learns at once
/// whether the URL, the CA and the user's rights are right.
struct CreateTableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-table",
        abstract: "Create the visits table (SWIFTLET_TABLE, default visits): in DynamoDB in AWS_REGION, waiting until it is active, or with --store postgres in SWIFTLET_POSTGRES_URL's database; with --store redis, check that SWIFTLET_REDIS_URL takes writes."
    )

    @Option(help: "dynamodb, postgres or redis (env SWIFTLET_STORE, default dynamodb).")
    var store: String?

    func run() throws {
        let environment = Environment()
        let kind = store ?? environment["SWIFTLET_STORE"] ?? "dynamodb"
        switch kind {
        case "dynamodb": try createDynamoDBTable(environment)
        case "redis": try checkRedis(environment)
        case "postgres": try createPostgresTable(environment)
        default: throw ConfigurationError.invalidValue(name: store == nil ? "SWIFTLET_STORE" : "--store", value: kind, expected: "dynamodb, postgres or redis")
        }
    }

    private func checkRedis(_ environment: Environment) throws {
        let region = environment["AWS_REGION"] ?? "local"
        let settings = try RedisSettings(environment: environment, region: region)
        var configuration = settings.configuration
        configuration.callTimeout = .seconds(10)
        let store = RedisVisitStore(client: RedisClient(configuration: configuration, password: settings.password))
        let endpoint = configuration.endpoint
        try EventLoop.runTask { () async throws in
            do {
                try await store.probeWrite(region: region, deadline: .after(.seconds(10)))
            } catch {
                throw ConfigurationError.cannotStart("Redis at \(endpoint) does not take writes: \(error)")
            }
        }
        print("Redis needs no table: connected to \(configuration.endpoint), authenticated, and a write was accepted; visits go in the hash \(configuration.key)")
    }

    private func createPostgresTable(_ environment: Environment) throws {
        let settings = try PostgresSettings(environment: environment, region: environment["AWS_REGION"] ?? "local", lambda: false)
        var configuration = settings.configuration
        configuration.callTimeout = .seconds(10)
        configuration.connectTimeout = .seconds(10)
        let client = PostgresClient(configuration: configuration, password: settings.password)
        let table = configuration.table
        let endpoint = configuration.endpoint
        try EventLoop.runTask { () async throws in
            do {
                try await client.run(PostgresVisitStore.schema(table: table), deadline: .after(.seconds(30)))
            } catch {
                throw ConfigurationError.cannotStart("cannot create the table \(table) at \(endpoint): \(error)")
            }
        }
        print("table \(table) is ready in \(configuration.database) at \(endpoint)")
    }

    private func createDynamoDBTable(_ environment: Environment) throws {
        let settings = try DynamoDBSettings(environment: environment, region: environment["AWS_REGION"] ?? "local")
        var configuration = settings.client
        // An administrative call, not a visitor's: one attempt may take longer than a visit may.
        configuration.callTimeout = .seconds(10)
        let client = DynamoDBClient(configuration: configuration)
        let table = settings.table
        try EventLoop.runTask { () async throws in
            do {
                try await client.createVisitsTable(table, deadline: .after(.seconds(60)))
            } catch {
                throw ConfigurationError.cannotStart("cannot create the table \(table): \(error)")
            }
        }
        print("table \(table) is active in \(settings.client.region) at \(settings.client.endpoint)")
    }
}
