
/// Decodes the PNGs headless Chromium writes (8-bit RGB or RGBA, not interlaced), so a test can
/// look at the colours of a rendered page.
package struct PNGImage {
    package let width: Int
    package let height: Int
    /// RGB triples, row by row.
    package let pixels: [UInt8]

    package init?(_ data: [UInt8]) {
        guard data.count > 8, Array(data[0..<8]) == [137, 80, 78, 71, 13, 10, 26, 10] else { return nil }
        var offset = 8
        var width = 0, height = 0, channels = 0
        var compressed: [UInt8] = []
        func be32(_ at: Int) -> Int { Int(data[at]) << 24 | Int(data[at + 1]) << 16 | Int(data[at + 2]) << 8 | Int(data[at + 3]) }
        while offset + 8 <= data.count {
            let length = be32(offset)
            let type = String(decoding: data[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let body = (offset + 8)..<(offset + 8 + length)
            guard body.upperBound <= data.count else { return nil }
            switch type {
            case "IHDR":
                width = be32(body.lowerBound)
                height = be32(body.lowerBound + 4)
                guard data[body.lowerBound + 8] == 8, data[body.lowerBound + 12] == 0 else { return nil }
                switch data[body.lowerBound + 9] { case 2: channels = 3; case 6: channels = 4; default: return nil }
            case "IDAT":
                compressed += data[body]
            default:
                break
            }
            offset = body.upperBound + 4
        }
        let stride = width * channels
        guard channels > 0, let raw = inflateStream(compressed, limit: height * (stride + 1)), raw.count == height * (stride + 1) else { return nil }
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        var previous = [UInt8](repeating: 0, count: stride)
        var row = [UInt8](repeating: 0, count: stride)
        for y in 0..<height {
            let start = y * (stride + 1)
            let filter = raw[start]
            for x in 0..<stride {
                let value = raw[start + 1 + x]
                let a = x >= channels ? Int(row[x - channels]) : 0
                let b = Int(previous[x])
                let c = x >= channels ? Int(previous[x - channels]) : 0
                let predicted: Int
                switch filter {
                case 1: predicted = a
                case 2: predicted = b
                case 3: predicted = (a + b) / 2
                case 4:
                    let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predicted = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                default: predicted = 0
                }
                row[x] = UInt8(truncatingIfNeeded: Int(value) + predicted)
            }
            for x in 0..<width {
                for k in 0..<3 { rgb[(y * width + x) * 3 + k] = row[x * channels + k] }
            }
            swap(&previous, &row)
        }
        self.width = width
        self.height = height
        self.pixels = rgb
    }

    /// The share of pixels within `tolerance` of the colour `hex` (`0xf05138`).
    package func share(of hex: UInt32, tolerance: Int = 12) -> Double {
        let r = Int(hex >> 16 & 0xFF), g = Int(hex >> 8 & 0xFF), b = Int(hex & 0xFF)
        var hits = 0
        for index in stride(from: 0, to: pixels.count, by: 3)
        where abs(Int(pixels[index]) - r) <= tolerance && abs(Int(pixels[index + 1]) - g) <= tolerance && abs(Int(pixels[index + 2]) - b) <= tolerance {
            hits += 1
        }
        return Double(hits) / Double(max(width * height, 1))
    }
}
