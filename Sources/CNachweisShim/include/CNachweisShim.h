#ifndef NACHWEIS_SHIM_H
#define NACHWEIS_SHIM_H
// A small shim over OpenSSL for what Swift cannot import: function-like macros,
// STACK_OF helpers, passphrase callbacks and OSSL_PARAM building; and glibc's allocator settings (malloc.h is not in
// Swift's Glibc module).
#include <stddef.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

/// Bytes held by a memory BIO; returns their count and sets *out.
long nw_bio_mem_contents(BIO *bio, const char **out);

/// Frees memory allocated by OpenSSL (OPENSSL_free).
void nw_free(void *ptr);

/// Sets glibc's trim and mmap thresholds (mallopt); returns 1 when both were accepted, 0 elsewhere.
int nw_malloc_thresholds(int trim, int mmap);

/// Reads a PEM private key (PKCS#8, encrypted or not, or a traditional form).
/// A NULL passphrase never prompts: an encrypted key then fails.
EVP_PKEY *nw_read_private_key_pem(BIO *bio, const char *passphrase);

/// Reads a DER PKCS#8 private key, encrypted (with passphrase) or not.
EVP_PKEY *nw_read_private_key_der(const unsigned char *der, size_t length, const char *passphrase);

/// Writes a PKCS#8 private key as PEM (der == 0) or DER (der != 0);
/// encrypted with AES-256-CBC and PBKDF2 (PBES2) when passphrase is not NULL.
int nw_write_private_key(BIO *bio, EVP_PKEY *pkey, const char *passphrase, int der);

/// Builds an EC key from a named group, an encoded public point and an optional
/// private scalar (priv may be NULL). Checks the point is on the curve.
EVP_PKEY *nw_ec_key_from_components(const char *group, const unsigned char *pub, size_t publen,
                                    const unsigned char *priv, size_t privlen);

/// Builds an RSA key from big-endian components in the order
/// n, e, d, p, q, dp, dq, qi; count is 2 (public) or 8 (private).
EVP_PKEY *nw_rsa_key_from_components(const unsigned char *const *components, const size_t *lengths, size_t count);

/// Reads a BIGNUM parameter of a key as unpadded big-endian bytes.
/// Returns the length written, or -1 when absent or cap is too small.
long nw_pkey_bn_param(const EVP_PKEY *pkey, const char *name, unsigned char *out, size_t cap);

/// STACK_OF(X509) helpers. Push takes a new reference to the certificate.
STACK_OF(X509) *nw_x509_stack_new(void);
int nw_x509_stack_push(STACK_OF(X509) *stack, X509 *cert);
int nw_x509_stack_count(const STACK_OF(X509) *stack);
X509 *nw_x509_stack_value(const STACK_OF(X509) *stack, int index);
void nw_x509_stack_free(STACK_OF(X509) *stack);

#endif
