"""Independent Data Integrity (eddsa-rdfc-2022) peers for Nachweis's interop tests: openbadgeslib (its own
canonicalization and bundled contexts) and a check built here on pyld (URDNA2015) + cryptography. All pinned in
requirements.txt; contexts come from local files only.

Request on standard input: {"contexts": {URL: FILE, ...}, "tasks": [...]}; answer {"results": [...]}.
  {"op": "obl_verify", "document": DOC, "public_key_pem": PEM}                  -> {"valid": bool, "error": str|null}
  {"op": "obl_sign", "document": DOC, "private_key_pem": PEM, "verification_method": VM, "created": ISO}
                                                                                 -> {"document": DOC|null, "error": str|null}
  {"op": "pyld_verify", "document": DOC, "public_key_raw_hex": HEX}             -> {"valid": bool, "error": str|null}
  {"op": "obl_jwt_verify", "token": JWS, "public_key_pem": PEM}                 -> {"valid": bool, "error": str|null}  (VC-JWT)
  {"op": "pyld_normalize", "document": DOC, "base": IRI}                                   -> {"nquads": str|null, "error": str|null}  (URDNA2015)
"""
import base64
import copy
import hashlib
import json
import sys
import warnings
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from openbadgeslib.ob3 import ldp
from openbadgeslib.ob3.verifier import OB3Verifier
from pyld import jsonld

warnings.simplefilter("ignore")

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + B58.index(char)
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\x00" * (len(text) - len(text.lstrip("1"))) + raw


def loader_for(contexts: dict):
    documents = {}
    for url, path in contexts.items():
        with open(path, encoding="utf-8") as handle:
            documents[url] = json.load(handle)

    def load(url, options=None):
        if url not in documents:
            raise jsonld.JsonLdError("not available offline: " + url, "jsonld.LoadDocumentError", code="loading document failed")
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": documents[url]}
    return load


def canonical(doc, loader, base=None) -> bytes:
    options = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": loader}
    if base is not None:
        options["base"] = base
    return jsonld.normalize(doc, options).encode()


def pyld_verify(document: dict, public_raw: bytes, loader) -> None:
    proof = copy.deepcopy(document["proof"])
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    value = proof.pop("proofValue")
    proof["@context"] = document["@context"]
    data = hashlib.sha256(canonical(proof, loader)).digest() + hashlib.sha256(canonical(unsecured, loader)).digest()
    assert value.startswith("z")
    Ed25519PublicKey.from_public_bytes(public_raw).verify(b58decode(value[1:]), data)


def run(task: dict, loader) -> dict:
    op = task["op"]
    try:
        if op == "obl_verify":
            ldp.verify_data_integrity_proof(task["document"], task["public_key_pem"].encode())
            return {"valid": True, "error": None}
        if op == "obl_sign":
            created = datetime.fromisoformat(task["created"].replace("Z", "+00:00"))
            signed = ldp.add_data_integrity_proof(task["document"], task["private_key_pem"].encode(),
                                                  task["verification_method"], created=created)
            return {"document": signed, "error": None}
        if op == "obl_jwt_verify":
            credential = OB3Verifier(task["public_key_pem"].encode()).verify(task["token"])
            return {"valid": True, "error": None, "issuer": credential.issuer.id}
        if op == "pyld_normalize":
            return {"nquads": canonical(task["document"], loader, task.get("base")).decode(), "error": None}
        if op == "pyld_verify":
            pyld_verify(task["document"], bytes.fromhex(task["public_key_raw_hex"]), loader)
            return {"valid": True, "error": None}
    except Exception as error:  # report, do not crash: the test decides what is expected
        return {"valid": False, "document": None, "error": f"{type(error).__name__}: {error}"}
    return {"error": "unknown op " + op}


def main() -> None:
    request = json.load(sys.stdin)
    loader = loader_for(request.get("contexts", {}))
    json.dump({"results": [run(task, loader) for task in request["tasks"]]}, sys.stdout)


if __name__ == "__main__":
    main()
