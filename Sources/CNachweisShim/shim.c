#include "CNachweisShim.h"
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>

long nw_bio_mem_contents(BIO *bio, const char **out) {
    char *data = NULL;
    long length = BIO_get_mem_data(bio, &data);
    *out = data;
    return length;
}

void nw_free(void *ptr) { OPENSSL_free(ptr); }

/// Copies the passphrase given as userdata; with none, refuses instead of prompting.
static int nw_passphrase_cb(char *buf, int size, int rwflag, void *userdata) {
    (void)rwflag;
    if (userdata == NULL || size <= 0) return 0;
    size_t len = strlen((const char *)userdata);
    if (len > (size_t)size) return 0;
    memcpy(buf, userdata, len);
    return (int)len;
}

EVP_PKEY *nw_read_private_key_pem(BIO *bio, const char *passphrase) {
    return PEM_read_bio_PrivateKey(bio, NULL, nw_passphrase_cb, (void *)passphrase);
}

EVP_PKEY *nw_read_private_key_der(const unsigned char *der, size_t length, const char *passphrase) {
    if (length > (size_t)0x7fffffff) return NULL;
    const unsigned char *p = der;
    EVP_PKEY *pkey = NULL;
    // Unencrypted PKCS#8 (PrivateKeyInfo) first, consuming every byte.
    PKCS8_PRIV_KEY_INFO *info = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)length);
    if (info != NULL) {
        if (p == der + length) pkey = EVP_PKCS82PKEY(info);
        PKCS8_PRIV_KEY_INFO_free(info);
        return pkey;
    }
    ERR_clear_error();
    p = der;
    X509_SIG *sig = d2i_X509_SIG(NULL, &p, (long)length);
    if (sig == NULL) return NULL;
    if (p == der + length && passphrase != NULL) {
        PKCS8_PRIV_KEY_INFO *decrypted = PKCS8_decrypt(sig, passphrase, (int)strlen(passphrase));
        if (decrypted != NULL) {
            pkey = EVP_PKCS82PKEY(decrypted);
            PKCS8_PRIV_KEY_INFO_free(decrypted);
        }
    }
    X509_SIG_free(sig);
    return pkey;
}

int nw_write_private_key(BIO *bio, EVP_PKEY *pkey, const char *passphrase, int der) {
    const EVP_CIPHER *cipher = passphrase ? EVP_aes_256_cbc() : NULL;
    if (der) {
        return i2d_PKCS8PrivateKey_bio(bio, pkey, cipher, NULL, 0, nw_passphrase_cb, (void *)passphrase);
    }
    return PEM_write_bio_PKCS8PrivateKey(bio, pkey, cipher, NULL, 0, nw_passphrase_cb, (void *)passphrase);
}

static EVP_PKEY *nw_fromdata(const char *type, OSSL_PARAM_BLD *bld, int private_key) {
    EVP_PKEY *pkey = NULL;
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    if (params && ctx && EVP_PKEY_fromdata_init(ctx) == 1) {
        int selection = private_key ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY;
        if (EVP_PKEY_fromdata(ctx, &pkey, selection, params) != 1) pkey = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    if (pkey == NULL) return NULL;
    // Reject keys that do not hold together (point off the curve, d not matching Q, bad RSA factors).
    EVP_PKEY_CTX *check = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    int ok = check != NULL &&
        (private_key ? EVP_PKEY_pairwise_check(check) == 1 : EVP_PKEY_public_check(check) == 1);
    EVP_PKEY_CTX_free(check);
    if (!ok) { EVP_PKEY_free(pkey); return NULL; }
    return pkey;
}

EVP_PKEY *nw_ec_key_from_components(const char *group, const unsigned char *pub, size_t publen,
                                    const unsigned char *priv, size_t privlen) {
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    BIGNUM *d = NULL;
    EVP_PKEY *pkey = NULL;
    if (bld == NULL) return NULL;
    int ok = OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) &&
             OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, publen);
    if (ok && priv != NULL) {
        d = BN_bin2bn(priv, (int)privlen, NULL);
        ok = d != NULL && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d);
    }
    if (ok) pkey = nw_fromdata("EC", bld, priv != NULL);
    BN_clear_free(d);
    OSSL_PARAM_BLD_free(bld);
    return pkey;
}

EVP_PKEY *nw_rsa_key_from_components(const unsigned char *const *components, const size_t *lengths, size_t count) {
    static const char *names[8] = {
        OSSL_PKEY_PARAM_RSA_N, OSSL_PKEY_PARAM_RSA_E, OSSL_PKEY_PARAM_RSA_D,
        OSSL_PKEY_PARAM_RSA_FACTOR1, OSSL_PKEY_PARAM_RSA_FACTOR2,
        OSSL_PKEY_PARAM_RSA_EXPONENT1, OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
    };
    if (count != 2 && count != 8) return NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    BIGNUM *numbers[8] = {0};
    EVP_PKEY *pkey = NULL;
    int ok = bld != NULL;
    for (size_t i = 0; ok && i < count; i++) {
        numbers[i] = BN_bin2bn(components[i], (int)lengths[i], NULL);
        ok = numbers[i] != NULL && OSSL_PARAM_BLD_push_BN(bld, names[i], numbers[i]);
    }
    if (ok) pkey = nw_fromdata("RSA", bld, count == 8);
    for (size_t i = 0; i < count; i++) BN_clear_free(numbers[i]);
    OSSL_PARAM_BLD_free(bld);
    return pkey;
}

long nw_pkey_bn_param(const EVP_PKEY *pkey, const char *name, unsigned char *out, size_t cap) {
    BIGNUM *bn = NULL;
    if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1 || bn == NULL) { ERR_clear_error(); return -1; }
    long length = -1;
    if ((size_t)BN_num_bytes(bn) <= cap) length = BN_bn2bin(bn, out);
    BN_clear_free(bn);
    return length;
}

STACK_OF(X509) *nw_x509_stack_new(void) { return sk_X509_new_null(); }

int nw_x509_stack_push(STACK_OF(X509) *stack, X509 *cert) {
    if (X509_up_ref(cert) != 1) return 0;
    if (sk_X509_push(stack, cert) <= 0) { X509_free(cert); return 0; }
    return 1;
}

int nw_x509_stack_count(const STACK_OF(X509) *stack) { return sk_X509_num(stack); }

X509 *nw_x509_stack_value(const STACK_OF(X509) *stack, int index) { return sk_X509_value(stack, index); }

void nw_x509_stack_free(STACK_OF(X509) *stack) { sk_X509_pop_free(stack, X509_free); }

int nw_malloc_thresholds(int trim, int mmap) {
#if defined(__GLIBC__)
    return mallopt(M_TRIM_THRESHOLD, trim) && mallopt(M_MMAP_THRESHOLD, mmap);
#else
    (void)trim; (void)mmap;
    return 0;
#endif
}
