/**
 * Issue 4, "Done when" items proved with Debian's tools on a dataset with burned-in text: generate over the
 * fixture corpus with a profile that burns every instance it can (a copy of templates/profiles/fixture.json
 * with `burn` 1 for CT, MR, PT, CR, DX, MG; US and Secondary Capture are 1 by default). The copy has 18
 * patients (two per modality) for a steadier recall, and 256x256, 192x192 and 128x128 CT, MR and PT
 * matrices: the fixture's 64x64 MR leaves little layout room. The corpus is written from the same copy.
 *
 * 1. Legibility, read by Debian's tesseract (tesseract-ocr with its own English data, not tesseract.js):
 *    every burned_text row (each line on each frame, PHI and decoys) is cut from the frame pydicom decodes,
 *    in the MIDI-B script's crop and 8-bit scaling (shared/reference/midi-b-answer-key.md section 4;
 *    test/interop/python/burned_pixels.py), prepared as test/burn/ocr.test.ts prepares it (scaled to a
 *    48 px line, caps about 30-35 px), and OCR'd as one line. Token recall, measured as ocr.test.ts
 *    measures it, must reach 98% (issue 4's bar). Each pixels_hidden check's box read as a whole (the
 *    region the MIDI-B script hands to OCR), as a block of text, must give back at least one token.
 * 2. dicom3tools' dciodvfy: no burned output has more Error lines than its source (manifest.json
 *    `outputs[].source`, relative to the input folder).
 * 3. Decoding: pydicom decodes every burned output (pixel_array shape from Rows, Columns, Number of
 *    Frames, Samples per Pixel; Burned In Annotation YES), every pydicom handler able to decode the
 *    transfer syntax gives the same array, and dcmtk decodes it too: dcmdump parses it, dcm2pnm (dcmj2pnm
 *    for JPEG, dcml2pnm for JPEG-LS) renders every frame, and a compressed output decompressed by dcmtk
 *    (dcmdrle, dcmdjpeg, dcmdjpls) holds exactly the samples pydicom decodes. Free dcmtk has no JPEG 2000
 *    codec: such outputs are decoded by pydicom's gdcm and Pillow handlers (which must agree) and only
 *    parsed by dcmtk.
 *
 * BURNED_KEEP=1 keeps the temp folder (dataset, crops as PNG); BURNED_TESSDATA=DIR reads with another
 * tessdata folder (e.g. the best_int model ocr.test.ts uses, unpacked); BURNED_PATIENTS=N and
 * BURNED_LINE_HEIGHT=PX change the sample and the scale.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../src/corpus/index.js';
import { parseDicom, TS } from '../../src/dicom/index.js';
import { generate } from '../../src/pipeline/generate.js';
import { readManifest, SEED } from './generate-datasets.js';
import { hasCommand, mapLimit, PYTHON, run, runPythonScript } from './support.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOOLS = [
  'tesseract',
  'dciodvfy',
  'dcmdump',
  'dcm2pnm',
  'dcmj2pnm',
  'dcml2pnm',
  'dcmdrle',
  'dcmdjpeg',
  'dcmdjpls',
];
const missing: string[] = [];
for (const tool of TOOLS) if (!(await hasCommand(tool))) missing.push(tool);
if (!missing.includes('tesseract') && !/^eng$/m.test((await run('tesseract', ['--list-langs'])).stdout))
  missing.push('tesseract-ocr-eng');
// pydicom decodes JPEG-LS and JPEG lossless through GDCM.
if ((await run(PYTHON, ['-c', 'import gdcm'])).code !== 0) missing.push('python3-gdcm');
const available = missing.length === 0;
if (!available) {
  process.stderr.write(`generate-burned: ${missing.join(', ')} missing (see .ci/run); skipping.\n`);
}

/** Modalities the profile burns (SC's Modality is OT); each must end up with burned instances. */
const BURNED_MODALITIES = ['CR', 'CT', 'DX', 'MG', 'MR', 'OT', 'PT', 'US'];
/** Issue 4's legibility bar. */
const MIN_RECALL = 0.98;
/** Share of pixels_hidden boxes whose whole-box reading may hold none of their tokens. */
const MAX_UNREAD_BOXES = 0.02;
/** Lines are scaled to 48 px high (capitals about 30-35 px, where tesseract reads best), with a quiet border. */
const LINE_HEIGHT = Number(process.env.BURNED_LINE_HEIGHT ?? 48);
const PAD = 12;
/** Subprocesses in flight (the machine has 2 cores; other suites run beside this one). */
const POOL = 2;

