import HTTPTypes
import SwiftletApp
import Testing
import VisitStore

@Suite("accept-encoding and if-none-match")
struct ConditionalRequestTests {
    @Test(arguments: [
        ("gzip", true), ("gzip, deflate, br", true), ("br, GZip", true), ("deflate", false), ("x-gzip", true),
        ("gzip;q=0", false), ("gzip;q=0.5", true), ("*", true), ("*;q=0", false), ("br, *;q=0.1", true),
        ("gzip;q=0, *", false), ("identity", false), ("", false), ("gzipped", false),
    ])
    func acceptEncoding(header: String, accepts: Bool) async throws {
        let app = try AppHarness()
        let response = try await app.direct(.get, RouteContractTests.css, headers: [("Accept-Encoding", header)])
        #expect((response.header("Content-Encoding") == "gzip") == accepts, "\(header)")
    }
}
