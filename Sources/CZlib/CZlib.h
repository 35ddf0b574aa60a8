#ifndef SWIFTLET_CZLIB_H
#define SWIFTLET_CZLIB_H
// zlib from Debian's zlib1g-dev; deflateInit2 is a macro, so Swift gets a function for it.
#include <zlib.h>

/// deflateInit2 for a gzip stream (windowBits 15 + 16) at `level`.
static inline int czlib_deflate_init_gzip(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
}
/// inflateInit2 that takes gzip (and zlib) streams (tests read what the server sends with it).
static inline int czlib_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 15 + 32);
}
#endif
