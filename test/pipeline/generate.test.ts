import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAnswerKey, type AnswerKey } from '../../src/answerkey/index.js';
import { generateCorpus } from '../../src/corpus/index.js';
import {
  decodePixels,
  getString,
  initializeCodecs,
  parseDicom,
  requireTag,
  setPixelFrames,
  TS,
  writeDicom,
} from '../../src/dicom/index.js';
import { generate } from '../../src/pipeline/generate.js';
import { withDatasetSources } from '../../src/pipeline/sources.js';
import { verifyDataset } from '../../src/pipeline/verify.js';
import { ACTIONS, REMOVAL_ACTIONS } from '../../src/phi/index.js';
import { evaluateCheck, toScoredFile } from '../../src/score/index.js';
import { digests } from '../helpers/digests.js';

const SEED = '7';
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pseudophi-generate-'));
  await generate({ out: join(work, 'a'), seed: SEED, profile: 'fixture' });
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('generate on the built-in fixture corpus', () => {
  let key: AnswerKey;
  beforeAll(() => {
    key = readAnswerKey(join(work, 'a', 'answer_key.db'));
  });

  it('writes the dataset layout with a key row per output file', async () => {
    const manifest = JSON.parse(await readFile(join(work, 'a', 'manifest.json'), 'utf8')) as {
      outputs: Array<{ path: string; source: string }>;
    };
    expect(manifest.outputs.length).toBeGreaterThan(20);
    expect(key.instances).toHaveLength(manifest.outputs.length);
    for (const o of manifest.outputs) {
      expect(o.path).toMatch(/^dicom\/\d{9,10}\/2\.25\.\d+\/2\.25\.\d+\/\d{8}\.dcm$/);
      expect(o.source).not.toBe('');
    }
    expect(JSON.parse(await readFile(join(work, 'a', 'rejects.json'), 'utf8'))).toEqual([]);
  });

  it('scored as its own de-identified output, passes every keep check and fails every removal check', async () => {
    const byUid = new Map(key.files.map((f) => [f.sopInstanceUid, f.outputPath]));
    const identity = (action: string): Map<string, string> =>
      new Map(
        key.instances.flatMap((i) =>
          i.checks.filter((c) => c.action === action).map((c) => [c.value, c.value] as const),
        ),
      );
    const mappings = { uid: identity('uid_consistent'), patientId: identity('patid_consistent') };
    const outcomes = new Map<string, { pass: number; fail: number }>();
    for (const instance of key.instances) {
      const file = toScoredFile(
        parseDicom(await readFile(join(work, 'a', byUid.get(instance.sopInstanceUid)!))).dataset,
      );
      for (const check of instance.checks) {
        // Burned-in text is judged by OCR inside its box (test/burn/ocr.test.ts, the interop tests).
        if (check.action === 'pixels_hidden') continue;
        const { passed } = evaluateCheck(check, file, mappings);
        const o = outcomes.get(check.action) ?? { pass: 0, fail: 0 };
        if (passed) o.pass++;
        else o.fail++;
        outcomes.set(check.action, o);
        const expected = !REMOVAL_ACTIONS.has(check.action);
        if (passed !== expected) {
          throw new Error(`${check.action} ${check.path} ${JSON.stringify(check.actionText)} gave ${passed}`);
        }
      }
    }
    // Every kind of check the key promises is there.
    for (const action of [
      'text_removed',
      'text_retained',
      'tag_retained',
      'text_notnull',
      'date_shifted',
      'uid_changed',
      'uid_consistent',
      'patid_consistent',
      'pixels_retained',
    ]) {
      const o = outcomes.get(action);
      expect((o?.pass ?? 0) + (o?.fail ?? 0), action).toBeGreaterThan(0);
    }
  });

  it('inserts every HIPAA kind the issue names (A-K, M, N, O, R), each with the identity field it came from', () => {
    const removed = key.instances.flatMap((i) => i.checks.filter((c) => c.action === 'text_removed'));
    const kinds = new Set(removed.map((c) => c.phiKind).filter((k) => k !== null));
    for (const kind of ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'M', 'N', 'O', 'R']) {
      expect(kinds.has(kind as never), `HIPAA ${kind}`).toBe(true);
    }
    for (const c of removed) expect(c.identityField, c.path).toMatch(/^(patient|study)\./);
    // Inside sequences and in private elements too.
    expect(removed.some((c) => c.path.includes('[<'))).toBe(true);
    expect(removed.some((c) => c.path.includes('"GEMS_') || c.path.includes('"FDMS'))).toBe(true);
  });

  it('is a complete regression fixture of a few MB: every modality, action, syntax kind, multi-frame, private and sequence PHI', async () => {
    const manifest = JSON.parse(await readFile(join(work, 'a', 'manifest.json'), 'utf8')) as {
      counts: Record<string, number>;
    };
    for (const action of ACTIONS) expect(manifest.counts[`checks.${action}`], action).toBeGreaterThan(0);
    const modalities = new Set(key.instances.map((i) => i.modality));
    for (const m of ['CT', 'MR', 'PT', 'CR', 'DX', 'MG', 'US', 'OT', 'SR'])
      expect(modalities.has(m), m).toBe(true);
    const removed = key.instances.flatMap((i) => i.checks.filter((c) => c.action === 'text_removed'));
    // Private PHI (odd groups) and PHI inside sequence items.
    expect(removed.some((c) => /^<\([0-9A-F]{3}[13579BDF],/.test(c.path))).toBe(true);
    expect(removed.some((c) => c.path.includes('>[<'))).toBe(true);
    const files = await digests(join(work, 'a', 'dicom'));
    const syntaxes = new Set<string>();
    let multiFrame = 0;
    let bytes = 0;
    for (const path of files.keys()) {
      const data = await readFile(join(work, 'a', 'dicom', path));
      bytes += data.length;
      const file = parseDicom(data);
      syntaxes.add(file.transferSyntaxUid);
      if (Number(getString(file.dataset, requireTag('NumberOfFrames')) ?? '1') > 1) multiFrame++;
    }
    for (const syntax of [
      TS.ImplicitVRLittleEndian,
      TS.ExplicitVRLittleEndian,
      TS.RLELossless,
      TS.JPEGLSLossless,
    ])
      expect(syntaxes.has(syntax), syntax).toBe(true);
    expect(multiFrame).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(8 * 1024 * 1024);
  });

  it('keeps the stored Pixel Data bytes of every instance (pixels_retained is the source MD5)', () => {
    const pixelChecks = key.instances.flatMap((i) => i.checks.filter((c) => c.action === 'pixels_retained'));
    const fileMd5 = new Set(key.files.map((f) => f.pixelDataMd5));
    for (const c of pixelChecks) expect(fileMd5.has(c.actionText)).toBe(true);
  });

  it('burns text into every ultrasound and secondary capture, with pixels_hidden boxes and a row per line', () => {
    const secondaryCapture = '1.2.840.10008.5.1.4.1.1.7';
    const burnedModalities = new Set<string>();
    for (const instance of key.instances) {
      const hidden = instance.checks.filter((c) => c.action === 'pixels_hidden');
      const lines = key.burnedText.get(instance.sopInstanceUid) ?? [];
      const label = `${instance.modality} ${instance.sopInstanceUid}`;
      if (instance.modality === 'US' || instance.sopClassUid.startsWith(secondaryCapture))
        expect(hidden.length, label).toBeGreaterThan(0);
      if (hidden.length === 0) {
        expect(lines, label).toEqual([]);
        continue;
      }
      burnedModalities.add(instance.modality);
      expect(
        instance.checks.some((c) => c.action === 'pixels_retained'),
        label,
      ).toBe(false);
      // Every PHI line has its identity field and HIPAA kind; each pixels_hidden text is made of its lines.
      for (const line of lines.filter((l) => l.phi)) {
        expect(line.field, line.text).toMatch(/^(patient|study)\./);
        expect(line.kind, line.text).not.toBeNull();
      }
      for (const check of hidden) {
        const box = JSON.parse(check.actionText!) as { text: string };
        for (const text of box.text.split('\n')) expect(lines.map((l) => l.text)).toContain(text);
      }
    }
    expect([...burnedModalities]).toEqual(expect.arrayContaining(['US', 'OT', 'CR', 'CT', 'PT']));
    // Decoys (probe, preset, markers) are recorded beside the PHI: a de-identifier must keep them.
    const all = [...key.burnedText.values()].flat();
    expect(all.some((l) => !l.phi)).toBe(true);
  });

  it('verify proves the burned pixels against the regenerated corpus, and catches a changed pixel', async () => {
    const dir = join(work, 'a');
    const report = await withDatasetSources(dir, undefined, (sources) =>
      verifyDataset(dir, undefined, { sources }),
    );
    expect(report.problems).toEqual([]);
    expect(report.burned).toBeGreaterThan(0);
    expect(report.burnedAgainstSource).toBe(report.burned);

    // One pixel changed far from the text of a burned image: verify names it.
    const tampered = join(work, 'tampered');
    await cp(dir, tampered, { recursive: true });
    const burnedUid = [...key.burnedText.keys()][0]!;
    const path = join(tampered, key.files.find((f) => f.sopInstanceUid === burnedUid)!.outputPath);
    await initializeCodecs();
    const file = parseDicom(await readFile(path));
    expect(getString(file.dataset, requireTag('BurnedInAnnotation'))).toBe('YES');
    const lines = key.burnedText.get(burnedUid)!;
    const decoded = decodePixels(file);
    const { rows, columns, samplesPerPixel, bitsAllocated, planarConfiguration } = decoded.description;
    // A pixel of the middle column that no line box covers.
    const x = Math.floor(columns / 2);
    let y = Math.floor(rows / 2);
    while (lines.some((l) => x >= l.left && x < l.left + l.width && y >= l.top && y < l.top + l.height)) y++;
    expect(y).toBeLessThan(rows);
    const perPixel = (bitsAllocated / 8) * (planarConfiguration === 1 ? 1 : samplesPerPixel);
    const frame = decoded.frames[0]!;
    const at = (y * columns + x) * perPixel;
    frame[at] = frame[at]! ^ 0xff;
    setPixelFrames(file, decoded.frames, decoded.description, TS.ExplicitVRLittleEndian);
    await writeFile(path, writeDicom(file));
    const broken = await withDatasetSources(tampered, undefined, (sources) =>
      verifyDataset(tampered, undefined, { sources }),
    );
    expect(broken.problems.map((p) => p.problem)).toEqual(
      expect.arrayContaining([
        'SHA-256 differs from manifest.json',
        expect.stringMatching(/changed outside every recorded box/),
      ]),
    );
  });

  it('is byte-identical when run again with the same seed', async () => {
    await generate({ out: join(work, 'b'), seed: SEED, profile: 'fixture' });
    expect(await digests(join(work, 'b'))).toEqual(await digests(join(work, 'a')));
  });
});

