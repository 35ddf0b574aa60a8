import Glibc

/// A folder under /tmp for one test, removed with everything in it when the test is done.
package final class TemporaryFolder {
    package let path: String

    package init() {
        var template = Array("/tmp/swiftlet-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = String(cString: made!)
    }

    package func file(_ name: String) -> String { "\(path)/\(name)" }

    package func write(_ name: String, _ bytes: [UInt8]) {
        let fd = open(file(name), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(fd >= 0)
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    deinit {
        _ = system("rm -rf '\(path)'")
    }
}

/// The names in `folder` (`.` and `..` left out), sorted; empty when it cannot be read. Each is read
/// up to its NUL: a `dirent` is as long as its name, not the 256 bytes `d_name`'s type says.
package func directoryNames(_ folder: String) -> [String] {
    guard let directory = opendir(folder) else { return [] }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
        let name = withUnsafePointer(to: &entry.pointee.d_name) {
            String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
}
