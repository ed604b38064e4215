#!/usr/bin/python3
"""Indexes DICOM files the way the MIDI-B validation script does, for test/interop/inspect-midi-b.test.ts.

Reimplemented from /work/shared/reference/midi-b-answer-key.md section 3 (the script itself is not
vendored): walk the pydicom data set depth first, element before its items; write each element's
`tag_ds` path and `str(elem.value).strip()`.

Path rules:
  standard element        <(gggg,eeee)>               lower-case hex
  private with a creator  <(gggg,"CREATOR",ee)>       creator upper case, last two hex digits
  creator and orphans     <(gggg,eeee)>               the plain form
  inside a sequence       parent + [<iiii>] + child   item index from 0, 4 digits
The creator is pydicom's `elem.private_creator`, which pydicom sets when the element is read through the
data set and its creator element (gggg,00xx) exists. File meta (group 0002) is not indexed.

Values: `str(elem.value).strip()`; "REMOVED" for the elements named Pixel Data, Overlay Data and File Meta
Information Version; "" for None. (The script wraps values as <...>; the wrapping is left out on both sides.)

Request (stdin):  {"files": [{"id": "...", "path": "..."}]}
Answer (stdout):  {"pydicom": version, "files": {id: {"rows": [[tag_ds, VR, name, value], ...]} | {"error": "..."}}}
"""
import json
import sys
import warnings

warnings.simplefilter("ignore")

import pydicom  # noqa: E402
from pydicom.errors import InvalidDicomError  # noqa: E402

REMOVED = ("Pixel Data", "Overlay Data", "File Meta Information Version")


def ref(elem):
    tag = elem.tag
    creator = getattr(elem, "private_creator", None)
    if tag.is_private and creator is not None and tag.element >= 0x1000:
        return '(%04x,"%s",%02x)' % (tag.group, str(creator).upper(), tag.element & 0xFF)
    return "(%04x,%04x)" % (tag.group, tag.element)


def value_of(elem):
    if elem.name in REMOVED:
        return "REMOVED"
    if elem.value is None:
        return ""
    return str(elem.value).strip()


def walk(ds, prefix, rows):
    for elem in ds:  # Dataset.__iter__: tag order, sets private_creator
        if elem.tag.group == 0x0002:
            continue
        path = "%s<%s>" % (prefix, ref(elem))
        rows.append([path, elem.VR, elem.name, value_of(elem)])
        if elem.VR == "SQ":
            for index, item in enumerate(elem.value):
                walk(item, "%s[<%04d>]" % (path, index), rows)


def index_dataset(ds):
    """The rows of a data set read by pydicom: [[tag_ds, VR, name, value], ...] (also used by midi_b_score.py)."""
    rows = []
    walk(ds, "", rows)
    return rows


def index_file(path):
    try:
        try:
            ds = pydicom.dcmread(path)
        except InvalidDicomError:
            ds = pydicom.dcmread(path, force=True)
        return {"rows": index_dataset(ds)}
    except Exception as error:
        return {"error": "%s: %s" % (type(error).__name__, error)}


def main():
    request = json.load(sys.stdin)
    answer = {"pydicom": pydicom.__version__, "files": {}}
    for entry in request["files"]:
        answer["files"][entry["id"]] = index_file(entry["path"])
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
