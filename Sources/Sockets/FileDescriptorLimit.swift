import Glibc

/// The process's open-file limit. A server holding thousands of idle connections needs more than the
/// usual soft limit of 1,024, and the hard limit is usually far higher.
package enum FileDescriptorLimit {
    /// Raises the soft `RLIMIT_NOFILE` to the hard limit; returns the limit now in force.
    @discardableResult
    package static func raiseToMaximum() -> UInt64 {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return UInt64(limit.rlim_cur)
    }
}
