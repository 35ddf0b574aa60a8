import Digest
import HTTPCore
import HTTPTypes

/// Only CloudFront reaches the origin: a Function URL is public (`AuthType: NONE`), and a client
/// that calls it directly would skip the WAF, the cache and the edge's rate limit, and count visits
/// on our bill. CloudFront adds a custom header to every request it sends to an origin ("Add custom
/// headers to origin requests", CloudFront Developer Guide); `edge.yaml` sets `X-Origin-Verify` to
/// the secret the function has as `SWIFTLET_ORIGIN_SECRET`. A request without the header, with it
/// twice, or with a value that matches none of the accepted secrets answers 403, and the answer
/// says nothing about what was expected.
///
/// Several secrets are accepted at once so that the secret can rotate: deploy the function with
/// `new,old`, switch CloudFront to `new`, then deploy the function with `new` alone.
///
/// Requests the front-end makes itself (`Request.isInternal`: Lambda's keep-warm ping and warm-up)
/// are not checked: they never crossed a network.
struct OriginVerification: Middleware {
    static let headerName = HTTPField.Name(literal: "X-Origin-Verify")

    /// SHA-256 of each accepted secret. Comparing digests rather than the values takes the same
    /// time whatever the header holds: the length of the secret and the position of the first
    /// wrong byte both stay hidden.
    private let acceptedDigests: [[UInt8]]

    init(secrets: [String]) {
        acceptedDigests = secrets.map { SHA256.hash(Array($0.utf8)) }
    }

    func prepare(_ request: inout Request) throws -> Response? {
        try check(request)
        return nil
    }

    /// Throws 403 unless `request` carries one `X-Origin-Verify` that matches an accepted secret.
    func check(_ request: Request) throws(HTTPError) {
        guard !request.isInternal else { return }
        var value: String?
        for field in request.head.headerFields where field.name == Self.headerName {
            guard value == nil else { throw Self.refusal }
            value = field.value
        }
        guard let value, accepts(value) else { throw Self.refusal }
    }

    /// Whether `value` is one of the secrets. Every accepted digest is compared, in full, with no
    /// early exit.
    func accepts(_ value: String) -> Bool {
        let digest = SHA256.hash(Array(value.utf8))
        var matched: UInt8 = 0
        for accepted in acceptedDigests {
            var difference: UInt8 = 0
            for index in 0..<32 { difference |= accepted[index] ^ digest[index] }
            matched |= difference == 0 ? 1 : 0
        }
        return matched != 0
    }

    static let refusal = HTTPError(.forbidden, message: "This address only answers requests that come through the site's own address.")
}
