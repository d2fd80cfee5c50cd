"""Peer figures for `nachweis-bench linkeddata`: pyld URDNA2015 normalization of the 1EdTech OB 3.0 vector's unsigned
credential, and openbadgeslib's verify_data_integrity_proof of the signed one, each for about SECONDS of CPU time.

usage: linkeddata_bench.py REFERENCE_DIR SECONDS   -> prints "pyld <per second>", "openbadgeslib <per second>"
"""
import json
import os
import sys
import time
import warnings
from importlib.metadata import version

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from openbadgeslib.ob3 import ldp
from pyld import jsonld

warnings.simplefilter("ignore")


def rate(seconds, body):
    for _ in range(3):
        body()
    count, start = 0, time.process_time()
    while time.process_time() - start < seconds:
        body()
        count += 1
    return count / (time.process_time() - start)


def main() -> None:
    reference, seconds = sys.argv[1], float(sys.argv[2])
    vector = os.path.join(reference, "openbadges/ob3/test-vectors/spec-eddsa-rdfc-2022")
    with open(os.path.join(vector, "unsigned-credential.json")) as handle:
        unsigned = json.load(handle)
    with open(os.path.join(vector, "signed-credential.json")) as handle:
        signed = json.load(handle)
    with open(os.path.join(vector, "keypair.json")) as handle:
        public_hex = json.load(handle)["publicKeyHex"]
    contexts = {
        "https://www.w3.org/ns/credentials/v2": "w3c/contexts/credentials-v2.jsonld",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "openbadges/ob3/contexts/context-3.0.3.json",
    }
    documents = {}
    for url, path in contexts.items():
        with open(os.path.join(reference, path)) as handle:
            documents[url] = json.load(handle)

    def loader(url, options=None):
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": documents[url]}

    def canonize():
        jsonld.normalize(unsigned, {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": loader})

    pem = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex)).public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)

    def verify():
        ldp.verify_data_integrity_proof(signed, pem)

    print(f"versions pyld {version('pyld')}, openbadgeslib {version('openbadgeslib')}")
    print(f"pyld {rate(seconds, canonize):.1f}")
    print(f"openbadgeslib {rate(seconds, verify):.1f}")


if __name__ == "__main__":
    main()
