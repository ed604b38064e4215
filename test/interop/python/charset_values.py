#!/usr/bin/python3
"""Decoded text values as pydicom sees them, for test/interop/charset.test.ts.

Run with Debian's /usr/bin/python3 (python3-pydicom). Request (JSON on stdin): {"files": [path, ...]}.
Answer (JSON on stdout): {"pydicom": version, "files": {path: {"status": "ok" | "error", "error": str,
"elements": [[element path, VR, [value, ...]], ...]}}}.

Only the text VRs that Specific Character Set applies to are listed (SH, LO, ST, LT, UT, UC, PN; PS3.5
6.1.2.3), depth first, items as [i]: "(0040,0275)[0](0010,0010)". Each value is str() of what pydicom
decoded; a multi-valued element gives one string per value, an empty one an empty list. For PN that is
the decoded original string; pydicom drops empty trailing component groups ("A^B=" gives "A^B").
"""
import json
import sys

import pydicom
from pydicom.multival import MultiValue

TEXT_VRS = {"SH", "LO", "ST", "LT", "UT", "UC", "PN"}


def tag_text(tag):
    return "(%04X,%04X)" % (tag.group, tag.element)


def values_of(value):
    if value is None or value == "":
        return []
    if isinstance(value, (MultiValue, list)):
        return [str(v) for v in value]
    return [str(value)]


def walk(ds, prefix, rows):
    for elem in ds:
        path = prefix + tag_text(elem.tag)
        if elem.VR == "SQ":
            for i, item in enumerate(elem.value):
                walk(item, "%s[%d]" % (path, i), rows)
        elif elem.VR in TEXT_VRS:
            rows.append([path, elem.VR, values_of(elem.value)])


def main():
    request = json.load(sys.stdin)
    answer = {"pydicom": pydicom.__version__, "files": {}}
    for path in request["files"]:
        try:
            ds = pydicom.dcmread(path)
            rows = []
            walk(ds, "", rows)
            answer["files"][path] = {"status": "ok", "elements": rows}
        except Exception as error:  # reported, not raised: the test names the file
            answer["files"][path] = {"status": "error", "error": repr(error)}
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
