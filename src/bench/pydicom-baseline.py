#!/usr/bin/python3
"""The pydicom baseline of `npm run bench`: for every file of a folder, read it, change ten header
elements, take the MD5 of Pixel Data, and write it to an output folder. Prints the elapsed seconds of the
loop and the number of files, as JSON. Run with Debian's python3-pydicom: /usr/bin/python3 this.py IN OUT
"""
import hashlib
import json
import os
import sys
import time

import pydicom

src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst, exist_ok=True)
names = sorted(n for n in os.listdir(src) if n.endswith(".dcm"))
start = time.perf_counter()
for i, name in enumerate(names):
    ds = pydicom.dcmread(os.path.join(src, name))
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
    hashlib.md5(ds.PixelData).hexdigest()
    ds.save_as(os.path.join(dst, name), write_like_original=True)
elapsed = time.perf_counter() - start
print(json.dumps({"files": len(names), "seconds": elapsed}))
