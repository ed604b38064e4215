/**
 * Issue 3, "Done when" 2: generate changes what its plan says and nothing else. For every generated
 * instance, the source is re-planned with the run's own context (`planRun`, the planner `generate` uses)
 * and input and output are compared as pydicom sees them (test/interop/python/pydicom_dump.py rows: path,
 * stored VR, VR, length, SHA-1 of the raw value bytes, converted value):
 *
 * - every element of the input that the plan does not set or delete, and that is not inside a deleted
 *   private block, is in the output with an identical row. Not compared: group lengths (gggg,0000), which
 *   are recomputed for edited groups, and the File Meta Information (another test's subject). A
 *   sequence holding a planned element is compared without its item count, which may grow by the item the
 *   plan appends; Specific Character Set is compared like any other element (generate never changes it).
 * - every element the plan deletes is gone, every element it sets is there;
 * - the output has no element the input lacks except the ones the plan adds (with the sequences that hold
 *   them and the private creators of their blocks);
 * - the stored Pixel Data bytes have the same MD5 in input and output, and that MD5 is the one the answer
 *   key's `files` table records; except in instances with burned-in text (a `burned_text` row), where the
 *   burn step also sets Pixel Data, Burned In Annotation and the pixel attributes a decoded, rewritten
 *   image may change (Photometric Interpretation, Planar Configuration), and the MD5 must differ.
 *
 * Run on two inputs: the whole pydicom test set (real files: big endian, implicit VR, deflated,
 * encapsulated, private blocks, DICOMDIR-referenced CTs) and the fixture corpus written into a folder.
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAnswerKey } from '../../src/answerkey/index.js';
import {
  findPrivateBlock,
  findTag,
  isPrivateTag,
  parseDicom,
  type DicomDataset,
  type ElementPath,
} from '../../src/dicom/index.js';
import { planRun } from '../../src/pipeline/generate.js';
import {
  generateFromPydicom,
  generateFrom,
  readManifest,
  SEED,
  writeFixtureCorpus,
} from './generate-datasets.js';
import { runPythonScript, TEST_FILES } from './support.js';

/** A pydicom_dump.py row: [path, stored VR, VR, length (item count for SQ), sha1 (undefined length for SQ), value]. */
type Row = [string, string | null, string, number | null, string | boolean | null, string | null];

interface DumpResult {
  status: 'ok' | 'error';
  error?: string;
  elements?: Row[];
  pixel_data_md5?: string | null;
}

/** What one instance's plan touches, as pydicom paths. */
interface Planned {
  /** Input elements the plan sets (their values may differ). */
  changed: Set<string>;
  /** Output elements the plan adds (absent from the input). */
  added: Set<string>;
  /** Input elements the plan deletes (with everything inside them). */
  deleted: Set<string>;
  /** Sequences (input or output paths) with a planned element inside. */
  sequences: Set<string>;
  /** Private creator elements of blocks the plan adds elements to. */
  creators: Set<string>;
}

interface Pair {
  id: string;
  input: string;
  output: string;
  planned: Planned;
  keyPixelMd5: string | null;
  /** The instance has burned-in text. */
  burned: boolean;
}

/** What the burn step of an instance with burned-in text may set (pixels written back, PS3.3 C.7.6.3). */
const BURN_SET = ['(7FE0,0010)', '(0028,0301)', '(0028,0004)', '(0028,0006)'];

interface Dataset {
  name: string;
  pairs: Pair[];
}

const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');
const tagText = (tag: number): string => `(${hex4(tag >>> 16)},${hex4(tag & 0xffff)})`;

/** The pydicom path of the element a plan path names in a data set (and of the sequences above it). */
function pydicomPath(
  root: DicomDataset,
  path: ElementPath,
): { path: string; ancestors: string[]; leafTag: number } | undefined {
  let ds = root;
  let prefix = '';
  const ancestors: string[] = [];
  for (const [i, step] of path.steps.entries()) {
    const tag = findTag(ds, step.ref);
    if (tag === undefined) return undefined;
    const here = prefix + tagText(tag);
    if (i === path.steps.length - 1) return { path: here, ancestors, leafTag: tag };
    const item = ds.get(tag)?.items?.[step.item!];
    if (!item) return undefined;
    ancestors.push(here);
    prefix = `${here}[${step.item}]`;
    ds = item;
  }
  return undefined;
}

