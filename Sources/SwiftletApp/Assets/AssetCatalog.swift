import Digest
import Glibc
import HTTPCore

/// Every file of `Public/`, hashed and compressed once at start, looked up by URL path only: a
/// request path is never joined to a folder, so nothing outside `Public/` can be served, whatever
/// the request spells (`..`, `%2e%2e`, `%2f`, backslashes, NUL). Symbolic links are taken only when
/// they stay inside the folder.
package struct AssetCatalog: Sendable {
    /// Files above this size are not kept in memory: they are sent from an open descriptor.
    static let memoryLimit = 2 << 20
    static let cacheImmutable = "public, max-age=31536000, immutable"
    /// Unhashed root files (favicon.ico, robots.txt) may change under the same name.
    static let cacheShort = "public, max-age=300"

    package let assets: [Asset]
    let byHashedPath: [String: ServedAsset]
    let byRootPath: [String: ServedAsset]
    let byLogicalName: [String: Asset]

    /// Reads, hashes and compresses every file under `folder`.
    package init(folder: String) throws(AppError) {
        var assets: [Asset] = []
        for name in try FileSystem.files(under: folder) {
            assets.append(try Self.load(name, from: "\(folder)/\(name)"))
        }
        self.init(assets: assets)
    }

    init(assets: [Asset]) {
        self.assets = assets
        var hashed: [String: ServedAsset] = [:]
        var root: [String: ServedAsset] = [:]
        var logical: [String: Asset] = [:]
        for asset in assets {
            hashed[asset.hashedPath] = ServedAsset(asset, cacheControl: Self.cacheImmutable)
            logical[asset.logicalName] = asset
            if !asset.logicalName.contains("/") { root["/" + asset.logicalName] = ServedAsset(asset, cacheControl: Self.cacheShort) }
        }
        byHashedPath = hashed
        byRootPath = root
        byLogicalName = logical
    }

    /// The hashed URL path of `name` (`app.css` → `/assets/app.<hash>.css`), for templates.
    package func path(of name: String) -> String? {
        byLogicalName[name]?.hashedPath
    }

    static func load(_ name: String, from path: String) throws(AppError) -> Asset {
        let type = ContentType.forFile(name)
        guard let info = FileSystem.status(path) else { throw .unreadable(path, ENOENT) }
        if info.size > memoryLimit {
            guard let file = OpenFile(path: path) else { throw .unreadable(path, errno) }
            let hash = try hashFile(file, path: path)
            return Asset(logicalName: name, hashedPath: "/assets/" + Asset.hashedName(name, hash: hash), hash: hash,
                         contentType: type, size: file.size, bytes: nil, file: file, gzip: nil)
        }
        let bytes = try FileSystem.read(path)
        let hash = String(Hex.lowercase(SHA256.hash(bytes)).prefix(16))
        var gzip: [UInt8]?
        if ContentType.isCompressible(type), let packed = Gzip.compress(bytes), packed.count < bytes.count {
            gzip = packed
        }
        return Asset(logicalName: name, hashedPath: "/assets/" + Asset.hashedName(name, hash: hash), hash: hash,
                     contentType: type, size: bytes.count, bytes: bytes, file: nil, gzip: gzip)
    }

    /// Hashes a large file in pieces, never holding it whole.
    private static func hashFile(_ file: OpenFile, path: String) throws(AppError) -> String {
        var hasher = StreamingSHA256()
        var offset = 0
        while offset < file.size {
            let count = min(1 << 20, file.size - offset)
            guard let piece = file.read(offset: offset, count: count) else { throw .unreadable(path, EIO) }
            hasher.update(piece)
            offset += count
        }
        return String(Hex.lowercase(hasher.finish()).prefix(16))
    }
}
