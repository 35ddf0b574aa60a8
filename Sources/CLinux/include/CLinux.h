#ifndef SWIFTLET_CLINUX_H
#define SWIFTLET_CLINUX_H

// What Swift's Glibc module does not export, and the few C-only helpers the socket layer needs.
#include <errno.h>
#include <stdlib.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/// errno as a plain function: Swift sees the macro only through Glibc, which some targets do not import.
static inline int clinux_errno(void) { return errno; }

/// Blocks SIGINT, SIGTERM and SIGPIPE in the calling thread (and the threads it starts later), so that
/// one thread can take them with `sigwait` and no write to a closed socket kills the process.
static inline int clinux_block_stop_signals(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGPIPE);
    return pthread_sigmask(SIG_BLOCK, &set, NULL);
}

/// Unblocks SIGINT and SIGTERM in the calling thread (SIGPIPE stays blocked): for a command that
/// takes no stop signals of its own, so that Ctrl-C ends it as it ends any program.
static inline int clinux_unblock_stop_signals(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

/// Waits for SIGINT or SIGTERM (blocked beforehand by `clinux_block_stop_signals`); returns the signal.
static inline int clinux_wait_stop_signal(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int sig = 0;
    while (sigwait(&set, &sig) != 0) {}
    return sig;
}

/// Ignores SIGPIPE process-wide (tests and the Lambda runtime, which take no stop signals).
static inline void clinux_ignore_sigpipe(void) { signal(SIGPIPE, SIG_IGN); }

/// A monotonic clock in nanoseconds.
static inline unsigned long long clinux_monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

/// accept4(2), hidden from Swift behind _GNU_SOURCE.
int clinux_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);
/// Names the calling thread (15 characters at most) for top, perf and gdb.
void clinux_set_thread_name(const char *name);

/// epoll_event is packed on x86_64; these keep Swift away from its layout.
static inline int clinux_epoll_ctl(int epfd, int op, int fd, unsigned int events, unsigned long long data) {
    struct epoll_event ev;
    ev.events = events;
    ev.data.u64 = data;
    return epoll_ctl(epfd, op, fd, &ev);
}
static inline void *clinux_epoll_events_alloc(int count) {
    return calloc((size_t)count, sizeof(struct epoll_event));
}
static inline unsigned int clinux_epoll_event_flags(const void *events, int index) {
    return ((const struct epoll_event *)events)[index].events;
}
static inline unsigned long long clinux_epoll_event_data(const void *events, int index) {
    return ((const struct epoll_event *)events)[index].data.u64;
}

#endif
