#!/usr/bin/python3
"""The pydicom baseline of `npm run bench`: for every file of a folder, read it, change ten header
elements, take the MD5 of Pixel Data, and write it to an output folder. Prints the elapsed seconds of the
loop and the number of files, as JSON. Run with Debian's python3-pydicom:

    /usr/bin/python3 this.py IN OUT                  # the *.dcm files directly in IN (issue 3's figure)
    /usr/bin/python3 this.py --input-dir IN OUT      # every file under IN, recursively, same layout in OUT

The recursive mode is the scale section's baseline (issue 6): one process, one thread, files in sorted
path order. A file pydicom cannot read or write is counted in "failed" (with the first few errors) and
the loop goes on, so one odd instance does not hide the figure.
"""
import hashlib
import json
import os
import sys
import time

import pydicom


def edit(ds, name):
    """The ten header edits of the benchmark, as in src/bench/run.ts changeTenElements."""
    ds.PatientName = "GAINES^STACY"
    ds.PatientID = "6505936988"
    ds.PatientBirthDate = "19520411"
    ds.AccessionNumber = "20150312E673674"
    ds.ReferringPhysicianName = "HICKS^PAUL"
    ds.InstitutionName = "Scott Community Hospital"
    ds.StationName = "HOST-7006"
    ds.StudyID = "528483"
    ds.StudyDescription = "CT CHEST W CONTRAST for Stacy Gaines"
    ds.SOPInstanceUID = pydicom.uid.generate_uid(entropy_srcs=[name])


def flat(src):
    """The *.dcm files directly in src, as relative names."""
    return sorted(n for n in os.listdir(src) if n.endswith(".dcm"))


def recursive(src):
    """Every file under src, as relative paths, sorted."""
    names = []
    for root, _dirs, files in os.walk(src):
        for f in files:
            names.append(os.path.relpath(os.path.join(root, f), src))
    return sorted(names)


args = sys.argv[1:]
walk = flat
if args and args[0] == "--input-dir":
    walk = recursive
    args = args[1:]
src, dst = args[0], args[1]
os.makedirs(dst, exist_ok=True)
names = walk(src)
made = set()
failed = 0
errors = []
start = time.perf_counter()
for name in names:
    try:
        ds = pydicom.dcmread(os.path.join(src, name))
        edit(ds, name)
        if "PixelData" in ds:
            hashlib.md5(ds.PixelData).hexdigest()
        out = os.path.join(dst, name)
        parent = os.path.dirname(out)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        ds.save_as(out, write_like_original=True)
    except Exception as e:  # noqa: BLE001 - counted and reported, never hidden
        failed += 1
        if len(errors) < 5:
            errors.append(f"{name}: {type(e).__name__}: {e}")
elapsed = time.perf_counter() - start
print(json.dumps({"files": len(names), "failed": failed, "errors": errors, "seconds": elapsed}))
