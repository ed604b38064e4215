#!/usr/bin/python3
"""Decodes burned outputs with pydicom and crops their text boxes the way the MIDI-B script does, for
test/interop/generate-burned.test.ts.

Run with Debian's /usr/bin/python3 (python3-pydicom 2.3, python3-numpy, python3-pil; python3-gdcm for
JPEG-LS and JPEG lossless). One process handles a list of files: the request comes as JSON on stdin, the
answer goes as JSON to stdout.

Request:
  {"files": [{"id": "...", "path": "...", "dcmtk_path": "..." | null,
              "crops": [{"pngs": ["/tmp/x.png"], "frame": 0, "box": [left, top, width, height],
                         "scale": 4.0, "pad": 12, "prepare": "corner" | "ground"}]}]}
  dcmtk_path  the same file decompressed by dcmtk (dcmdrle, dcmdjpeg, dcmdjpls) to a native transfer
              syntax: its samples, read by pydicom's numpy handler (no codec), must equal the output's
              as pydicom decodes them
  crops       boxes to cut from a frame and write as PNG for tesseract: one image ("corner"), or two
              ("ground": text lighter than its ground, text darker)

Answer: {"pydicom": version, "gdcm": version | null, "files": {id: result}}
A result:
  error               the exception when the file could not be read or decoded at all
  transfer_syntax, rows, columns, frames, samples, bits_allocated, pixel_representation, photometric,
  burned_in_annotation
  shape, dtype        of pixel_array
  decoders            {handler name: "ok" | "differs" | "error: ..."} for every pydicom handler that
                      supports the transfer syntax and is available: each must give the same array
  dcmtk               "equal" | "differs: ..." | "error: ..." | null (no dcmtk_path)
  crops               number of PNGs written

A crop is the MIDI-B script's region (answer-key reference, section 4): pixel_array[y0:y1, x0:x1] of the
frame; uint16 scaled by the region's maximum to uint8 ((region / max * 255).astype(uint8)), every other
dtype cast with astype(uint8) (signed data keeps its low byte); colour as stored. It is then prepared for
tesseract, grey (BT.601 luma), resized by `scale` with a smooth filter, padded by `pad` pixels:
  corner  as test/burn/ocr.test.ts prepares a line for tesseract.js (src/burn/midi-b.ts cropToPng with
          darkOnLight): dark text on a light ground, inverted when the top-left pixel is dark. For lines.
  ground  the depth by which each pixel departs from the ground (the crop's most common grey value),
          drawn black on white, once for pixels lighter than the ground and once for darker ones. For
          whole pixels_hidden boxes: tesseract binarizes globally (Otsu), so a box of three levels (black
          surroundings, grey backings, white text) loses its text unless the ground is taken out first.
"""
import json
import sys
import warnings

warnings.simplefilter("ignore")

import numpy  # noqa: E402
import pydicom  # noqa: E402
from PIL import Image  # noqa: E402

try:
    import gdcm  # noqa: E402

    GDCM = gdcm.Version.GetVersion()
except ImportError:  # without python3-gdcm pydicom cannot decode JPEG-LS or JPEG lossless
    GDCM = None


def handlers_for(ds):
    """pydicom's pixel data handlers that are available and support the data set's transfer syntax."""
    out = []
    for handler in pydicom.config.pixel_data_handlers:
        name = handler.__name__.split(".")[-1].replace("_handler", "")
        try:
            if handler.is_available() and handler.supports_transfer_syntax(ds.file_meta.TransferSyntaxUID):
                out.append(name)
        except Exception:  # a handler that cannot even say: not usable
            continue
    return out


def decode(ds, handler):
    """The pixel array through one named handler (a fresh copy of the data set's Pixel Data state)."""
    ds._pixel_array = None
    ds._pixel_id = {}
    ds.convert_pixel_data(handler_name=handler)
    return ds._pixel_array


def midi_b_region(frame, box):
    left, top, width, height = box
    region = frame[top : top + height, left : left + width]
    if region.dtype == numpy.uint16:
        peak = region.max() if region.size else 0
        if peak == 0:
            return numpy.zeros(region.shape, numpy.uint8)
        return (region / peak * 255).astype(numpy.uint8)
    return region.astype(numpy.uint8)


def grey_of(region):
    if region.ndim == 3:
        return region[..., 0] * 0.299 + region[..., 1] * 0.587 + region[..., 2] * 0.114
    return region.astype(numpy.float64)


