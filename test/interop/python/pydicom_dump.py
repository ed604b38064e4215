#!/usr/bin/python3
"""Dumps DICOM files as pydicom sees them, for test/interop/pydicom-roundtrip.test.ts.

Run with Debian's /usr/bin/python3 (python3-pydicom 2.3.1, python3-numpy). One process handles every
file: the request comes as JSON on stdin, the answer goes as JSON to stdout.

Request:  {"files": [{"id": "...", "path": "...", "pixels_to": "/tmp/x.raw" | null, "pixel_md5": bool}, ...]}
Answer:   {"pydicom": version, "numpy": version, "pillow": version | null, "files": {id: result}}

A result:
  status     "ok" | "error"
  force      True when dcmread needed force=True (no Part 10 header)
  error      the exception, when status is "error"
  truncated  elements whose value is shorter than the length in their header: pydicom reads such a
             value silently (it returns the bytes that are there), so this is how "pydicom cannot read
             the file sensibly" is detected. Each: [path, file offset of the value, declared, present].
  meta       element rows of the File Meta Information (group 0002)
  elements   element rows of the data set, depth first, in tag order
  pixels     pixel_array facts (shape, dtype, photometric after decoding) when pixels_to was given,
             with the samples written to pixels_to; or pixels_error
  pixel_data_md5  when pixel_md5 was asked: MD5 (hex) of the stored Pixel Data bytes as pydicom reads
             them (the MIDI-B pixels_retained value), None without Pixel Data

An element row, the normalisation the comparison relies on:
  [path, stored_vr, vr, length, sha1, value]
  path       (GGGG,EEEE) per level, items as [i]: "(0008,1140)[0](0008,1155)"
  stored_vr  the VR written in the file (None for implicit VR): a writer that changes it is caught
  vr         the VR pydicom settles on after conversion (dictionary VR for implicit and for UN)
  length     number of raw value bytes pydicom read (None when pydicom converted the element while
             reading, e.g. Specific Character Set: then only `value` is compared)
  sha1       SHA-1 of those raw value bytes exactly as read (in the file's byte order, after inflating
             a deflated data set; encapsulated Pixel Data including its item headers)
  value      repr() of the converted value (bytes and long reprs as their SHA-1), so that a change
             in how the value decodes (character set, VR) is caught even where the bytes are equal
A sequence row is [path, stored_vr, "SQ", item count, undefined length?, None]; its items follow.
"""
import hashlib
import json
import os
import sys
import warnings

warnings.simplefilter("ignore")

if os.environ.get("PSEUDOPHI_TEST_WITHOUT_PILLOW"):
    # Simulates a machine without python3-pil (.ci/run installs without recommends) to test that path.
    sys.modules["PIL"] = None

import numpy  # noqa: E402
import pydicom  # noqa: E402
from pydicom.dataelem import RawDataElement  # noqa: E402
from pydicom.errors import InvalidDicomError  # noqa: E402
from pydicom.pixel_data_handlers import numpy_handler, pillow_handler, rle_handler  # noqa: E402

# Pixels are compared with pydicom's own handlers only: python3-gdcm (which .ci/run installs for another
# suite) decodes more, even a deliberately corrupted JPEG 2000 codestream, and would change the comparison.
pydicom.config.pixel_data_handlers = [numpy_handler, rle_handler, pillow_handler]

try:
    import PIL  # noqa: E402

    PILLOW = PIL.__version__
except ImportError:  # python3-pil is optional: JPEG and JPEG 2000 are then not decoded by pydicom
    PILLOW = None

UNDEFINED = 0xFFFFFFFF


def sha1(data):
    return hashlib.sha1(bytes(data)).hexdigest()


def tag_text(tag):
    return "(%04X,%04X)" % (tag >> 16, tag & 0xFFFF)


