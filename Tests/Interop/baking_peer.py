"""Independent badge bakers for Nachweis's interop tests: openbadges-bakery (OB 2.0) and openbadgeslib (OB 3.0),
pinned in requirements.txt. Nothing touches the network.

Request on standard input: {"tasks": [...]}; answer {"results": [...]} in the same order.
  {"op": "bakery_unbake", "path": P}                         -> {"text": str|null, "error": str|null}
  {"op": "bakery_bake", "image": P, "text": T, "out": P}     -> {"ok": bool, "error": str|null}
  {"op": "obl_unbake", "path": P}  (OB 3.0, PNG or SVG)      -> {"text": str|null, "error": str|null}
  {"op": "obl_bake", "image": P, "text": T, "out": P}        -> {"ok": bool, "error": str|null}
"""
import json
import sys
import warnings

from openbadges_bakery import bake, unbake
from openbadgeslib import baking

warnings.simplefilter("ignore")


def run(task: dict) -> dict:
    op = task["op"]
    try:
        if op == "bakery_unbake":
            with open(task["path"], "rb") as image:
                return {"text": unbake(image), "error": None}
        if op == "bakery_bake":
            with open(task["image"], "rb") as image, open(task["out"], "wb") as out:
                bake(image, task["text"], out)
            return {"ok": True, "error": None}
        if op == "obl_unbake":
            with open(task["path"], "rb") as image:
                data = image.read()
            if data.startswith(b"\x89PNG"):
                text = baking.extract_png(data, keyword=baking.ITXT_KEYWORD_OB3)
            else:
                text = baking.extract_svg(data, element=baking.SVG_ELEMENT_OB3, text_fallback=True)
            return {"text": text, "error": None}
        if op == "obl_bake":
            with open(task["image"], "rb") as image:
                data = image.read()
            if data.startswith(b"\x89PNG"):
                baked = baking.bake_png(data, task["text"], keyword=baking.ITXT_KEYWORD_OB3)
            else:
                baked = baking.bake_svg(data, task["text"], element=baking.SVG_ELEMENT_OB3, namespace=baking.SVG_NS_OB3)
            with open(task["out"], "wb") as out:
                out.write(baked)
            return {"ok": True, "error": None}
    except Exception as error:  # report, do not crash: the test decides what is expected
        return {"text": None, "ok": False, "error": f"{type(error).__name__}: {error}"}
    return {"error": f"unknown op {op}"}


def main() -> None:
    request = json.load(sys.stdin)
    json.dump({"results": [run(task) for task in request["tasks"]]}, sys.stdout)


if __name__ == "__main__":
    main()
