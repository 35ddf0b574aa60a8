#ifndef SWIFTLET_COPENSSL_H
#define SWIFTLET_COPENSSL_H
// OpenSSL's libcrypto from Debian's libssl-dev: digests (asset hashes) and, later, HMAC for SigV4.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#endif
