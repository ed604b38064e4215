/**
 * The I/O layer against independent parsers, on every top-level .dcm of Debian's python3-pydicom test set.
 *
 * For each file our reader accepts, four outputs are written: unchanged; with one top-level header element
 * edited (Patient ID); with one element set inside the first item of the first sequence; with the decoded
 * pixels written back uncompressed (setPixelFrames). One pydicom process (test/interop/python/
 * pydicom_dump.py, which documents its row format) dumps every element of every input and output; dcmtk's
 * dcmdump prints inputs and the first two outputs. Files our reader rejects must be exactly the ones pydicom
 * and dcmtk cannot read sensibly either.
 *
 * Normalisation, and why:
 * - pydicom rows carry path, stored VR, VR, the SHA-1 of the raw value bytes and the converted value; data
 *   set rows are compared whole. The File Meta Information is compared from the VR on, without its group
 *   length: the writer always recomputes (0002,0000), writes the group in Explicit VR Little Endian
 *   (PS3.10 7.1) and adds the required elements a source lacks ((0002,0001/0002/0003/0010/0012)).
 * - dcmdump output is compared from the "# Dicom-Data-Set" line on: the meta header section differs for the
 *   same reason (headerless inputs gain a whole meta group). Everything in the data set section is compared
 *   as printed with +L (long values in full), group length lines and the "Used TransferSyntax" line included.
 * - Edits: only the edited element and the group lengths covering it may differ (a group length is
 *   recomputed exactly when its group was edited).
 *
 * Pixels: decodePixels of every readable file is compared with pydicom's pixel_array where pydicom can
 * decode, and, for JPEG, JPEG-LS and RLE, with dcmtk's decompressors (dcmdjpeg, dcmdjpls, dcmdrle).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodePixels,
  initializeCodecs,
  lookupTransferSyntax,
  parseDicom,
  setPixelFrames,
  setStrings,
  Tags,
  writeDicom,
  type DecodedPixels,
  type DicomFile,
  TS,
} from '../../src/dicom/index.js';
import { DicomParseError, PixelDataError } from '../../src/errors/index.js';
import { mapLimit, pydicomTestFiles, run, runPythonScript, TEST_FILES, type RunResult } from './support.js';

/**
 * The files pydicom 2.3.1 and dcmtk cannot read sensibly either, and why. pydicom reads each of them
 * without complaint but silently returns a value shorter than its header says (the dump script lists
 * these as `truncated`); dcmdump stops with an error on each.
 */
const EXPECTED_REJECTED: Record<string, string> = {
  'MR_truncated.dcm': 'cut off inside Pixel Data: 8130 of 8192 bytes',
  'no_meta.dcm':
    'no Part 10 header and one stray byte before the data set: read from byte 0, the first "element" (0820,0500) claims 173 MB',
  'rtplan_truncated.dcm': 'cut off inside Beam Sequence (300A,00B0): 711 of 976 bytes',
};

/**
 * Readable files dcmtk cannot read, so the dcmdump comparisons skip them (pydicom still checks them).
 * SC_rgb_jpeg.dcm holds an Implicit VR data set under an explicit (JPEG Baseline) transfer syntax UID:
 * pydicom and our reader detect implicit VR from the bytes; dcmdump follows the UID and fails, also
 * with -td (detect) and -ti (force implicit).
 */
const DCMDUMP_UNREADABLE = new Set(['SC_rgb_jpeg.dcm']);

/** A row of pydicom_dump.py: [path, stored VR, VR, length, sha1, value] (sequences: count, undefined length). */
type Row = [
  path: string,
  storedVr: string | null,
  vr: string,
  length: number | null,
  sha1: string | boolean | null,
  value: string | null,
];

interface PydicomResult {
  status: 'ok' | 'error';
  error?: string;
  force?: boolean;
  truncated: Array<
    [path: string, valueOffset: number, declared: number, present: number, headerLength: number]
  >;
  meta?: Row[];
  elements?: Row[];
  pixels?: { shape: number[]; dtype: string; photometric: string; bytes: number };
  pixels_error?: string;
}

interface PydicomAnswer {
  pydicom: string;
  numpy: string;
  pillow: string | null;
  files: Record<string, PydicomResult>;
}

