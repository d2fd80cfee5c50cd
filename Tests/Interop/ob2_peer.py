"""The OB 2.0 validator `openbadges` (1EdTech's reference verifier, Python 3.8) as an interop peer for Nachweis.

HTTP is mocked at the transport: requests to 127.0.0.1 (the live Nachweis server under test) pass through; the
JSON-LD context URLs given in "contexts" are answered from local files; anything else fails as if offline. Nothing
reaches the network.

Request on standard input: {"contexts": {URL: FILE, ...}, "documents": {URL: TEXT, ...}?,
"tasks": [{"input": URL-or-JWS-or-JSON, "recipient": EMAIL?, "documents": {URL: TEXT}?}]} — documents (a task's own
over the request's) are answered as JSON-LD, for assertions, badge classes and issuers that live nowhere.
Answer: {"results": [{"valid": bool, "errors": [str], "warnings": [str], "revoked": bool, "offline": [URL]}]}
"""
import json
import sys
import warnings
from urllib.parse import urlparse

import requests
from requests.adapters import HTTPAdapter
from requests.models import Response

warnings.simplefilter("ignore")

request = json.load(sys.stdin)
documents = {}
for url, path in request.get("contexts", {}).items():
    with open(path, "rb") as handle:
        documents[url] = handle.read()
for url, text in request.get("documents", {}).items():
    documents[url] = text.encode("utf-8")
task_documents = {}
offline = []
original_send = HTTPAdapter.send


def send(self, prepared, **kwargs):
    host = urlparse(prepared.url).hostname
    if host in ("127.0.0.1", "localhost"):
        return original_send(self, prepared, **kwargs)
    response = Response()
    response.url = prepared.url
    response.request = prepared
    if prepared.url in task_documents or prepared.url in documents:
        response.status_code = 200
        response._content = task_documents.get(prepared.url, documents.get(prepared.url))
        response.headers["Content-Type"] = "application/ld+json"
        return response
    offline.append(prepared.url)
    raise requests.exceptions.ConnectionError("offline: " + prepared.url)


HTTPAdapter.send = send

from openbadges import verify  # noqa: E402  (after the transport is mocked)

results = []
for task in request["tasks"]:
    offline.clear()
    task_documents = {url: text.encode("utf-8") for url, text in task.get("documents", {}).items()}
    profile = {"email": task["recipient"]} if task.get("recipient") else None
    report = verify(task["input"], recipient_profile=profile, use_cache=False)
    messages = report["report"].get("messages", [])
    errors = [m.get("name", "") + ": " + str(m.get("result", "")) for m in messages if m.get("messageLevel") == "ERROR"]
    results.append({
        "valid": bool(report["report"].get("valid")),
        "errors": errors,
        "warnings": [m.get("name", "") + ": " + str(m.get("result", "")) for m in messages if m.get("messageLevel") == "WARNING"],
        "revoked": any("REVOKED" in m.get("name", "") for m in messages if m.get("messageLevel") == "ERROR"),
        "recipientMatched": report["report"].get("recipientProfile") is not None,
        "offline": list(offline),
    })
print(json.dumps({"results": results}))
