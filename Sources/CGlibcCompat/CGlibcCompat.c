// provided.al2023 ships glibc 2.34. Linked statically on Debian 12 (glibc 2.36), Swift's runtime
// asks for hypotf@GLIBC_2.35 and arc4random@GLIBC_2.36, and GCC 12's static unwinder (libgcc_eh)
// for _dl_find_object@GLIBC_2.35; a binary asking for any of them does not start there
// ("GLIBC_2.35 not found"). Defining them here binds those references to these definitions at link
// time, so the binary asks glibc for none of them. Each is exact: hypotf through the double hypot
// every glibc has (pinned to its first version: 2.35 added a second), rounding once; arc4random
// from the kernel's CSPRNG, as glibc's own; _dl_find_object from dl_iterate_phdr, as glibc's did
// before it had a cache.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <math.h>
#include <stdint.h>
#include <sys/random.h>
#include <errno.h>
#include <stdlib.h>

double swiftlet_hypot_2_2_5(double x, double y);
__asm__(".symver swiftlet_hypot_2_2_5, hypot@GLIBC_2.2.5");

float hypotf(float x, float y) {
    return (float)swiftlet_hypot_2_2_5((double)x, (double)y);
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

struct find_object_search {
    uintptr_t address;
    struct dl_find_object *result;
    int found;
};

static int find_object_in(struct dl_phdr_info *info, size_t size, void *context) {
    (void)size;
    struct find_object_search *search = context;
    uintptr_t low = UINTPTR_MAX, high = 0;
    int contains = 0;
    void *eh_frame = NULL;
    for (ElfW(Half) index = 0; index < info->dlpi_phnum; index++) {
        const ElfW(Phdr) *segment = &info->dlpi_phdr[index];
        uintptr_t start = info->dlpi_addr + segment->p_vaddr;
        if (segment->p_type == PT_LOAD) {
            uintptr_t end = start + segment->p_memsz;
            if (start < low) low = start;
            if (end > high) high = end;
            if (search->address >= start && search->address < end) contains = 1;
        } else if (segment->p_type == PT_GNU_EH_FRAME) {
            eh_frame = (void *)start;
        }
    }
    if (!contains) return 0;
    search->result->dlfo_flags = 0;
    search->result->dlfo_map_start = (void *)low;
    search->result->dlfo_map_end = (void *)high;
    search->result->dlfo_link_map = NULL;
    search->result->dlfo_eh_frame = eh_frame;
    search->found = 1;
    return 1;
}

int _dl_find_object(void *address, struct dl_find_object *result) {
    struct find_object_search search = { (uintptr_t)address, result, 0 };
    dl_iterate_phdr(find_object_in, &search);
    return search.found ? 0 : -1;
}