/** Re-plans every output's source and records, as pydicom paths, what the plan touches. */
async function planDataset(name: string, inputRoot: string, out: string): Promise<Dataset> {
  const planner = await planRun(inputRoot, SEED);
  const sources = new Map(planner.scan.instances.map((s) => [s.relativePath, s]));
  const key = readAnswerKey(join(out, 'answer_key.db'));
  const md5ByPath = new Map(key.files.map((f) => [f.outputPath, f.pixelDataMd5]));
  const burnedPaths = new Set(
    key.files.filter((f) => key.burnedText.has(f.sopInstanceUid)).map((f) => f.outputPath),
  );
  const pairs: Pair[] = [];
  for (const o of readManifest(out).outputs) {
    const input = join(inputRoot, o.source);
    const output = join(out, o.path);
    const source = sources.get(o.source);
    if (!source) throw new Error(`${o.source}: not among the scanned instances`);
    const inDs = parseDicom(new Uint8Array(readFileSync(input)), { path: o.source }).dataset;
    const outDs = parseDicom(new Uint8Array(readFileSync(output)), { path: o.path }).dataset;
    const plan = planner.plan(source, inDs);
    const planned: Planned = {
      changed: new Set(),
      added: new Set(),
      deleted: new Set(),
      sequences: new Set(),
      creators: new Set(),
    };
    for (const edit of plan.sets) {
      const before = pydicomPath(inDs, edit.path);
      if (before) {
        planned.changed.add(before.path);
        before.ancestors.forEach((a) => planned.sequences.add(a));
        continue;
      }
      const after = pydicomPath(outDs, edit.path);
      if (!after)
        throw new Error(`${o.source}: planned element ${JSON.stringify(edit.path)} is not in the output`);
      planned.added.add(after.path);
      after.ancestors.forEach((a) => planned.sequences.add(a));
      if (isPrivateTag(after.leafTag)) {
        // (gggg,xxee) belongs to the block whose creator is (gggg,00xx), in the same data set.
        const creator = (((after.leafTag >>> 16) << 16) | ((after.leafTag >>> 8) & 0xff)) >>> 0;
        planned.creators.add(after.path.slice(0, -'(GGGG,EEEE)'.length) + tagText(creator));
      }
    }
    for (const path of plan.deletes) {
      const found = pydicomPath(inDs, path);
      if (found) {
        planned.deleted.add(found.path);
        found.ancestors.forEach((a) => planned.sequences.add(a));
      }
    }
    const burned = burnedPaths.has(o.path);
    if (burned) {
      for (const tag of BURN_SET) {
        if (inDs.has(Number.parseInt(tag.slice(1, 5) + tag.slice(6, 10), 16))) planned.changed.add(tag);
        else planned.added.add(tag);
      }
    }
    for (const { group, creator } of plan.deletePrivateBlocks) {
      const block = findPrivateBlock(inDs, group, creator);
      if (block === undefined) continue;
      for (const e of inDs.elements) {
        const el = e.tag & 0xffff;
        if (e.tag >>> 16 !== group) continue;
        if (el === block || (el >= 0x1000 && el >>> 8 === block)) planned.deleted.add(tagText(e.tag));
      }
    }
    pairs.push({ id: o.path, input, output, planned, keyPixelMd5: md5ByPath.get(o.path) ?? null, burned });
  }
  return { name, pairs };
}

const isGroupLength = (path: string): boolean => /,0000\)$/.test(path);
/** The path and every enclosing element path: `(A)[0](B)[1](C)` -> `(A)`, `(A)[0](B)`, itself. */
const enclosing = (path: string): string[] => {
  const out: string[] = [];
  const re = /\[\d+\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path))) out.push(path.slice(0, m.index));
  return [...out, path];
};

