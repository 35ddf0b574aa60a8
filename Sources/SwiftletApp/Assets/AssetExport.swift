import Glibc
import HTTPCore
import HTTPTypes

/// `swiftlet assets <out-dir>`: the hashed files as S3 should hold them, their `.gz` siblings, and
/// `manifest.json`, with the same bytes and headers the server sends.
package struct AssetExport {
    /// One file written, with the headers to upload it with.
    package struct Upload: Sendable {
        package let key: String
        package let contentType: String
        package let cacheControl: String
        package let contentEncoding: String?
    }

    package let catalog: AssetCatalog

    package init(catalog: AssetCatalog) {
        self.catalog = catalog
    }

    /// Writes everything under `folder` (creating it) and returns the uploads, manifest last.
    package func write(to folder: String) throws(AppError) -> [Upload] {
        var uploads: [Upload] = []
        for asset in catalog.assets {
            let key = String(asset.hashedPath.dropFirst())
            let path = "\(folder)/\(key)"
            if let slash = path.lastIndex(of: "/") { try FileSystem.createFolder(String(path[..<slash])) }
            let bytes: [UInt8]
            if let inMemory = asset.bytes {
                bytes = inMemory
            } else if let file = asset.file, let read = file.read(offset: 0, count: file.size) {
                bytes = read
            } else {
                throw .unreadable(asset.logicalName, EIO)
            }
            try FileSystem.write(bytes, to: path)
            let identity = asset.headerFields(encoding: .identity, cacheControl: AssetCatalog.cacheImmutable)
            uploads.append(Upload(key: key, contentType: identity[.contentType] ?? asset.contentType, cacheControl: AssetCatalog.cacheImmutable, contentEncoding: nil))
            if let gzip = asset.gzip {
                try FileSystem.write(gzip, to: path + ".gz")
                uploads.append(Upload(key: key + ".gz", contentType: asset.contentType, cacheControl: AssetCatalog.cacheImmutable, contentEncoding: "gzip"))
            }
        }
        try FileSystem.write(Array(manifest().utf8), to: "\(folder)/manifest.json")
        uploads.append(Upload(key: "manifest.json", contentType: "application/json", cacheControl: "no-cache", contentEncoding: nil))
        return uploads
    }

    /// Logical name → hashed path, hash, size and content type (and the gzip file when there is one).
    package func manifest() -> String {
        let entries = catalog.assets.map { asset -> (String, String) in
            var members: [(String, String)] = [
                ("path", JSONText.string(asset.hashedPath)),
                ("hash", JSONText.string(asset.hash)),
                ("size", String(asset.size)),
                ("contentType", JSONText.string(asset.contentType)),
                ("cacheControl", JSONText.string(AssetCatalog.cacheImmutable)),
                ("etag", JSONText.string(asset.etag)),
            ]
            if let gzip = asset.gzip {
                members.append(("gzip", JSONText.object([("path", JSONText.string(asset.hashedPath + ".gz")), ("size", String(gzip.count)), ("etag", JSONText.string(asset.gzipETag))])))
            }
            return (asset.logicalName, JSONText.object(members))
        }
        return JSONText.object(entries) + "\n"
    }
}
