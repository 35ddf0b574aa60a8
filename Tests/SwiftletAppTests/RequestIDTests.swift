import Testing
@testable import SwiftletApp

@Suite("request ids")
struct RequestIDTests {
    /// 15 characters (inline in a Swift string, so free to make), one prefix per process, no repeats.
    @Test func idsAreShortDistinctAndShareTheirProcessPrefix() {
        let generator = RequestIDGenerator()
        let ids = (0..<2_000).map { _ in generator.next() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.utf8.count == 15)
            #expect(id.utf8.allSatisfy { ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "v")) })
            #expect(id.prefix(7) == ids[0].prefix(7))
        }
        #expect(RequestIDGenerator().next().prefix(7) != ids[0].prefix(7) || RequestIDGenerator().next().prefix(7) != ids[0].prefix(7))
    }
}
