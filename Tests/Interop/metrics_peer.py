"""Parses a Prometheus text exposition with prometheus_client's own parser (pinned in requirements.txt), for
Nachweis's /metrics test. Standard input: the exposition text. Answer: {"families": {name: type}, "samples":
[[name, labels, value], ...]} — or exit 1 with the parser's complaint."""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

families, samples = {}, []
try:
    for family in text_string_to_metric_families(sys.stdin.read()):
        families[family.name] = family.type
        for sample in family.samples:
            samples.append([sample.name, dict(sample.labels), sample.value])
except Exception as error:  # the exposition is malformed: say why
    print(f"{type(error).__name__}: {error}", file=sys.stderr)
    sys.exit(1)
json.dump({"families": families, "samples": samples}, sys.stdout)
