import ArgumentParser
import DynamoDBStore
import Sockets
import Timekeeping

/// `swiftlet create-table`: the visits table with the key schema the DynamoDB store expects
/// (`pk` and `sk`, strings; on-demand capacity), in `AWS_REGION`, at `SWIFTLET_DYNAMODB_ENDPOINT`
/// when set. For a global table, create it in the primary region and add the DR region as a replica.
struct CreateTableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-table",
        abstract: "Create the DynamoDB visits table (SWIFTLET_TABLE, default visits) in AWS_REGION, and wait until it is active."
    )

    func run() throws {
        let environment = Environment()
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
