"""openbadgeslib verifying the same credentials as `nachweis-bench verifying`, in a loop for a given time.
Standard input: {"jwt": TOKEN, "di": DOCUMENT, "public_key_pem": PEM, "seconds": S}. Prints "name rate" lines and
"versions …". The peer checks signatures, JWT claims and dates; it fetches nothing (no status: it has no offline
status support), so its figure is an upper bound of what it does against what Nachweis does."""
import json
import sys
import time
import warnings
from importlib.metadata import version

from openbadgeslib.ob3 import ldp
from openbadgeslib.ob3.verifier import OB3Verifier

warnings.simplefilter("ignore")
request = json.load(sys.stdin)
seconds = float(request["seconds"])
pem = request["public_key_pem"].encode()


def rate(body):
    body()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        body()
        count += 1
    return count / (time.perf_counter() - start)


verifier = OB3Verifier(pem)
print("openbadgeslib_jwt", rate(lambda: verifier.verify(request["jwt"])))
print("openbadgeslib_di", rate(lambda: ldp.verify_data_integrity_proof(request["di"], pem)))
print("versions openbadgeslib " + version("openbadgeslib"))