interface BurnedRow {
  sop_instance_uid: string;
  block: number;
  block_id: string;
  line: number;
  frame: number;
  left: number;
  top: number;
  width: number;
  height: number;
  text: string;
  font: string;
  is_phi: number;
}

interface HiddenCheck {
  sop_instance_uid: string;
  action_text: string;
}

interface FileRow {
  sop_instance_uid: string;
  modality: string;
  output_path: string;
}

interface Crop {
  /** One image, or two (text lighter than its ground, text darker): burned_pixels.py. */
  pngs: string[];
  prepare: 'corner' | 'ground';
  frame: number;
  box: [number, number, number, number];
  scale: number;
  pad: number;
}

interface PixelFacts {
  error?: string;
  transfer_syntax: string;
  rows: number;
  columns: number;
  frames: number;
  samples: number;
  bits_allocated: number;
  pixel_representation: number;
  photometric: string;
  burned_in_annotation: string;
  shape: number[];
  dtype: string;
  decoders: Record<string, string>;
  dcmtk: string | null;
  crops: number;
}

interface PixelsAnswer {
  pydicom: string;
  gdcm: string | null;
  files: Record<string, PixelFacts>;
}

/** One OCR'd box: a burned_text row, or a pixels_hidden check's whole box. */
interface Read {
  sop: string;
  modality: string;
  syntax: string;
  font: string;
  text: string;
  phi: boolean;
  psm: number;
  crop: Crop;
  read: string;
  tokens: number;
  found: number;
}

interface Burned {
  sop: string;
  modality: string;
  output: string;
  source: string;
  syntax: string;
  lines: Read[];
  blocks: Read[];
  facts?: PixelFacts;
  dcmtk: string[];
  /** Frames dcmtk rendered to PNG (undefined: JPEG 2000, which free dcmtk cannot decode). */
  renderedFrames?: number;
  errorsBefore: string[];
  errorsAfter: string[];
}

let work: string;
let burned: Burned[] = [];
let pixels: PixelsAnswer;
const unmatchedChecks: string[] = [];
let started = 0;

/** The expected text as the MIDI-B script compares it (test/burn/ocr.test.ts expectedTokens, repeated). */
function expectedTokens(text: string): string[] {
  return text
    .replace(/\n/g, ' ')
    .replace(/DOB:/g, ' ')
    .replace(/\[[A-Z]\]/g, ' ')
    .split(/\s+/)
    .map((t) => t.replace(/^[^A-Z0-9]+|[^A-Z0-9%]+$/gi, ''))
    .filter((t) => t !== '');
}

/** The fixture profile, burning every modality, with CT, MR and PT matrices that leave room for text. */
function writeProfile(dir: string): string {
  const profile = JSON.parse(readFileSync(join(ROOT, 'templates/profiles/fixture.json'), 'utf8')) as {
    name: string;
    patients: number;
    modalities: Record<string, { matrices: number[][] }>;
    burn?: Record<string, number>;
  };
  profile.name = 'fixture-burned';
  profile.patients = Number(process.env.BURNED_PATIENTS ?? 18);
  profile.burn = { CT: 1, MR: 1, PT: 1, CR: 1, DX: 1, MG: 1 };
  profile.modalities['CT']!.matrices = [[256, 256]];
  profile.modalities['MR']!.matrices = [[192, 192]];
  profile.modalities['PT']!.matrices = [[128, 128]];
  const file = join(dir, 'fixture-burned.json');
  writeFileSync(file, JSON.stringify(profile, null, 2));
  return file;
}

