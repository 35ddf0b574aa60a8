import AWSSigning
import DynamoDBStore

/// The DynamoDB store's settings from the environment: credentials as Lambda sets them, the
/// table, the endpoint (the region's, or `SWIFTLET_DYNAMODB_ENDPOINT`), a private CA
/// (`AWS_CA_BUNDLE`) and the number of shards a region spreads its increments over.
struct DynamoDBSettings {
    var client: DynamoDBClient.Configuration
    var table: String
    var shards: Int

    init(environment: Environment, region: String) throws {
        guard let keyID = environment["AWS_ACCESS_KEY_ID"], let secret = environment["AWS_SECRET_ACCESS_KEY"] else {
            throw ConfigurationError.cannotStart("the DynamoDB store needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (Lambda sets them; locally, export them or use SWIFTLET_STORE=sqlite)")
        }
        guard region != "local" else {
            throw ConfigurationError.cannotStart("the DynamoDB store needs AWS_REGION, the region it counts visits in and calls DynamoDB in (Lambda sets it; locally, export AWS_REGION=us-east-1, say)")
        }
        var endpoint = DynamoDBEndpoint.region(region)
        if let text = environment["SWIFTLET_DYNAMODB_ENDPOINT"] {
            guard let parsed = DynamoDBEndpoint(url: text) else {
                throw ConfigurationError.invalidValue(name: "SWIFTLET_DYNAMODB_ENDPOINT", value: text, expected: "http://host:port or https://host[:port]")
            }
            endpoint = parsed
        }
        shards = 4
        if let text = environment["SWIFTLET_DYNAMODB_SHARDS"] {
            guard let count = Int(text), (1...100).contains(count) else {
                throw ConfigurationError.invalidValue(name: "SWIFTLET_DYNAMODB_SHARDS", value: text, expected: "a number from 1 to 100")
            }
            shards = count
        }
        table = environment["SWIFTLET_TABLE"] ?? "visits"
        let credentials = AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: environment["AWS_SESSION_TOKEN"])
        client = DynamoDBClient.Configuration(endpoint: endpoint, region: region, credentials: credentials, caBundle: environment["AWS_CA_BUNDLE"])
    }
}
