import Glibc
import JSON
import TestSupport
import Testing

extension SwiftletCLITests {
    /// What CloudFront serves from S3 under `/assets/*` must be what the function would have
    /// answered (DESIGN.md): the export of `swiftlet assets`, uploaded by `scripts/upload-assets`
    /// to S3 (moto on loopback), gives every hashed path the bytes, `Content-Type` and
    /// `Cache-Control` that `swiftlet serve` answers it with.
    @Test func uploadedAssetsMatchWhatTheServerSends() async throws {
        let moto = try await MotoServer.shared()
        let folder = TemporaryFolder()
        let export = folder.file("export")
        let (status, error) = try run(["assets", export, "--public-folder", Self.root + "/Public"])
        #expect(status == 0, "\(error)")
        let bucket = "swiftlet-assets-\(getpid())" // the moto server is shared by the test process
        let environment = [
            "AWS_ENDPOINT_URL": moto.endpoint, "AWS_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        ]
        // The bucket is made, and read back, with boto3 (S3 wants signed calls).
        folder.write("s3.py", Array(Self.s3Helper.utf8))
        func python(_ arguments: [String]) async throws -> ChildProcess {
            let child = try ChildProcess("/usr/bin/env", ["python3"] + arguments, environment: environment)
            let status = try await onOwnThread { child.wait(timeout: .seconds(60)) }
            #expect(status == 0, "\(arguments): \(child.standardError)")
            return child
        }
        _ = try await python([folder.file("s3.py"), "create", bucket])
        let upload = try await python([Self.root + "/scripts/upload-assets", export, bucket])
        let stored = try await python([folder.file("s3.py"), "download", bucket, folder.file("s3")])

        var fromS3: [String: (contentType: String, cacheControl: String)] = [:]
        for line in stored.standardOutput.split(separator: "\n") {
            let fields = line.split(separator: "\t").map(String.init)
            if fields.count == 3 { fromS3["/" + fields[0]] = (fields[1], fields[2]) }
        }
        let manifestBytes = try #require(readFile(export + "/manifest.json"))
        let manifest = try #require(try JSONValue.parse(manifestBytes).object)
        #expect(manifest.members.count >= 4, "app.css, app.js, favicon.ico, robots.txt")
        #expect(fromS3.count == manifest.members.count, "only the hashed files: \(fromS3.keys.sorted())")
        #expect(upload.standardOutput.split(separator: "\n").count == manifest.members.count)

        let (server, port) = try startServer(["--store", "memory"])
        defer { server.signal(SIGKILL) }
        let client = try RawClient(port: port)
        for (name, entry) in manifest.members {
            let assetPath = try #require(entry["path"]?.string)
            let served = try #require(try client.request("GET", assetPath))
            let object = try #require(fromS3[assetPath], "\(name) was not uploaded")
            #expect(served.status == 200)
            #expect(readFile(folder.file("s3") + assetPath) == served.body, "\(name)")
            #expect(object.contentType == served.header("Content-Type"), "\(name)")
            #expect(object.cacheControl == served.header("Cache-Control"), "\(name)")
        }
    }

    /// `create BUCKET`, or `download BUCKET FOLDER`: every object's body into FOLDER, and a line
    /// `key<TAB>Content-Type<TAB>Cache-Control` for each on stdout.
    static let s3Helper = """
        import boto3, os, sys
        s3 = boto3.client("s3")
        if sys.argv[1] == "create":
            s3.create_bucket(Bucket=sys.argv[2])
        else:
            bucket, folder = sys.argv[2], sys.argv[3]
            for listed in s3.list_objects_v2(Bucket=bucket).get("Contents", []):
                got = s3.get_object(Bucket=bucket, Key=listed["Key"])
                path = os.path.join(folder, listed["Key"])
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as handle:
                    handle.write(got["Body"].read())
                print("%s\t%s\t%s" % (listed["Key"], got.get("ContentType"), got.get("CacheControl")))

        """

    /// A folder that is not an export is one line and exit 1, before anything is sent.
    @Test func uploadingSomethingThatIsNotAnExportIsOneLine() async throws {
        let folder = TemporaryFolder()
        let upload = try ChildProcess("/usr/bin/env", ["python3", Self.root + "/scripts/upload-assets", folder.path, "bucket"])
        let status = try await onOwnThread { upload.wait(timeout: .seconds(30)) }
        #expect(status == 1)
        #expect(upload.standardError.split(separator: "\n").count == 1, "\(upload.standardError)")
        #expect(upload.standardError.contains("is not an export of `swiftlet assets`"), "\(upload.standardError)")
    }
}