def show(value):
    if isinstance(value, (bytes, bytearray)):
        return "bytes:" + sha1(value)
    text = repr(value)
    return text if len(text) <= 300 else "repr:" + sha1(text.encode("utf-8", "surrogateescape"))


def header_length(raw):
    """Bytes between the element start and its value: 8, or 12 for explicit VRs with a 32-bit length."""
    if raw.is_implicit_VR:
        return 8
    return 12 if raw.VR in ("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV") else 8


def dump(ds, prefix, rows, truncated):
    for tag in sorted(ds.keys()):
        raw = ds.get_item(tag)
        path = prefix + tag_text(tag)
        stored_vr = None
        raw_bytes = None
        if isinstance(raw, RawDataElement):
            stored_vr = None if raw.is_implicit_VR else raw.VR
            raw_bytes = raw.value
            if raw.length != UNDEFINED and raw_bytes is not None and len(raw_bytes) < raw.length:
                truncated.append([path, raw.value_tell, raw.length, len(raw_bytes), header_length(raw)])
        try:
            elem = ds[tag]
        except Exception as error:  # a value pydicom cannot convert: recorded, compared like a value
            rows.append([path, stored_vr, "?", None, None, "error:%s" % type(error).__name__])
            continue
        if elem.VR == "SQ":
            rows.append([path, stored_vr, "SQ", len(elem.value), bool(elem.is_undefined_length), None])
            for index, item in enumerate(elem.value):
                dump(item, "%s[%d]" % (path, index), rows, truncated)
            continue
        if raw_bytes is None and isinstance(elem.value, (bytes, bytearray)):
            raw_bytes = elem.value
        if raw_bytes is None:
            # Already converted while reading (pydicom reads a few elements itself, e.g. the character
            # set): no raw bytes left to hash, so the converted value alone is compared.
            rows.append([path, stored_vr, elem.VR, None, None, show(elem.value)])
        else:
            rows.append([path, stored_vr, elem.VR, len(raw_bytes), sha1(raw_bytes), show(elem.value)])


def pixels(ds, target):
    arr = ds.pixel_array
    if ds.BitsAllocated == 1:
        data = numpy.packbits(arr.ravel(), bitorder="little").tobytes()
    else:
        data = numpy.ascontiguousarray(arr.astype(arr.dtype.newbyteorder("<"))).tobytes()
    with open(target, "wb") as out:
        out.write(data)
    return {
        "shape": list(arr.shape),
        "dtype": arr.dtype.str,
        "photometric": str(ds.PhotometricInterpretation),
        "bytes": len(data),
    }


def dump_file(path, pixels_to, pixel_md5=False):
    result = {"status": "ok", "force": False, "truncated": [], "meta": [], "elements": []}
    try:
        try:
            ds = pydicom.dcmread(path)
        except InvalidDicomError:
            ds = pydicom.dcmread(path, force=True)
            result["force"] = True
        dump(ds.file_meta, "", result["meta"], result["truncated"])
        dump(ds, "", result["elements"], result["truncated"])
    except Exception as error:
        return {"status": "error", "error": "%s: %s" % (type(error).__name__, error), "truncated": []}
    if pixel_md5:
        data = ds.PixelData if "PixelData" in ds else None
        result["pixel_data_md5"] = None if data is None else hashlib.md5(bytes(data)).hexdigest()
    if pixels_to and "PixelData" in ds:
        try:
            result["pixels"] = pixels(ds, pixels_to)
        except Exception as error:
            result["pixels_error"] = "%s: %s" % (type(error).__name__, str(error)[:300])
    return result


def main():
    request = json.load(sys.stdin)
    answer = {
        "pydicom": pydicom.__version__,
        "numpy": numpy.__version__,
        "pillow": PILLOW,
        "files": {},
    }
    for entry in request["files"]:
        answer["files"][entry["id"]] = dump_file(
            entry["path"], entry.get("pixels_to"), bool(entry.get("pixel_md5"))
        )
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
