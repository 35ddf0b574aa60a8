import ArgumentParser
import SwiftletApp

/// `swiftlet assets <out-dir>`: exports the hashed assets for S3 and prints how to upload each.
struct AssetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assets",
        abstract: "Write the hashed files of Public/, their .gz siblings and manifest.json to a folder."
    )

    @Argument(help: "The folder to write to (created when missing).")
    var outDir: String

    @Option(help: "The folder of static files (default: Public next to the executable or in the working directory).")
    var publicFolder: String?

    func run() throws {
        var configuration = AppConfiguration()
        configuration.publicFolder = try publicFolder ?? AppSettings.locate("Public")
        let uploads = try ConfigurationError.wrapping { () throws(AppError) in
            try AssetExport(catalog: SwiftletApp.loadAssets(configuration: configuration)).write(to: outDir)
        }
        for upload in uploads {
            var line = "\(upload.key)\tContent-Type: \(upload.contentType)\tCache-Control: \(upload.cacheControl)"
            if let encoding = upload.contentEncoding { line += "\tContent-Encoding: \(encoding)" }
            print(line)
        }
    }
}