/** Outputs per readable file; `pixels`: the decoded frames written back uncompressed with setPixelFrames. */
type Variant = 'unchanged' | 'edit-top' | 'edit-nested' | 'pixels';

interface Case {
  name: string;
  path: string;
  bytes: Uint8Array;
  file?: DicomFile;
  error?: unknown;
  outputs: Partial<Record<Variant, string>>;
  /** The pydicom path of the element set by the nested edit. */
  nestedPath?: string;
  /** The top-level sequence that the nested edit changed. */
  nestedSequence?: number;
  /** decodePixels of the input, when it decodes. */
  decoded?: DecodedPixels;
}

const EDITED_ID = 'PSEUDOPHI-EDITED';
const NESTED_TEXT = 'PSEUDOPHI NESTED EDIT';
const PATIENT_ID = 0x00100020;
const PATIENT_COMMENTS = 0x00104000;

const tagText = (tag: number): string =>
  `(${(tag >>> 16).toString(16).padStart(4, '0')},${(tag & 0xffff).toString(16).padStart(4, '0')})`.toUpperCase();

let work: string;
const cases: Case[] = [];
let pydicom: PydicomAnswer;
const dcmdumps = new Map<string, RunResult>();

const caseByName = (name: string): Case => cases.find((c) => c.name === name)!;
const readable = (): Case[] => cases.filter((c) => c.file);
const pyKey = (name: string, variant: Variant | 'input'): string => `${variant}/${name}`;

/** Reads a fresh copy (edits must not leak between outputs). */
const freshRead = (c: Case): DicomFile => parseDicom(c.bytes, { path: c.path });

async function dcmdump(path: string): Promise<RunResult> {
  return run('dcmdump', ['+L', path]);
}

beforeAll(async () => {
  await initializeCodecs();
  work = mkdtempSync(join(tmpdir(), 'pseudophi-interop-'));
  for (const name of pydicomTestFiles()) {
    const path = join(TEST_FILES, name);
    const bytes = new Uint8Array(readFileSync(path));
    const c: Case = { name, path, bytes, outputs: {} };
    try {
      c.file = freshRead(c);
    } catch (error) {
      c.error = error;
    }
    cases.push(c);
    if (!c.file) continue;

    const unchanged = join(work, `unchanged-${name}`);
    writeFileSync(unchanged, writeDicom(freshRead(c)));
    c.outputs.unchanged = unchanged;

    const top = freshRead(c);
    setStrings(top.dataset, PATIENT_ID, EDITED_ID);
    const editTop = join(work, `edit-top-${name}`);
    writeFileSync(editTop, writeDicom(top));
    c.outputs['edit-top'] = editTop;

    const nested = freshRead(c);
    const sequence = nested.dataset.elements.find((e) => (e.items?.length ?? 0) > 0);
    if (sequence) {
      setStrings(sequence.items![0]!, PATIENT_COMMENTS, NESTED_TEXT);
      const editNested = join(work, `edit-nested-${name}`);
      writeFileSync(editNested, writeDicom(nested));
      c.outputs['edit-nested'] = editNested;
      c.nestedPath = `${tagText(sequence.tag)}[0]${tagText(PATIENT_COMMENTS)}`;
      c.nestedSequence = sequence.tag;
    }

    if (c.file.dataset.has(Tags.PixelData)) {
      try {
        c.decoded = decodePixels(freshRead(c));
      } catch {
        // Files we cannot decode are checked in the pixel tests below.
      }
    }
    if (c.decoded) {
      const rewritten = freshRead(c);
      setPixelFrames(rewritten, c.decoded.frames, c.decoded.description);
      const pixels = join(work, `pixels-${c.name}`);
      writeFileSync(pixels, writeDicom(rewritten));
      c.outputs.pixels = pixels;
    }
  }

  // One pydicom process for every input and output.
  const files: Array<{ id: string; path: string; pixels_to?: string }> = [];
  for (const c of cases) {
    files.push({
      id: pyKey(c.name, 'input'),
      path: c.path,
      pixels_to: join(work, `pydicom-pixels-${c.name}.raw`),
    });
    for (const [variant, out] of Object.entries(c.outputs)) {
      const pixelsTo =
        variant === 'pixels' ? join(work, `pydicom-pixels-rewritten-${c.name}.raw`) : undefined;
      files.push({
        id: pyKey(c.name, variant as Variant),
        path: out,
        ...(pixelsTo ? { pixels_to: pixelsTo } : {}),
      });
    }
  }
  pydicom = await runPythonScript<PydicomAnswer>('pydicom_dump.py', { files });

  // dcmdump of inputs and of the unchanged and top-edited outputs.
  const jobs: Array<[key: string, path: string]> = [];
  for (const c of cases) {
    jobs.push([pyKey(c.name, 'input'), c.path]);
    if (c.outputs.unchanged) jobs.push([pyKey(c.name, 'unchanged'), c.outputs.unchanged]);
    if (c.outputs['edit-top']) jobs.push([pyKey(c.name, 'edit-top'), c.outputs['edit-top']]);
  }
  const results = await mapLimit(jobs, 4, async ([key, path]) => [key, await dcmdump(path)] as const);
  for (const [key, result] of results) dcmdumps.set(key, result);

  // dcmtk's decompressors on every readable JPEG, JPEG-LS and RLE file.
  const compressed = readable().filter((c) => DCMTK_DECOMPRESSOR[encodingOf(c)] !== undefined);
  const decompressed = await mapLimit(compressed, 4, async (c) => {
    const out = join(work, `dcmtk-${c.name}`);
    return [c.name, { ...(await run(DCMTK_DECOMPRESSOR[encodingOf(c)]!, [c.path, out])), out }] as const;
  });
  for (const [name, result] of decompressed) dcmtkDecompressed.set(name, result);
});

