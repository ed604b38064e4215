#!/usr/bin/python3
"""Regenerates src/dicom/data/dictionary.json from pydicom's data dictionaries.

The DICOM data dictionary (PS3.6) and the private-tag names that the MIDI-B validation script prints come
from pydicom (MIT licence), the library that script runs on. Run with Debian's python3-pydicom installed:
    /usr/bin/python3 scripts/build-dictionary.py
The output is committed, so a normal install needs no Python.
"""
import json
import pathlib

import pydicom
from pydicom._dicom_dict import DicomDictionary, RepeatersDictionary
from pydicom._private_dict import private_dictionaries


def hex8(tag: int) -> str:
    return f"{tag:08X}"


standard = {
    hex8(tag): [vr, vm, name, keyword, 1 if retired else 0]
    for tag, (vr, vm, name, retired, keyword) in sorted(DicomDictionary.items())
}
repeaters = {
    mask: [vr, vm, name, keyword, 1 if retired else 0]
    for mask, (vr, vm, name, retired, keyword) in sorted(RepeatersDictionary.items())
}
private = {
    creator: {mask.upper(): [vr, vm, name] for mask, (vr, vm, name, _retired) in sorted(entries.items())}
    for creator, entries in sorted(private_dictionaries.items())
}
out = pathlib.Path(__file__).resolve().parent.parent / "src" / "dicom" / "data" / "dictionary.json"
out.write_text(
    json.dumps(
        {"source": f"pydicom {pydicom.__version__}", "standard": standard, "repeaters": repeaters, "private": private},
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    )
    + "\n",
    encoding="utf-8",
)
print(f"{len(standard)} standard, {len(repeaters)} repeater, {sum(len(v) for v in private.values())} private entries -> {out}")
