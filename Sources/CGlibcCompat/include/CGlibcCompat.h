// Definitions of glibc functions newer than provided.al2023's glibc 2.34 (see CGlibcCompat.c);
// declared here so that a test can call them.
#pragma once
#include <stdint.h>
#include <stddef.h>

float hypotf(float x, float y);
uint32_t arc4random(void);
void arc4random_buf(void *buffer, size_t count);
uint32_t arc4random_uniform(uint32_t upper);