const encodingOf = (c: Case): string => lookupTransferSyntax(c.file!.transferSyntaxUid)!.pixelEncoding;

/** dcmtk's decompressor per pixel encoding (dcmtk has no JPEG 2000 decoder). */
const DCMTK_DECOMPRESSOR: Record<string, string | undefined> = {
  jpeg: 'dcmdjpeg',
  'jpeg-ls': 'dcmdjpls',
  rle: 'dcmdrle',
};
const dcmtkDecompressed = new Map<string, RunResult & { out: string }>();

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const rowsByPath = (rows: readonly Row[]): Map<string, Row> => new Map(rows.map((r) => [r[0], r]));

/** Paths whose rows differ between two dumps (changed, added or removed). */
function differingPaths(before: readonly Row[], after: readonly Row[]): string[] {
  const a = rowsByPath(before);
  const b = rowsByPath(after);
  const paths = new Set([...a.keys(), ...b.keys()]);
  return [...paths].filter((p) => JSON.stringify(a.get(p)) !== JSON.stringify(b.get(p))).sort();
}

const groupLengthPathOf = (path: string): string =>
  path.replace(/\(([0-9A-F]{4}),[0-9A-F]{4}\)$/, '($1,0000)');

/** The data set part of a dcmdump printout: the meta header section and blank lines dropped. */
function dcmdumpDataset(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf('# Dicom-Data-Set');
  return lines.slice(start + 1).filter((line) => line.trim() !== '');
}

describe('pydicom test files: reading', () => {
  it('finds the pydicom test set', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(pydicom.pydicom).toMatch(/^2\./);
  });

  it('rejects exactly the files pydicom and dcmtk cannot read sensibly, each with a DicomParseError naming file and offset', () => {
    const rejected = cases.filter((c) => !c.file);
    expect(rejected.map((c) => c.name)).toEqual(Object.keys(EXPECTED_REJECTED).sort());
    for (const c of rejected) {
      expect(c.error).toBeInstanceOf(DicomParseError);
      const error = c.error as DicomParseError;
      expect(error.file).toBe(c.path);
      expect(error.message).toContain(c.path);
      expect(error.message).toMatch(/ at byte offset \d+/);
      // pydicom saw a value shorter than its header says; our offset is where that element starts.
      const py = pydicom.files[pyKey(c.name, 'input')]!;
      expect(py.truncated.length, `${c.name}: pydicom should see a truncated value`).toBeGreaterThan(0);
      const [, valueOffset, , , headerLength] = py.truncated[0]!;
      expect(error.offset, c.name).toBe(valueOffset - headerLength);
      // dcmdump stops with an error too.
      const dump = dcmdumps.get(pyKey(c.name, 'input'))!;
      expect(dump.code, c.name).not.toBe(0);
      expect(dump.stderr).toMatch(/^E: /m);
    }
  });

  it('reads every other file, which pydicom reads without a truncated value and dcmdump (but one) without an error', () => {
    for (const c of readable()) {
      const py = pydicom.files[pyKey(c.name, 'input')]!;
      expect(py.status, c.name).toBe('ok');
      expect(py.truncated, c.name).toEqual([]);
      expect(dcmdumps.get(pyKey(c.name, 'input'))!.code, c.name).toBe(DCMDUMP_UNREADABLE.has(c.name) ? 1 : 0);
    }
  });
});

