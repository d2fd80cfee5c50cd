"""Peer figure for `nachweis-bench documents`: json.loads + python-jsonschema validation (Draft 2019-09, format
checking on) of one document against one schema, single-threaded, for about SECONDS of CPU time.

usage: jsonschema_bench.py SCHEMA DOCUMENT SECONDS   -> prints "<per second> <jsonschema version>"
"""
import json
import sys
import time
from importlib.metadata import version

import jsonschema


def main() -> None:
    schema_path, document_path, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    with open(schema_path, encoding="utf-8") as handle:
        schema = json.load(handle)
    with open(document_path, "rb") as handle:
        data = handle.read()
    validator = jsonschema.Draft201909Validator(schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER)
    for _ in range(20):
        assert not list(validator.iter_errors(json.loads(data)))
    count, start = 0, time.process_time()
    while time.process_time() - start < seconds:
        for _ in range(16):
            errors = list(validator.iter_errors(json.loads(data)))
            assert not errors
        count += 16
    print(f"{count / (time.process_time() - start):.1f} {version('jsonschema')}")


if __name__ == "__main__":
    main()
