"""An independent JSON Schema validator for Nachweis's cross-checks: python-jsonschema (draft 2019-09), pinned
in requirements.txt, with format assertion on (date-time via rfc3339-validator), like Nachweis.

Request on standard input: {"schemas": [FILE, ...], "tasks": [{"schema": URI, "instance": JSON}, ...]}
Answer: {"results": [{"valid": bool, "pointers": [JSON_POINTER, ...]}, ...]} in the same order.
Schemas are registered by their $id; nothing is fetched.
"""
import json
import sys

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT201909


def pointer(path) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def main() -> None:
    request = json.load(sys.stdin)
    resources = []
    for file in request["schemas"]:
        with open(file, encoding="utf-8") as handle:
            document = json.load(handle)
        resources.append((document["$id"], Resource.from_contents(document, default_specification=DRAFT201909)))
    registry = Registry().with_resources(resources)
    validators = {}
    results = []
    for task in request["tasks"]:
        uri = task["schema"]
        if uri not in validators:
            schema = registry.contents(uri)
            validators[uri] = jsonschema.Draft201909Validator(
                schema, registry=registry, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER)
        errors = list(validators[uri].iter_errors(task["instance"]))
        results.append({"valid": not errors, "pointers": sorted({pointer(e.absolute_path) for e in errors})})
    json.dump({"results": results}, sys.stdout)


if __name__ == "__main__":
    main()
