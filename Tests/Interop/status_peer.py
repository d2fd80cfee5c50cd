"""Independent Bitstring Status List decoder (W3C Bitstring Status List v1.0 §3.2, written from the spec with the
Python standard library only): reads {"encodedList": ..., "indices": [...]} on stdin and prints
{"size": number of entries, "set": the indices among those given whose bit is 1, "all": every set index}."""
import base64
import gzip
import json
import sys

request = json.load(sys.stdin)
encoded = request["encodedList"]
assert encoded[0] == "u", "multibase base64url expected"
body = encoded[1:]
raw = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def bit(index):
    # "The first index, with a value of zero (0), is located at the left-most bit in the bitstring."
    return (raw[index // 8] >> (7 - index % 8)) & 1


print(json.dumps({
    "size": len(raw) * 8,
    "set": [i for i in request["indices"] if bit(i)],
    "all": [i for i in range(len(raw) * 8) if bit(i)],
}))
