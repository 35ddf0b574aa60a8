#ifndef SWIFTLET_COPENSSL_H
#define SWIFTLET_COPENSSL_H
// OpenSSL from Debian's libssl-dev: digests (asset hashes), HMAC (SigV4) and TLS (HTTPClient).
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

// Macros Swift cannot call, as functions.
static inline long swiftlet_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}
static inline long swiftlet_SSL_CTX_set_min_proto_version(SSL_CTX *context, int version) {
    return SSL_CTX_set_min_proto_version(context, version);
}
static inline long swiftlet_SSL_CTX_set_mode(SSL_CTX *context, long mode) {
    return SSL_CTX_set_mode(context, mode);
}
#endif
