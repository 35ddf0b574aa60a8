import Glibc
package import Mustache

/// Why the app cannot start: each names the file or folder to fix. Found at start, never per request.
package enum AppError: Error, CustomStringConvertible {
    case folderMissing(String)
    case unreadable(String, Int32)
    case unwritable(String, Int32)
    case template(MustacheError)
    /// `template` is `file:line:column` of the tag.
    case missingPartial(template: String, partial: String)
    case missingTemplate(String)
    /// `template` is `file:line:column` of the `{{#asset}}` section.
    case missingAsset(template: String, asset: String)
    case invalidManifest(String, String)

    package var description: String {
        switch self {
        case .folderMissing(let path): "the folder \(path) does not exist"
        case .unreadable(let path, let code): "cannot read \(path): \(String(cString: strerror(code)))"
        case .unwritable(let path, let code): "cannot write \(path): \(String(cString: strerror(code)))"
        case .template(let error): "template error: \(error)"
        case .missingPartial(let template, let partial): "\(template): includes \"\(partial)\", which is not in Templates/"
        case .missingTemplate(let name): "Templates/ has no \(name).mustache, which the app needs"
        case .missingAsset(let template, let asset): "\(template): links the asset \"\(asset)\", which is not in Public/"
        case .invalidManifest(let path, let reason): "the asset manifest \(path) cannot be used: \(reason) (write it again with swiftlet assets)"
        }
    }
}