/** dciodvfy's Error lines for a file. */
async function errorLines(path: string): Promise<string[]> {
  const result = await run('dciodvfy', [path]);
  return `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => /\bError\b/.test(line));
}

const JPEG_LOSSLESS_P14 = '1.2.840.10008.1.2.4.57';

/** dcmtk's decompressor for a compressed transfer syntax; undefined when native or not decodable by dcmtk. */
function dcmtkDecompressor(syntax: string): string | undefined {
  if (syntax === TS.RLELossless) return 'dcmdrle';
  if (syntax === TS.JPEGLSLossless) return 'dcmdjpls';
  if (syntax === TS.JPEGLosslessSV1 || syntax === JPEG_LOSSLESS_P14) return 'dcmdjpeg';
  return undefined;
}

const isJ2K = (syntax: string): boolean => syntax === TS.JPEG2000Lossless;
const problem = (label: string, r: { code: number; stderr: string }): string[] =>
  r.code === 0 && r.stderr.trim() === '' ? [] : [`${label}: exit ${r.code} ${r.stderr.trim().slice(0, 500)}`];

/** dcmtk's renderer for a transfer syntax (dcm2pnm knows native and RLE; JPEG and JPEG-LS have their own). */
function dcmtkRenderer(syntax: string): string | undefined {
  if (syntax === TS.JPEGLSLossless) return 'dcml2pnm';
  if (syntax === TS.JPEGLosslessSV1 || syntax === JPEG_LOSSLESS_P14) return 'dcmj2pnm';
  return isJ2K(syntax) ? undefined : 'dcm2pnm';
}

/** dcmtk on one burned output: parse, render every frame to PNG, decompress (the copy goes to pydicom). */
async function dcmtkChecks(b: Burned, path: string, scratch: string): Promise<string | null> {
  b.dcmtk.push(...problem('dcmdump', await run('dcmdump', ['-q', path])));
  const renderer = dcmtkRenderer(b.syntax);
  if (!renderer) return null;
  const rendered = await run(renderer, ['-q', '+Fa', '+on', path, join(scratch, 'frame')]);
  b.dcmtk.push(...problem(renderer, rendered));
  b.renderedFrames = readdirSync(scratch).filter((f) => /^frame\.\d+\.png$/.test(f)).length;
  const tool = dcmtkDecompressor(b.syntax);
  if (!tool) return null;
  const native = join(scratch, 'native.dcm');
  b.dcmtk.push(...problem(tool, await run(tool, ['-q', path, native])));
  return native;
}

/**
 * OCR of a batch of crops in one tesseract process (a list file), tsv output: the words of page N are the
 * text read from the N-th image. Of a crop's two images (whole boxes), the reading kept is the one with
 * the most confident characters (the sum over its words of confidence x length), which needs no knowledge
 * of the expected text. OMP_THREAD_LIMIT=1: the pool, not tesseract's threads, uses the cores.
 */
async function tesseract(reads: Read[], psm: number, dir: string, batch: number): Promise<void> {
  if (reads.length === 0) return;
  const list = join(dir, `list-${psm}-${batch}.txt`);
  const images = reads.flatMap((r) => r.crop.pngs);
  writeFileSync(list, images.join('\n') + '\n');
  const tessdata = process.env.BURNED_TESSDATA ? ['--tessdata-dir', process.env.BURNED_TESSDATA] : [];
  const result = await run('env', [
    'OMP_THREAD_LIMIT=1',
    'tesseract',
    list,
    'stdout',
    ...tessdata,
    '--psm',
    String(psm),
    '-c',
    'tessedit_create_tsv=1',
  ]);
  if (result.code !== 0) throw new Error(`tesseract --psm ${psm}: ${result.stderr.slice(-2000)}`);
  const pages = images.map(() => ({ words: [] as string[], weight: 0 }));
  const tsv = Buffer.from(result.stdout, 'latin1').toString('utf8');
  for (const line of tsv.split('\n').slice(1)) {
    const cells = line.split('\t');
    if (cells[0] !== '5' || cells.length < 12) continue;
    const page = pages[Number(cells[1]) - 1];
    if (!page) throw new Error(`tesseract: page ${cells[1]} of ${pages.length}`);
    const word = cells.slice(11).join('\t').trim();
    if (word === '') continue;
    page.words.push(word);
    page.weight += Math.max(0, Number(cells[10])) * word.length;
  }
  let next = 0;
  for (const r of reads) {
    const readings = pages.slice(next, next + r.crop.pngs.length);
    next += r.crop.pngs.length;
    const best = readings.reduce((a, c) => (c.weight > a.weight ? c : a));
    r.read = best.words.join(' ').replace(/\s+/g, ' ').trim().toUpperCase();
    const tokens = expectedTokens(r.text);
    r.tokens = tokens.length;
    r.found = tokens.filter((t) => r.read.includes(t.toUpperCase())).length;
  }
}

/** Splits reads by page segmentation mode and into POOL batches, and OCRs them all. */
async function ocrAll(reads: Read[], dir: string): Promise<void> {
  const jobs: Array<{ psm: number; reads: Read[]; batch: number }> = [];
  for (const psm of [...new Set(reads.map((r) => r.psm))].sort()) {
    const all = reads.filter((r) => r.psm === psm);
    const size = Math.ceil(all.length / POOL);
    for (let batch = 0; batch * size < all.length; batch++)
      jobs.push({ psm, batch, reads: all.slice(batch * size, (batch + 1) * size) });
  }
  await mapLimit(jobs, POOL, (job) => tesseract(job.reads, job.psm, dir, job.batch));
}

beforeAll(async () => {
  if (!available) return;
  started = Date.now();
  work = mkdtempSync(join(tmpdir(), 'pseudophi-generate-burned-'));
  const profile = writeProfile(work);
  await generateCorpus({ out: join(work, 'corpus'), seed: SEED, profile }, { progress: () => undefined });
  const input = join(work, 'corpus', 'dicom');
  const out = join(work, 'out');
  await generate({ input, out, seed: SEED, profile });

  const db = new Database(join(out, 'answer_key.db'), { readonly: true });
  const rows = db
    .prepare('SELECT * FROM burned_text ORDER BY sop_instance_uid, block, line, frame')
    .all() as BurnedRow[];
  const checks = db
    .prepare(
      "SELECT sop_instance_uid, action_text FROM checks WHERE action = 'pixels_hidden' ORDER BY sop_instance_uid, check_index",
    )
    .all() as HiddenCheck[];
  const files = db.prepare('SELECT sop_instance_uid, modality, output_path FROM files').all() as FileRow[];
  db.close();
  const sources = new Map(readManifest(out).outputs.map((o) => [o.path, o.source]));
  const fileOf = new Map(files.map((f) => [f.sop_instance_uid, f]));

  const crops = join(work, 'crops');
  mkdirSync(crops);
  let n = 0;
  const bySop = new Map<string, Burned>();
  const burnedOf = (sop: string): Burned => {
    let b = bySop.get(sop);
    if (!b) {
      const file = fileOf.get(sop);
      if (!file) throw new Error(`burned_text names ${sop}, which the files table has not`);
      const path = join(out, file.output_path);
      const header = parseDicom(new Uint8Array(readFileSync(path)), { path, untilPixelData: true });
      b = {
        sop,
        modality: file.modality,
        output: file.output_path,
        source: sources.get(file.output_path) ?? '',
        syntax: header.transferSyntaxUid,
        lines: [],
        blocks: [],
        dcmtk: [],
        errorsBefore: [],
        errorsAfter: [],
      };
      bySop.set(sop, b);
    }
    return b;
  };
  const read = (
    b: Burned,
    r: Omit<Read, 'sop' | 'modality' | 'syntax' | 'read' | 'tokens' | 'found'>,
  ): Read => ({
    sop: b.sop,
    modality: b.modality,
    syntax: b.syntax,
    read: '',
    tokens: 0,
    found: 0,
    ...r,
  });

  for (const row of rows) {
    const b = burnedOf(row.sop_instance_uid);
    b.lines.push(
      read(b, {
        font: row.font,
        text: row.text,
        phi: row.is_phi === 1,
        psm: row.text.trim().length === 1 ? 10 : 7,
        crop: {
          pngs: [join(crops, `line-${n++}.png`)],
          prepare: 'corner',
          frame: row.frame,
          box: [row.left, row.top, row.width, row.height],
          scale: LINE_HEIGHT / row.height,
          pad: PAD,
        },
      }),
    );
  }

  // Each pixels_hidden box is the union of one PHI block's lines: found among the burned_text rows, whose
  // first frame and line height it is read on and scaled by.
  for (const check of checks) {
    const box = JSON.parse(check.action_text.replace(/^<|>$/g, '')) as {
      text: string;
      top_left: [number, number];
      bottom_right: [number, number];
      font: string;
    };
    const own = rows.filter((r) => r.sop_instance_uid === check.sop_instance_uid);
    const block = [...new Set(own.map((r) => r.block))].find((k) => {
      const lines = own.filter((r) => r.block === k && r.frame === own.find((o) => o.block === k)!.frame);
      const left = Math.min(...lines.map((l) => l.left));
      const top = Math.min(...lines.map((l) => l.top));
      const right = Math.max(...lines.map((l) => l.left + l.width));
      const bottom = Math.max(...lines.map((l) => l.top + l.height));
      return (
        left === box.top_left[0] &&
        top === box.top_left[1] &&
        right === box.bottom_right[0] &&
        bottom === box.bottom_right[1] &&
        lines.map((l) => l.text).join('\n') === box.text
      );
    });
    if (block === undefined) {
      unmatchedChecks.push(`${check.sop_instance_uid}: ${check.action_text}`);
      continue;
    }
    const lines = own.filter((r) => r.block === block);
    const heights = lines.map((l) => l.height).sort((a, c) => a - c);
    const b = burnedOf(check.sop_instance_uid);
    b.blocks.push(
      read(b, {
        font: box.font,
        text: box.text,
        phi: true,
        psm: 6,
        crop: {
          pngs: [join(crops, `block-${n}-light.png`), join(crops, `block-${n++}-dark.png`)],
          prepare: 'ground',
          frame: lines[0]!.frame,
          box: [
            box.top_left[0],
            box.top_left[1],
            box.bottom_right[0] - box.top_left[0],
            box.bottom_right[1] - box.top_left[1],
          ],
          scale: LINE_HEIGHT / heights[Math.floor(heights.length / 2)]!,
          pad: PAD,
        },
      }),
    );
  }
  burned = [...bySop.values()];

  // dcmtk and dciodvfy, file by file; the decompressed copies go to pydicom with the crops.
  const natives = await mapLimit([...burned.keys()], POOL, async (i) => {
    const b = burned[i]!;
    const scratch = join(work, 'dcmtk', String(i));
    mkdirSync(scratch, { recursive: true });
    const native = await dcmtkChecks(b, join(out, b.output), scratch);
    b.errorsBefore = await errorLines(join(input, b.source));
    b.errorsAfter = await errorLines(join(out, b.output));
    return native;
  });
  const items = burned.map((b, i) => ({
    id: b.sop,
    path: join(out, b.output),
    dcmtk_path: natives[i],
    crops: [...b.lines, ...b.blocks].map((r) => r.crop),
  }));
  const halves = [items.filter((_, i) => i % 2 === 0), items.filter((_, i) => i % 2 === 1)];
  const answers = await mapLimit(halves, POOL, (files) =>
    runPythonScript<PixelsAnswer>('burned_pixels.py', { files }),
  );
  pixels = {
    ...answers[0]!,
    files: Object.assign({}, ...answers.map((a) => a.files)) as PixelsAnswer['files'],
  };
  for (const b of burned) b.facts = pixels.files[b.sop];

  await ocrAll(
    burned.flatMap((b) => [...b.lines, ...b.blocks]),
    work,
  );
}, 300_000);

afterAll(() => {
  if (work && !process.env.BURNED_KEEP) rmSync(work, { recursive: true, force: true });
  else if (work) process.stdout.write(`generate-burned: kept ${work}\n`);
  if (started) process.stdout.write(`generate-burned: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
});

