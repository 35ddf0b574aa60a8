import Glibc
import HTTPCore
import JSON

extension AssetCatalog {
    /// The catalog of an export that `swiftlet assets` wrote (`manifest.json` beside the hashed
    /// files and their `.gz` siblings): nothing hashed or compressed at start, so a Lambda cold
    /// start does not grow with `Public/`. It answers exactly as the catalog of `Public/` would,
    /// since the manifest carries the same hashes, types and validators.
    package init(exportFolder folder: String) throws(AppError) {
        let manifestPath = "\(folder)/manifest.json"
        let json: JSONValue
        do {
            json = try JSONValue.parse(try FileSystem.read(manifestPath))
        } catch let error as AppError {
            throw error
        } catch {
            throw .invalidManifest(manifestPath, "\(error)")
        }
        guard let entries = json.object else { throw .invalidManifest(manifestPath, "not a JSON object") }
        var assets: [Asset] = []
        for (name, entry) in entries.members {
            guard let path = entry["path"]?.string, path.hasPrefix("/assets/"), !path.contains(".."),
                  let hash = entry["hash"]?.string, let size = entry["size"]?.int,
                  let contentType = entry["contentType"]?.string else {
                throw .invalidManifest(manifestPath, "the entry \"\(name)\" lacks path, hash, size or contentType")
            }
            let file = folder + path
            var bytes: [UInt8]?
            var open: OpenFile?
            if size > Self.memoryLimit {
                guard let opened = OpenFile(path: file) else { throw .unreadable(file, errno) }
                open = opened
            } else {
                bytes = try FileSystem.read(file)
            }
            guard (bytes?.count ?? open?.size) == size else { throw .invalidManifest(manifestPath, "\(file) is not \(size) bytes long") }
            var gzip: [UInt8]?
            if let gzipPath = entry["gzip"]?["path"]?.string {
                guard gzipPath == path + ".gz" else { throw .invalidManifest(manifestPath, "the gzip file of \"\(name)\" is not beside it") }
                gzip = try FileSystem.read(folder + gzipPath)
            }
            assets.append(Asset(logicalName: name, hashedPath: path, hash: hash, contentType: contentType,
                                size: size, bytes: bytes, file: open, gzip: gzip))
        }
        self.init(assets: assets)
    }
}
