#!/usr/bin/env bash
# Regenerates every DEVELOPMENT key and certificate in this folder with the openssl command line.
# Never use these for real credentials: the private keys are public on the internet.
# Usage: Keys/regenerate.sh            (from the repository root or from Keys/)
set -euo pipefail
cd "$(dirname "$0")"
command -v openssl >/dev/null || { echo "openssl is needed (apt-get install openssl)" >&2; exit 1; }

# Demo issuer signing keys (PKCS#8 PEM, unencrypted).
openssl genpkey -quiet -algorithm ed25519 -out issuer-ed25519.pem
openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out issuer-p256.pem
openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out issuer-rsa3072.pem
# The wallet's key: signs the presentations share links answer with (did:web:<host>:wallet).
openssl genpkey -quiet -algorithm ed25519 -out wallet-ed25519.pem

# Development CA: self-signed P-256 root, 10 years.
mkdir -p trust-anchors
openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out dev-ca.key
openssl req -new -x509 -key dev-ca.key -sha256 -days 3650 \
  -subj "/C=DE/O=Nachweis Development CA (NOT FOR PRODUCTION)/CN=Nachweis Development Root CA" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=hash" \
  -out trust-anchors/nachweis-dev-ca.pem

# Electronic-seal certificate of the demo issuer (ETSI EN 319 412-3 style subject), 5 years.
openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out seal-p256.key
cat > seal.ext <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,nonRepudiation
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EXT
openssl req -new -key seal-p256.key \
  -subj "/C=DE/O=Nachweis Demo University/organizationIdentifier=VATDE-000000000/CN=Nachweis Demo University Seal" \
  -out seal.csr
openssl x509 -req -in seal.csr -CA trust-anchors/nachweis-dev-ca.pem -CAkey dev-ca.key -sha256 -days 1825 \
  -set_serial "0x$(openssl rand -hex 16)" -extfile seal.ext -out seal-p256.pem
rm -f seal.csr seal.ext
chmod 600 ./*.pem ./*.key
chmod 644 trust-anchors/*.pem seal-p256.pem
echo "Development keys regenerated in $(pwd). Do not use them in production."