const sum = (reads: Read[], key: 'tokens' | 'found'): number => reads.reduce((s, r) => s + r[key], 0);
const ratio = (reads: Read[]): number => sum(reads, 'found') / Math.max(1, sum(reads, 'tokens'));

/** Token recall of a set of reads, as text for the report. */
function recall(reads: Read[]): string {
  return `${(100 * ratio(reads)).toFixed(1)}% of ${sum(reads, 'tokens')} tokens in ${reads.length} boxes`;
}

function report(title: string, reads: Read[]): string {
  const group = (key: (r: Read) => string): string =>
    [...new Set(reads.map(key))]
      .sort()
      .map((k) => `  ${k}: ${recall(reads.filter((r) => key(r) === k))}`)
      .join('\n');
  const misses = reads
    .filter((r) => r.found < r.tokens)
    .map(
      (r) =>
        `  ${JSON.stringify(r.text)} -> ${JSON.stringify(r.read)} (${r.modality}, ${r.syntax}, ${r.font}, ` +
        `frame ${r.crop.frame}, box ${r.crop.box.join(',')}, ${r.sop})`,
    );
  return (
    `${title}: ${recall(reads)}\n` +
    `by modality:\n${group((r) => r.modality)}\nby transfer syntax:\n${group((r) => r.syntax)}\n` +
    `by font:\n${group((r) => r.font.replace(/ \d+px$/, ''))}\nmisses:\n${misses.join('\n') || '  none'}\n`
  );
}