describe('pydicom test files: write fidelity as pydicom sees it', () => {
  it('unchanged: every data set element is identical (path, stored VR, VR, raw bytes, value)', () => {
    let identicalFiles = 0;
    for (const c of readable()) {
      const input = pydicom.files[pyKey(c.name, 'input')]!;
      const output = pydicom.files[pyKey(c.name, 'unchanged')]!;
      expect(output.status, c.name).toBe('ok');
      expect(output.force, `${c.name}: output must have a Part 10 header`).toBe(false);
      expect(output.elements, c.name).toEqual(input.elements);
      identicalFiles++;
    }
    expect(identicalFiles).toBe(cases.length - Object.keys(EXPECTED_REJECTED).length);
  });

  it('unchanged: the File Meta Information keeps every input element and only adds the required ones', () => {
    const mayAdd = new Set([
      '(0002,0000)',
      '(0002,0001)',
      '(0002,0002)',
      '(0002,0003)',
      '(0002,0010)',
      '(0002,0012)',
    ]);
    for (const c of readable()) {
      const input = rowsByPath(pydicom.files[pyKey(c.name, 'input')]!.meta!);
      const output = rowsByPath(pydicom.files[pyKey(c.name, 'unchanged')]!.meta!);
      for (const [path, row] of input) {
        if (path === '(0002,0000)') continue; // recomputed on every write: it must cover what is written
        // From the VR on: the stored VR is not compared because the meta group is always written in
        // Explicit VR Little Endian (PS3.10 7.1) and pydicom converts some meta elements while reading,
        // so their stored VR is not known (no_meta_group_length.dcm shows (0002,0001) as such).
        expect(output.get(path)?.slice(2), `${c.name} ${path}`).toEqual(row.slice(2));
      }
      for (const path of output.keys())
        if (!input.has(path)) expect(mayAdd.has(path), `${c.name} adds ${path}`).toBe(true);
      expect(output.get('(0002,0010)')![5], c.name).toBe(`'${c.file!.transferSyntaxUid}'`);
    }
  });

  it('unchanged: files that had a complete Part 10 header come back byte for byte (deflated ones re-compress)', () => {
    const different = readable()
      .filter((c) => !Buffer.from(readFileSync(c.outputs.unchanged!)).equals(Buffer.from(c.bytes)))
      .map((c) => c.name);
    // Headerless, meta-incomplete and deflated inputs: the meta group is completed, deflate output differs.
    expect(different).toEqual([
      'ExplVR_BigEndNoMeta.dcm',
      'ExplVR_LitEndNoMeta.dcm',
      'image_dfl.dcm',
      'meta_missing_tsyntax.dcm',
      'no_meta_group_length.dcm',
      'rtstruct.dcm',
    ]);
  });

  it('UN_sequence.dcm and nested_priv_SQ.dcm, which plain dcmjs shrinks, come back byte for byte', () => {
    for (const name of ['UN_sequence.dcm', 'nested_priv_SQ.dcm']) {
      const c = caseByName(name);
      expect(Buffer.from(readFileSync(c.outputs.unchanged!)).equals(Buffer.from(c.bytes)), name).toBe(true);
      expect(pydicom.files[pyKey(name, 'unchanged')]!.elements!.length, name).toBeGreaterThanOrEqual(5);
    }
  });

  it('edit one top-level element: only that element (and its group length) differs', () => {
    for (const c of readable()) {
      const input = pydicom.files[pyKey(c.name, 'input')]!;
      const output = pydicom.files[pyKey(c.name, 'edit-top')]!;
      expect(output.status, c.name).toBe('ok');
      const differing = differingPaths(input.elements!, output.elements!);
      expect(differing, c.name).toContain('(0010,0020)');
      expect(
        differing.filter((p) => p !== '(0010,0020)' && p !== '(0010,0000)'),
        c.name,
      ).toEqual([]);
      const row = rowsByPath(output.elements!).get('(0010,0020)')!;
      expect(row.slice(2), c.name).toEqual(['LO', EDITED_ID.length, row[4], `'${EDITED_ID}'`]);
    }
  });

  it('edit one element inside the first item of the first sequence: only that element differs', () => {
    let edited = 0;
    for (const c of readable()) {
      if (!c.outputs['edit-nested']) continue;
      edited++;
      const input = pydicom.files[pyKey(c.name, 'input')]!;
      const output = pydicom.files[pyKey(c.name, 'edit-nested')]!;
      expect(output.status, c.name).toBe('ok');
      const allowed = new Set([
        c.nestedPath!,
        groupLengthPathOf(c.nestedPath!),
        groupLengthPathOf(tagText(c.nestedSequence!)),
      ]);
      // A sequence stored as UN with Implicit VR items (PS3.5 6.2.2; UN_sequence.dcm, rtdose_rle.dcm) is
      // re-encoded as SQ in the data set's explicit VR once something inside it changes: its own stored VR
      // goes from UN to SQ and the stored VR of its elements appears where pydicom saw none (implicit).
      // VR as pydicom settles it, bytes and values must still be equal.
      const sequencePath = tagText(c.nestedSequence!);
      const outputRows = output.elements!.map((row): Row => {
        const before = rowsByPath(input.elements!).get(row[0]);
        const inside = row[0].startsWith(`${sequencePath}[`) && before?.[1] === null && row[1] === row[2];
        const itself = row[0] === sequencePath && before?.[1] === 'UN' && row[1] === 'SQ';
        return inside || itself ? [row[0], before![1], row[2], row[3], row[4], row[5]] : row;
      });
      const differing = differingPaths(input.elements!, outputRows);
      expect(differing, c.name).toContain(c.nestedPath);
      expect(
        differing.filter((p) => !allowed.has(p)),
        c.name,
      ).toEqual([]);
      expect(rowsByPath(output.elements!).get(c.nestedPath!)![5], c.name).toBe(`'${NESTED_TEXT}'`);
    }
    expect(edited).toBeGreaterThanOrEqual(20);
  });
});