def resized(grey, scale):
    image = Image.fromarray(numpy.clip(numpy.rint(grey), 0, 255).astype(numpy.uint8), "L")
    height, width = grey.shape
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return numpy.asarray(image.resize(size, Image.LANCZOS)).astype(numpy.float64)


def padded(values, pad, ground):
    ink = Image.fromarray(numpy.clip(numpy.rint(values), 0, 255).astype(numpy.uint8), "L")
    canvas = Image.new("L", (ink.width + 2 * pad, ink.height + 2 * pad), int(round(ground)))
    canvas.paste(ink, (pad, pad))
    return canvas


def corner_ready(region, scale, pad):
    """As test/burn/ocr.test.ts (cropToPng darkOnLight): grey, inverted when the top-left pixel is dark."""
    grey = grey_of(region)
    if grey[0, 0] < 128:
        grey = 255 - grey
    return [padded(resized(grey, scale), pad, grey[0, 0])]


def ground_ready(region, scale, pad):
    """The depth by which each pixel is lighter, and darker, than the ground: two images, black on white."""
    grey = grey_of(region)
    values, counts = numpy.unique(numpy.rint(grey), return_counts=True)
    ground = float(values[counts.argmax()])
    scaled = resized(grey, scale)
    out = []
    for depth in (scaled - ground) / max(1.0, 255 - ground), (ground - scaled) / max(1.0, ground):
        out.append(padded(255 - numpy.clip(depth, 0, 1) * 255, pad, 255))
    return out


def examine(item):
    result = {}
    ds = pydicom.dcmread(item["path"])
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    result.update(
        transfer_syntax=str(ds.file_meta.TransferSyntaxUID),
        rows=int(ds.Rows),
        columns=int(ds.Columns),
        frames=frames,
        samples=int(ds.SamplesPerPixel),
        bits_allocated=int(ds.BitsAllocated),
        pixel_representation=int(ds.PixelRepresentation),
        photometric=str(ds.PhotometricInterpretation),
        burned_in_annotation=str(ds.get("BurnedInAnnotation", "")),
    )
    arr = ds.pixel_array
    result["shape"] = list(arr.shape)
    result["dtype"] = str(arr.dtype)
    reference = arr.copy()

    decoders = {}
    for name in handlers_for(ds):
        try:
            other = decode(ds, name)
            same = other.shape == reference.shape and numpy.array_equal(other, reference)
            decoders[name] = "ok" if same else "differs"
        except Exception as error:  # noqa: BLE001 - reported, the test decides
            decoders[name] = "error: %s" % error
    result["decoders"] = decoders

    result["dcmtk"] = None
    if item.get("dcmtk_path"):
        try:
            native = pydicom.dcmread(item["dcmtk_path"])
            if native.file_meta.TransferSyntaxUID.is_compressed:
                raise ValueError("dcmtk left %s" % native.file_meta.TransferSyntaxUID)
            theirs = decode(native, "numpy")
            if theirs.shape != reference.shape:
                result["dcmtk"] = "differs: shape %s" % (list(theirs.shape),)
            elif not numpy.array_equal(theirs, reference):
                count = int(numpy.count_nonzero(theirs != reference))
                result["dcmtk"] = "differs: %d samples" % count
            else:
                result["dcmtk"] = "equal"
        except Exception as error:  # noqa: BLE001
            result["dcmtk"] = "error: %s" % error

    written = 0
    for crop in item.get("crops", []):
        frame = reference[crop["frame"]] if frames > 1 else reference
        region = midi_b_region(frame, crop["box"])
        if region.size == 0:
            raise ValueError("empty crop %s" % (crop["box"],))
        ready = ground_ready if crop["prepare"] == "ground" else corner_ready
        for image, png in zip(ready(region, crop["scale"], crop["pad"]), crop["pngs"]):
            image.save(png)
        written += 1
    result["crops"] = written
    return result


def main():
    request = json.load(sys.stdin)
    files = {}
    for item in request["files"]:
        try:
            files[item["id"]] = examine(item)
        except Exception as error:  # noqa: BLE001
            files[item["id"]] = {"error": "%s: %s" % (type(error).__name__, error)}
    json.dump({"pydicom": pydicom.__version__, "gdcm": GDCM, "files": files}, sys.stdout)


if __name__ == "__main__":
    main()