describe.skipIf(!available)('generate with burned-in text, checked by Debian tools', () => {
  it('burns text into instances of every modality the profile asks for', () => {
    const modalities = [...new Set(burned.map((b) => b.modality))].sort();
    process.stdout.write(
      `generate-burned: ${burned.length} burned instances (${modalities.join(', ')}), ` +
        `${burned.reduce((s, b) => s + b.lines.length, 0)} burned_text rows, ` +
        `${burned.reduce((s, b) => s + b.blocks.length, 0)} pixels_hidden boxes\n`,
    );
    expect(modalities).toEqual(BURNED_MODALITIES);
    expect(
      unmatchedChecks,
      `pixels_hidden checks with no matching block:\n${unmatchedChecks.join('\n')}`,
    ).toEqual([]);
    for (const b of burned) expect(b.blocks.length, b.output).toBeGreaterThan(0);
  });

  it("tesseract reads at least 98% of the tokens of every burned line in the MIDI-B script's crop", () => {
    const lines = burned.flatMap((b) => b.lines);
    const text =
      report('tesseract, burned_text lines', lines) +
      `PHI lines: ${recall(lines.filter((r) => r.phi))}\ndecoy lines: ${recall(lines.filter((r) => !r.phi))}\n`;
    process.stdout.write(text);
    expect(lines.length).toBeGreaterThan(100);
    expect(lines.some((r) => !r.phi)).toBe(true);
    expect(ratio(lines), text).toBeGreaterThanOrEqual(MIN_RECALL);
  });

  it('tesseract reads text in almost every pixels_hidden box as a whole, so an untouched image fails the check', () => {
    // The MIDI-B script hands the whole box to OCR and fails the check when any token is read back. Read
    // as a block, tesseract finds fewer tokens than line by line (about 92% here), but it must find at
    // least one in nearly every box: a box it reads as empty scores as hidden on an untouched image. The
    // few it misses are two-letter staff initials standing alone (`DL` read as `OL`), as MIDI-B had them.
    const blocks = burned.flatMap((b) => b.blocks);
    const text = report('tesseract, pixels_hidden boxes', blocks);
    const unread = blocks
      .filter((b) => b.found === 0)
      .map((b) => `${b.modality} ${b.sop}: ${JSON.stringify(b.text)} read as ${JSON.stringify(b.read)}`);
    process.stdout.write(`${text}boxes read as holding none of their text: ${unread.length}\n`);
    expect(blocks.length).toBeGreaterThan(50);
    expect(unread.length / blocks.length, `${text}${unread.join('\n')}`).toBeLessThanOrEqual(
      MAX_UNREAD_BOXES,
    );
  });

  it('dciodvfy reports no more Error lines for a burned output than for its source', () => {
    const worse = burned
      .filter((b) => b.errorsAfter.length > b.errorsBefore.length)
      .map((b) => {
        const added = b.errorsAfter.filter((line) => !b.errorsBefore.includes(line));
        return `${b.source} (${b.errorsBefore.length} -> ${b.errorsAfter.length} errors): ${b.output}\n  + ${added.join('\n  + ')}`;
      });
    const before = burned.reduce((s, b) => s + b.errorsBefore.length, 0);
    const after = burned.reduce((s, b) => s + b.errorsAfter.length, 0);
    process.stdout.write(
      `dciodvfy, burned outputs: ${burned.length} files; Error lines ${before} in their sources, ${after} in the outputs\n`,
    );
    expect(burned.every((b) => b.source !== '')).toBe(true);
    expect(worse, worse.join('\n')).toEqual([]);
  });

  it('pydicom decodes every burned output to the shape its header gives, every handler alike', () => {
    const failures: string[] = [];
    const syntaxes = new Map<string, number>();
    for (const b of burned) {
      const f = b.facts;
      if (!f || f.error) {
        failures.push(`${b.output} (${b.syntax}): ${f?.error ?? 'no answer'}`);
        continue;
      }
      syntaxes.set(f.transfer_syntax, (syntaxes.get(f.transfer_syntax) ?? 0) + 1);
      const shape = [
        ...(f.frames > 1 ? [f.frames] : []),
        f.rows,
        f.columns,
        ...(f.samples > 1 ? [f.samples] : []),
      ];
      if (JSON.stringify(f.shape) !== JSON.stringify(shape))
        failures.push(
          `${b.output} (${f.transfer_syntax}): shape ${f.shape.join('x')}, header ${shape.join('x')}`,
        );
      if (f.burned_in_annotation !== 'YES')
        failures.push(`${b.output}: Burned In Annotation ${JSON.stringify(f.burned_in_annotation)}`);
      const bad = Object.entries(f.decoders).filter(([, v]) => v !== 'ok');
      if (bad.length > 0)
        failures.push(`${b.output} (${f.transfer_syntax}): ${JSON.stringify(Object.fromEntries(bad))}`);
      if (isJ2K(f.transfer_syntax) && Object.keys(f.decoders).length < 2)
        failures.push(`${b.output}: JPEG 2000 decoded by ${Object.keys(f.decoders).join(', ')} only`);
      if (f.crops !== b.lines.length + b.blocks.length)
        failures.push(`${b.output}: ${f.crops} crops written`);
    }
    process.stdout.write(
      `pydicom ${pixels.pydicom} (gdcm ${pixels.gdcm}): ${burned.length} burned outputs decoded; transfer syntaxes ` +
        `${[...syntaxes].map(([k, v]) => `${k} x${v}`).join(', ')}\n`,
    );
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it('dcmtk parses and decodes every burned output, to the samples pydicom decodes', () => {
    const failures: string[] = [];
    let compared = 0;
    for (const b of burned) {
      failures.push(...b.dcmtk.map((p) => `${b.output} (${b.syntax}): ${p}`));
      const f = b.facts;
      if (dcmtkRenderer(b.syntax) && b.renderedFrames !== f?.frames)
        failures.push(`${b.output} (${b.syntax}): dcmtk rendered ${b.renderedFrames} frames of ${f?.frames}`);
      if (dcmtkDecompressor(b.syntax)) {
        if (f?.dcmtk !== 'equal') failures.push(`${b.output} (${b.syntax}): dcmtk vs pydicom ${f?.dcmtk}`);
        else compared++;
      }
    }
    process.stdout.write(
      `dcmtk: ${burned.length} burned outputs parsed, ${burned.filter((b) => b.renderedFrames).length} rendered frame by ` +
        `frame (dcm2pnm, dcmj2pnm, dcml2pnm), ${compared} decompressed and equal to pydicom's samples\n`,
    );
    expect(failures, failures.join('\n')).toEqual([]);
  });
});