let work: string;
const datasets: Dataset[] = [];
let dumps: Record<string, DumpResult>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pseudophi-generate-fidelity-'));
  await generateFromPydicom(join(work, 'pydicom-out'));
  datasets.push(await planDataset('pydicom test_files', TEST_FILES, join(work, 'pydicom-out')));
  const corpus = await writeFixtureCorpus(join(work, 'corpus'));
  await generateFrom(corpus, join(work, 'fixture-out'));
  datasets.push(await planDataset('fixture corpus', corpus, join(work, 'fixture-out')));

  const files = datasets.flatMap((d) =>
    d.pairs.flatMap((p) => [
      { id: `in:${d.name}:${p.id}`, path: p.input, pixel_md5: true },
      { id: `out:${d.name}:${p.id}`, path: p.output, pixel_md5: true },
    ]),
  );
  dumps = (await runPythonScript<{ files: Record<string, DumpResult> }>('pydicom_dump.py', { files })).files;
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.each(['pydicom test_files', 'fixture corpus'])(
  'generate on %s changes only what the plan says',
  (name) => {
    const dataset = (): Dataset => datasets.find((d) => d.name === name)!;
    const rows = (kind: 'in' | 'out', pair: Pair): Row[] => {
      const result = dumps[`${kind}:${name}:${pair.id}`]!;
      expect(result.status, `${pair.id}: ${result.error}`).toBe('ok');
      return result.elements!;
    };

    it('keeps every element the plan does not touch identical, as pydicom reads it', () => {
      const counts = { instances: 0, identical: 0, changed: 0, deleted: 0, added: 0 };
      for (const pair of dataset().pairs) {
        const before = rows('in', pair);
        const after = new Map(rows('out', pair).map((r) => [r[0], r]));
        const { planned } = pair;
        const deletedBy = (path: string): boolean => enclosing(path).some((p) => planned.deleted.has(p));
        for (const row of before) {
          const [path] = row;
          const where = `${pair.input} ${path}`;
          if (isGroupLength(path)) continue;
          if (deletedBy(path)) {
            expect(after.has(path), `${where}: deleted by the plan, still in the output`).toBe(false);
            if (planned.deleted.has(path)) counts.deleted++;
            continue;
          }
          const got = after.get(path);
          expect(got, `${where}: missing from the output`).toBeDefined();
          if (planned.changed.has(path)) {
            counts.changed++;
            continue;
          }
          if (row[2] === 'SQ' && planned.sequences.has(path)) {
            // A sequence with planned elements inside: same VR and undefined-length flag, items only added.
            expect([got![1], got![2], got![4]], where).toEqual([row[1], row[2], row[4]]);
            expect(got![3]!, where).toBeGreaterThanOrEqual(row[3]!);
            continue;
          }
          expect(got, where).toEqual(row);
          counts.identical++;
        }
        counts.instances++;
      }
      process.stdout.write(
        `${name}: ${counts.instances} instances; input elements identical ${counts.identical}, ` +
          `set by the plan ${counts.changed}, deleted by the plan ${counts.deleted}\n`,
      );
      expect(counts.instances).toBeGreaterThan(0);
      expect(counts.identical).toBeGreaterThan(counts.changed);
    });

    it('adds only the elements the plan adds (with their sequences and private creators)', () => {
      let added = 0;
      for (const pair of dataset().pairs) {
        const before = new Set(rows('in', pair).map((r) => r[0]));
        const { planned } = pair;
        for (const [path] of rows('out', pair)) {
          if (before.has(path) || isGroupLength(path)) continue;
          const explained =
            planned.added.has(path) || planned.sequences.has(path) || planned.creators.has(path);
          expect(explained, `${pair.output} ${path}: added, but not by the plan (${pair.input})`).toBe(true);
          if (planned.added.has(path)) added++;
        }
        for (const path of planned.added)
          expect(before.has(path), `${pair.input} ${path}: planned as added but in the input`).toBe(false);
      }
      process.stdout.write(`${name}: ${added} elements added by the plan\n`);
      expect(added).toBeGreaterThan(0);
    });

    it('keeps the stored Pixel Data bytes of every instance (MD5 as pydicom reads it; the key records it)', () => {
      let withPixels = 0;
      let burned = 0;
      for (const pair of dataset().pairs) {
        const md5In = dumps[`in:${name}:${pair.id}`]!.pixel_data_md5 ?? null;
        const md5Out = dumps[`out:${name}:${pair.id}`]!.pixel_data_md5 ?? null;
        expect(pair.keyPixelMd5, pair.input).toBe(md5Out);
        if (pair.burned) {
          expect(md5Out, `${pair.input}: burned, yet the same Pixel Data`).not.toBe(md5In);
          burned++;
          continue;
        }
        expect(md5Out, pair.input).toBe(md5In);
        if (md5In) withPixels++;
      }
      process.stdout.write(
        `${name}: Pixel Data MD5 identical in ${withPixels} of ${dataset().pairs.length} instances ` +
          `(${burned} with burned-in text; the others have no Pixel Data)\n`,
      );
      expect(withPixels).toBeGreaterThan(0);
    });
  },
);
