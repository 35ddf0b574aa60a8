// provided.al2023 ships glibc 2.34. Swift's static runtime, linked on Debian 12 (glibc 2.36), asks
// for hypotf@GLIBC_2.35 and arc4random@GLIBC_2.36, and a binary asking for them does not start
// there ("GLIBC_2.35 not found"). Defining both here binds those references to these definitions
// at link time, so the binary asks glibc for neither. Each is exact: hypotf through double hypot
// (which has been in glibc forever) rounds once, and arc4random reads the kernel's CSPRNG, as
// glibc's own does.
#include <math.h>
#include <stdint.h>
#include <sys/random.h>
#include <errno.h>
#include <stdlib.h>

float hypotf(float x, float y) {
    return (float)hypot((double)x, (double)y);
}

uint32_t arc4random(void) {
    uint32_t value;
    for (;;) {
        ssize_t n = getrandom(&value, sizeof value, 0);
        if (n == (ssize_t)sizeof value) return value;
        if (n < 0 && errno == EINTR) continue;
        abort(); // glibc's arc4random cannot fail either: it aborts when the kernel refuses
    }
}

void arc4random_buf(void *buffer, size_t count) {
    unsigned char *bytes = buffer;
    while (count > 0) {
        ssize_t n = getrandom(bytes, count, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            abort();
        }
        bytes += n;
        count -= (size_t)n;
    }
}

uint32_t arc4random_uniform(uint32_t upper) {
    if (upper < 2) return 0;
    uint32_t floor = (uint32_t)(-upper) % upper; // values below this would bias the result
    for (;;) {
        uint32_t value = arc4random();
        if (value >= floor) return value % upper;
    }
}
