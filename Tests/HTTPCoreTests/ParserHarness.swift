@testable import HTTPCore

/// Feeds a head to a fresh parser whole, cut at every byte, and one byte at a time, the way
/// picohttpparser's tests do, and checks the three agree.
enum ParserHarness {
    enum Outcome: Equatable {
        case complete(consumed: Int)
        case needMore
        case invalid(HTTP1ParseError)
    }

    static func outcome(_ result: HTTP1HeadParser.Result) -> Outcome {
        switch result {
        case .complete(_, let consumed): .complete(consumed: consumed)
        case .needMore: .needMore
        case .invalid(let error): .invalid(error)
        }
    }

    /// Parses `bytes` growing from `cuts` (prefix lengths) to the whole; returns the final result.
    static func parse(_ bytes: [UInt8], cuts: [Int], limits: HTTP1Limits = HTTP1Limits()) -> HTTP1HeadParser.Result {
        var parser = HTTP1HeadParser(limits: limits)
        for cut in cuts where cut < bytes.count {
            let result = bytes.withUnsafeBufferPointer { parser.parse(UnsafeBufferPointer(rebasing: $0[0..<cut])) }
            switch result {
            case .needMore: continue
            default: return result
            }
        }
        return bytes.withUnsafeBufferPointer { parser.parse($0) }
    }

    /// The outcomes of: whole; every two-piece split; byte by byte.
    static func allOutcomes(_ text: String, limits: HTTP1Limits = HTTP1Limits()) -> [Outcome] {
        let bytes = Array(text.utf8)
        var outcomes = [outcome(parse(bytes, cuts: [], limits: limits))]
        for cut in 1..<max(bytes.count, 1) {
            outcomes.append(outcome(parse(bytes, cuts: [cut], limits: limits)))
        }
        outcomes.append(outcome(parse(bytes, cuts: Array(1..<max(bytes.count, 1)), limits: limits)))
        return outcomes
    }

    static func head(_ text: String, limits: HTTP1Limits = HTTP1Limits()) -> HTTP1RequestHead? {
        if case .complete(let head, _) = parse(Array(text.utf8), cuts: [], limits: limits) { return head }
        return nil
    }
}