describe('generate from an input folder', () => {
  it('leaves every other patient unchanged when one patient is removed from the input', async () => {
    const corpus = join(work, 'corpus');
    await generateCorpus({ out: corpus, seed: SEED, profile: 'fixture' }, { progress: () => undefined });
    const patients = (await readdir(join(corpus, 'dicom'))).sort();
    const fewer = join(work, 'fewer');
    for (const p of patients.slice(1))
      await cp(join(corpus, 'dicom', p), join(fewer, p), { recursive: true });
    await generate({
      input: join(corpus, 'dicom'),
      out: join(work, 'all-out'),
      seed: SEED,
      profile: 'fixture',
    });
    await generate({ input: fewer, out: join(work, 'fewer-out'), seed: SEED, profile: 'fixture' });
    const all = await digests(join(work, 'all-out', 'dicom'));
    const some = await digests(join(work, 'fewer-out', 'dicom'));
    expect(some.size).toBeGreaterThan(0);
    expect(some.size).toBeLessThan(all.size);
    for (const [path, sha] of some) expect(all.get(path), path).toBe(sha);
    const checksOf = (k: AnswerKey): Map<string, string> =>
      new Map(k.instances.map((i) => [i.sopInstanceUid, JSON.stringify(i.checks)]));
    const allChecks = checksOf(readAnswerKey(join(work, 'all-out', 'answer_key.db')));
    for (const [uid, checks] of checksOf(readAnswerKey(join(work, 'fewer-out', 'answer_key.db')))) {
      expect(allChecks.get(uid)).toBe(checks);
    }
  });

  it('refuses a non-empty output folder', async () => {
    await expect(generate({ out: join(work, 'a'), seed: SEED, profile: 'fixture' })).rejects.toThrow(
      /not empty/,
    );
  });
});