describe('pydicom test files: write fidelity as dcmdump sees it', () => {
  it('unchanged: the data set printout is identical', () => {
    for (const c of readable().filter((r) => !DCMDUMP_UNREADABLE.has(r.name))) {
      const input = dcmdumpDataset(dcmdumps.get(pyKey(c.name, 'input'))!.stdout);
      const output = dcmdumpDataset(dcmdumps.get(pyKey(c.name, 'unchanged'))!.stdout);
      expect(input.length, c.name).toBeGreaterThan(2);
      expect(output, c.name).toEqual(input);
    }
  });

  it('edit one top-level element: the printout differs in that element and its group length only', () => {
    const edited = (line: string): boolean =>
      line.startsWith('(0010,0020) ') || line.startsWith('(0010,0000) ');
    for (const c of readable().filter((r) => !DCMDUMP_UNREADABLE.has(r.name))) {
      const input = dcmdumpDataset(dcmdumps.get(pyKey(c.name, 'input'))!.stdout);
      const output = dcmdumpDataset(dcmdumps.get(pyKey(c.name, 'edit-top'))!.stdout);
      expect(
        output.filter((l) => !edited(l)),
        c.name,
      ).toEqual(input.filter((l) => !edited(l)));
      expect(
        output.filter((l) => l.startsWith('(0010,0020) ')),
        c.name,
      ).toEqual([expect.stringMatching(/^\(0010,0020\) LO \[PSEUDOPHI-EDITED\] +# +16, 1 PatientID$/)]);
    }
  });
});

/** Frames as one buffer of interleaved samples (planar frames are interleaved, sample size kept). */
function interleaved(pixels: DecodedPixels): Buffer {
  const d = pixels.description;
  const frames = pixels.frames.map((frame) => {
    if (d.samplesPerPixel === 1 || d.planarConfiguration !== 1) return frame;
    const unit = d.bitsAllocated / 8;
    const n = d.rows * d.columns;
    const out = new Uint8Array(frame.length);
    for (let i = 0; i < n; i++) {
      for (let s = 0; s < d.samplesPerPixel; s++) {
        out.set(
          frame.subarray((s * n + i) * unit, (s * n + i + 1) * unit),
          (i * d.samplesPerPixel + s) * unit,
        );
      }
    }
    return out;
  });
  return Buffer.concat(frames);
}

/**
 * Samples with the bits above Bits Stored cleared. Those bits are not pixel data (PS3.5 8.1.1) and decoders
 * fill them differently: for J2K_pixelrep_mismatch.dcm (13 bits stored, signed, unsigned codestream)
 * pydicom's J2K correction leaves them clear where OpenJPEG via dcmjs-codecs sign-extends.
 */
function maskToBitsStored(bytes: Buffer, pixels: DecodedPixels): Buffer {
  const { bitsAllocated, bitsStored } = pixels.description;
  if (bitsAllocated <= 8 || bitsStored >= bitsAllocated) return bytes;
  const unit = bitsAllocated / 8;
  const out = Buffer.from(bytes);
  for (let i = 0; i + unit <= out.length; i += unit) {
    let remaining = bitsStored;
    for (let b = 0; b < unit; b++, remaining -= 8) {
      out[i + b] = remaining >= 8 ? out[i + b]! : remaining > 0 ? out[i + b]! & ((1 << remaining) - 1) : 0;
    }
  }
  return out;
}

/** How many samples differ, for messages. */
function sampleDifferences(a: Buffer, b: Buffer): string {
  if (a.length !== b.length) return `${a.length} bytes vs ${b.length}`;
  let bytes = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) bytes++;
  return `${bytes} of ${a.length} bytes differ`;
}

/**
 * Files whose pixels pydicom 2.3.1 cannot decode here, and why; they are checked against dcmtk where dcmtk
 * has a decoder. Without python3-pil, pydicom decodes no JPEG or JPEG 2000 at all, and those join this list.
 */
const PYDICOM_CANNOT_DECODE: Record<string, string> = {
  'GDCMJ2K_TextGBR.dcm': 'Pillow: "broken data stream" (a JP2 header inside the codestream)',
  'JPEG-lossy.dcm': 'Pillow decodes JPEG Extended only with Bits Allocated 8 (this is 12-bit)',
  'JPGExtended.dcm': 'Pillow decodes JPEG Extended only with Bits Allocated 8 (this is 12-bit)',
  'MR_small_jpeg_ls_lossless.dcm': 'no JPEG-LS handler installed (CharPyLS, GDCM, pylibjpeg)',
  'SC_rgb_jpeg_gdcm.dcm': 'no JPEG Lossless handler installed (GDCM, pylibjpeg)',
};

/** Files neither pydicom nor we decode: each is a PixelDataError here, not a crash. */
const NOBODY_DECODES: Record<string, string> = {
  'JPEG2000-embedded-sequence-delimiter.dcm':
    'codestream deliberately corrupted (4 bytes replaced by a delimiter)',
  'badVR.dcm': 'Number of Frames is "1A", not an integer',
  'meta_missing_tsyntax.dcm': 'no Rows, Columns or Bits Allocated',
  'nested_priv_SQ.dcm': 'no Rows, Columns or Bits Allocated',
};

describe('pydicom test files: pixels', () => {
  it("decodePixels equals pydicom's pixel_array wherever pydicom decodes (native, RLE, JPEG 2000, JPEG via Pillow)", () => {
    const compared: string[] = [];
    const ybrFromPydicom: string[] = [];
    const onlyOurs: string[] = [];
    const neither: string[] = [];
    for (const c of readable()) {
      if (!c.file!.dataset.has(Tags.PixelData)) continue;
      const py = pydicom.files[pyKey(c.name, 'input')]!;
      let ours: DecodedPixels | undefined;
      try {
        ours = decodePixels(freshRead(c));
      } catch (error) {
        expect(error, c.name).toBeInstanceOf(PixelDataError);
        expect((error as PixelDataError).message, c.name).toContain(c.path);
      }
      if (!ours) {
        expect(py.pixels, `${c.name}: pydicom decodes what we cannot`).toBeUndefined();
        neither.push(c.name);
        continue;
      }
      if (!py.pixels) {
        onlyOurs.push(c.name);
        continue;
      }
      if (py.pixels.photometric.startsWith('YBR') && ours.description.photometricInterpretation === 'RGB') {
        // pydicom 2.3's Pillow handler keeps YCbCr samples of a YBR JPEG (Image.draft('YCbCr')); we convert
        // to RGB as the codec does. These are compared with dcmtk's dcmdjpeg, which converts too.
        ybrFromPydicom.push(c.name);
        continue;
      }
      const theirs = maskToBitsStored(readFileSync(join(work, `pydicom-pixels-${c.name}.raw`)), ours);
      const mine = maskToBitsStored(interleaved(ours), ours);
      expect(mine.equals(theirs), `${c.name}: ${sampleDifferences(mine, theirs)}`).toBe(true);
      compared.push(c.name);
    }
    const withoutPillow = (names: string[]): string[] =>
      names.filter(
        (n) => pydicom.pillow !== null || !['jpeg', 'jpeg2000'].includes(encodingOf(caseByName(n))),
      );
    expect(neither).toEqual(Object.keys(NOBODY_DECODES));
    expect(withoutPillow(onlyOurs)).toEqual(withoutPillow(Object.keys(PYDICOM_CANNOT_DECODE)));
    if (pydicom.pillow !== null) {
      expect(ybrFromPydicom).toEqual([
        'SC_rgb_dcmtk_+eb+cy+n1.dcm',
        'SC_rgb_dcmtk_+eb+cy+n2.dcm',
        'SC_rgb_dcmtk_+eb+cy+np.dcm',
        'SC_rgb_dcmtk_+eb+cy+s2.dcm',
        'SC_rgb_dcmtk_+eb+cy+s4.dcm',
        'SC_rgb_jpeg_dcmtk.dcm',
        'SC_rgb_small_odd_jpeg.dcm',
      ]);
    }
    // Native and RLE are decoded by pydicom itself (numpy), so these comparisons never depend on Pillow.
    const nativeOrRle = compared.filter((n) => ['native', 'rle'].includes(encodingOf(caseByName(n))));
    expect(nativeOrRle.length).toBe(26);
    // With Pillow: also 5 JPEG 2000 and 6 JPEG Baseline files (RGB ones; YBR ones go to dcmtk).
    expect(compared.length).toBe(pydicom.pillow === null ? 26 : 37);
  });

  it("decodePixels equals dcmtk's dcmdjpeg, dcmdjpls and dcmdrle output, exactly, lossy JPEG included", () => {
    // Exact even for lossy JPEG: dcmjs-codecs and dcmtk both decode with IJG-derived libjpeg code (same
    // integer IDCT and colour conversion), so no tolerance is needed on these files.
    const compared: string[] = [];
    for (const c of readable()) {
      const tool = DCMTK_DECOMPRESSOR[encodingOf(c)];
      if (!tool || !c.file!.dataset.has(Tags.PixelData)) continue;
      const result = dcmtkDecompressed.get(c.name)!;
      if (DCMDUMP_UNREADABLE.has(c.name)) {
        expect(result.code, c.name).not.toBe(0); // dcmtk cannot parse this file at all (see above)
        continue;
      }
      expect(result.code, `${c.name}: ${tool} ${result.stderr}`).toBe(0);
      const native = parseDicom(new Uint8Array(readFileSync(result.out)), { path: result.out });
      expect(lookupTransferSyntax(native.transferSyntaxUid)!.encapsulated, c.name).toBe(false);
      const theirs = decodePixels(native);
      const ours = decodePixels(freshRead(c));
      expect(ours.frames.length, c.name).toBe(theirs.frames.length);
      expect(ours.description.photometricInterpretation, c.name).toBe(
        theirs.description.photometricInterpretation,
      );
      const [a, b] = [interleaved(ours), interleaved(theirs)];
      expect(a.equals(b), `${c.name}: ${sampleDifferences(a, b)}`).toBe(true);
      compared.push(`${tool} ${c.name}`);
    }
    expect(compared.filter((t) => t.startsWith('dcmdjpeg ')).length).toBeGreaterThanOrEqual(15);
    expect(compared.filter((t) => t.startsWith('dcmdjpls ')).length).toBe(1);
    expect(compared.filter((t) => t.startsWith('dcmdrle ')).length).toBeGreaterThanOrEqual(8);
  });

  it('pixels written back uncompressed with setPixelFrames: pydicom decodes the same samples, and nothing else changed', () => {
    // Element rows are compared by path, VR and value only: rewriting pixels changes the transfer syntax to
    // Explicit VR Little Endian, so stored VRs and the byte order of numbers legitimately change.
    const dependent = new Set([
      '(0028,0004)',
      '(0028,0006)',
      '(0028,0008)',
      '(0028,0000)',
      '(7FE0,0000)',
      '(7FE0,0010)',
    ]);
    const view = (rows: readonly Row[]): string[] =>
      rows.filter((r) => !dependent.has(r[0])).map((r) => JSON.stringify([r[0], r[2], r[5]]));
    let rewritten = 0;
    for (const c of readable()) {
      if (!c.outputs.pixels) continue;
      const input = pydicom.files[pyKey(c.name, 'input')]!;
      const output = pydicom.files[pyKey(c.name, 'pixels')]!;
      expect(output.status, c.name).toBe('ok');
      expect(rowsByPath(output.meta!).get('(0002,0010)')![5], c.name).toBe(`'${TS.ExplicitVRLittleEndian}'`);
      expect(view(output.elements!), c.name).toEqual(view(input.elements!));
      const d = c.decoded!.description;
      const rows = rowsByPath(output.elements!);
      expect(rows.get('(0028,0004)')![5], c.name).toBe(`'${d.photometricInterpretation}'`);
      if (d.numberOfFrames > 1) expect(rows.get('(0028,0008)')![5], c.name).toBe(`'${d.numberOfFrames}'`);
      expect(output.pixels, `${c.name}: ${output.pixels_error}`).toBeDefined();
      const theirs = maskToBitsStored(
        readFileSync(join(work, `pydicom-pixels-rewritten-${c.name}.raw`)),
        c.decoded!,
      );
      const mine = maskToBitsStored(interleaved(c.decoded!), c.decoded!);
      expect(mine.equals(theirs), `${c.name}: ${sampleDifferences(mine, theirs)}`).toBe(true);
      rewritten++;
    }
    expect(rewritten).toBe(49); // every file decodePixels decodes
  });

  it('pixels re-encoded losslessly (RLE, JPEG-LS) decode back to the same samples', () => {
    const unsupported: string[] = [];
    let reencoded = 0;
    for (const c of readable()) {
      if (!c.decoded) continue;
      for (const uid of [TS.RLELossless, TS.JPEGLSLossless]) {
        const d = c.decoded.description;
        if (d.bitsAllocated === 1 || (uid === TS.JPEGLSLossless && d.bitsAllocated > 16)) {
          unsupported.push(`${uid === TS.RLELossless ? 'RLE' : 'JPEG-LS'} ${c.name}`);
          continue;
        }
        const file = freshRead(c);
        setPixelFrames(file, c.decoded.frames, d, uid);
        const back = parseDicom(writeDicom(file));
        expect(back.transferSyntaxUid).toBe(uid);
        const again = decodePixels(back);
        const [a, b] = [interleaved(again), interleaved(c.decoded)];
        expect(a.equals(b), `${uid} ${c.name}: ${sampleDifferences(a, b)}`).toBe(true);
        reencoded++;
      }
    }
    // 1-bit data has no RLE or JPEG-LS form here; JPEG-LS stops at 16 bits per sample.
    expect(unsupported.filter((u) => u.startsWith('RLE '))).toEqual([
      'RLE liver_1frame.dcm',
      'RLE liver_expb_1frame.dcm',
    ]);
    expect(reencoded).toBe(86);
  });
});
