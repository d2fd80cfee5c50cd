"""An independent JOSE peer for Nachweis's interop tests, built on joserfc (pinned in scripts/test).

Reads one JSON request on standard input: {"tasks": [...]}; writes {"results": [...]} in the same order.
Tasks:
  {"op": "verify", "alg": A, "jwk": PUBLIC_JWK, "token": COMPACT}            -> {"valid": bool, "payload": B64URL|null, "error": str|null}
  {"op": "verify_json", "alg": A, "jwk": PUBLIC_JWK, "token": JSON_TEXT}     -> same (general/flattened, RFC 7797 b64=false too)
  {"op": "sign", "alg": A, "payload": B64URL}                                -> {"jwk": PUBLIC_JWK, "token": COMPACT}
No network is used.
"""
import base64
import json
import sys
import warnings

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, JWKRegistry, OKPKey, RSAKey

warnings.simplefilter("ignore")  # joserfc warns that "EdDSA" is superseded by RFC 9864's "Ed25519"


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64u(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def generate(alg: str):
    if alg == "EdDSA":
        return OKPKey.generate_key("Ed25519")
    if alg == "ES256":
        return ECKey.generate_key("P-256")
    if alg == "ES384":
        return ECKey.generate_key("P-384")
    return RSAKey.generate_key(2048)


def run(task: dict) -> dict:
    op, alg = task["op"], task["alg"]
    if op == "sign":
        key = generate(alg)
        token = jws.serialize_compact({"alg": alg}, unb64u(task["payload"]), key, algorithms=[alg])
        return {"jwk": key.as_dict(private=False), "token": token}
    key = JWKRegistry.import_key(task["jwk"])
    try:
        if op == "verify":
            obj = jws.deserialize_compact(task["token"], key, algorithms=[alg])
        else:
            obj = jws.deserialize_json(json.loads(task["token"]), key, algorithms=[alg])
        return {"valid": True, "payload": b64u(obj.payload), "error": None}
    except (JoseError, ValueError) as error:
        return {"valid": False, "payload": None, "error": f"{type(error).__name__}: {error}"}


def main() -> None:
    request = json.load(sys.stdin)
    json.dump({"results": [run(task) for task in request["tasks"]]}, sys.stdout)


if __name__ == "__main__":
    main()
