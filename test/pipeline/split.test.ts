import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAnswerKey } from '../../src/answerkey/index.js';
import { parseSplitOption } from '../../src/cli/commands/generate.js';
import { generateCorpus } from '../../src/corpus/index.js';
import { generate } from '../../src/pipeline/generate.js';
import { assignSplits, primaryModalities, type SplitPatient } from '../../src/pipeline/split.js';
import { verifyDataset } from '../../src/pipeline/verify.js';
import { runCaptured } from '../helpers/cli.js';
import { digests } from '../helpers/digests.js';

const SHARES = [
  { name: 'train', share: 0.6 },
  { name: 'validation', share: 0.2 },
  { name: 'test', share: 0.2 },
];

/** A deterministic shuffle (so the test does not depend on Math.random). */
function shuffled<T>(items: readonly T[], salt: string): T[] {
  const h = (i: number): string => createHash('sha256').update(`${salt}${i}`).digest('hex');
  return items
    .map((item, i) => ({ item, k: h(i) }))
    .sort((a, b) => (a.k < b.k ? -1 : 1))
    .map((x) => x.item);
}

describe('assignSplits', () => {
  const modalities = ['CT', 'MR', 'US', 'CR', 'PT'];
  const patients: SplitPatient[] = Array.from({ length: 137 }, (_, i) => ({
    key: `patient-${i}`,
    stratum: modalities[(i * 7) % 5 === 0 ? 0 : i % 5]!,
  }));

  it('puts every patient in exactly one split and respects the shares per stratum within one patient', () => {
    const assignment = assignSplits('5', patients, SHARES);
    expect([...assignment.keys()].sort()).toEqual(patients.map((p) => p.key).sort());
    for (const m of modalities) {
      const inStratum = patients.filter((p) => p.stratum === m);
      for (const { name, share } of SHARES) {
        const count = inStratum.filter((p) => assignment.get(p.key) === name).length;
        expect(Math.abs(count - inStratum.length * share)).toBeLessThan(1);
      }
    }
    // Overall, too (the leftovers of the strata do not all go to one split).
    for (const { name, share } of SHARES) {
      const count = [...assignment.values()].filter((n) => n === name).length;
      expect(Math.abs(count - patients.length * share)).toBeLessThan(2);
    }
  });

  it('is deterministic, independent of input order, and changes with the seed', () => {
    const a = assignSplits('5', patients, SHARES);
    const b = assignSplits('5', shuffled(patients, 'x'), SHARES);
    expect([...b].sort()).toEqual([...a].sort());
    expect(assignSplits('5', patients, SHARES)).toEqual(a);
    const other = assignSplits('6', patients, SHARES);
    expect([...other].some(([k, n]) => a.get(k) !== n)).toBe(true);
  });

  it('spreads one-patient strata over the splits', () => {
    const single = modalities
      .concat(['DX', 'MG', 'NM', 'XA', 'RF'])
      .map((m) => ({ key: `p-${m}`, stratum: m }));
    const names = new Set(assignSplits('1', single, SHARES).values());
    expect(names).toEqual(new Set(['train', 'validation', 'test']));
  });

  it('takes each patient primary modality: most instances, ties by name, any order', () => {
    const instances = [
      { patientId: 'b', modality: 'MR' },
      { patientId: 'a', modality: 'SR' },
      { patientId: 'a', modality: 'CT' },
      { patientId: 'a', modality: 'CT' },
      { patientId: 'b', modality: 'CT' },
    ];
    const expected = [
      { key: 'a', stratum: 'CT' },
      { key: 'b', stratum: 'CT' },
    ];
    expect(primaryModalities(instances)).toEqual(expected);
    expect(primaryModalities([...instances].reverse())).toEqual(expected);
  });
});

describe('parseSplitOption', () => {
  it('parses names and shares', () => {
    expect(parseSplitOption('train=0.6,validation=0.2,test=0.2')).toEqual(SHARES);
    expect(parseSplitOption('a-1=0.5, b=0.5')).toEqual([
      { name: 'a-1', share: 0.5 },
      { name: 'b', share: 0.5 },
    ]);
  });

  it.each([
    ['train=0.6,test=0.3', /sum to 1/],
    ['Train=0.5,test=0.5', /split name "Train"/],
    ['train=0.5,train=0.5', /given twice/],
    ['train=1,test=0', /> 0/],
    ['train=x,test=0.5', /> 0/],
    ['train', /NAME=SHARE/],
    ['', /NAME=SHARE/],
  ])('rejects %j', (text, message) => {
    expect(() => parseSplitOption(text)).toThrow(message);
  });
});

describe('generate --split', () => {
  const SEED = '11';
  let work: string;
  let input: string;
  const shares = [
    { name: 'train', share: 0.5 },
    { name: 'test', share: 0.5 },
  ];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'pseudophi-split-'));
    input = join(work, 'corpus');
    await generateCorpus({ out: input, seed: SEED, profile: 'fixture' });
    await generate({ input: join(input, 'dicom'), out: join(work, 'whole'), seed: SEED, profile: 'fixture' });
    await generate({
      input: join(input, 'dicom'),
      out: join(work, 'split'),
      seed: SEED,
      profile: 'fixture',
      split: shares,
    });
  }, 240_000);

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('writes one dataset per split, patients disjoint, their union the unsplit run', async () => {
    expect((await readdir(join(work, 'split'))).sort()).toEqual(['test', 'train']);
    const whole = readAnswerKey(join(work, 'whole', 'answer_key.db'));
    const patientsOf = (files: ReturnType<typeof readAnswerKey>['files']): Set<string> =>
      new Set(files.map((f) => f.patientId));
    const seen = new Set<string>();
    for (const { name } of shares) {
      const key = readAnswerKey(join(work, 'split', name, 'answer_key.db'));
      const patients = patientsOf(key.files);
      expect(patients.size).toBeGreaterThan(0);
      for (const p of patients) {
        expect(seen.has(p)).toBe(false);
        seen.add(p);
      }
      const manifest = JSON.parse(await readFile(join(work, 'split', name, 'manifest.json'), 'utf8')) as {
        options: { split?: unknown };
      };
      expect(manifest.options.split).toEqual({ name, shares });
    }
    expect([...seen].sort()).toEqual([...patientsOf(whole.files)].sort());
  });

  it('writes every DICOM file byte-identical to the unsplit run', async () => {
    const whole = [...(await digests(join(work, 'whole')))].filter(([p]) => p.startsWith('dicom/'));
    const union = new Map<string, string>();
    for (const { name } of shares) {
      for (const [p, sha] of await digests(join(work, 'split', name))) {
        if (!p.startsWith('dicom/')) continue;
        expect(union.has(p)).toBe(false);
        union.set(p, sha);
      }
    }
    expect(union.size).toBe(whole.length);
    for (const [p, sha] of whole) expect(union.get(p), p).toBe(sha);
  });

  it('each split verifies against its sources with no problems', async () => {
    for (const { name } of shares) {
      const report = await verifyDataset(join(work, 'split', name), undefined, {
        sources: join(input, 'dicom'),
      });
      expect(report.problems).toEqual([]);
      expect(report.files).toBeGreaterThan(0);
    }
  }, 120_000);
});

describe('pseudophi generate --split on the built-in corpus', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pseudophi-split-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes and verifies three split datasets, and nothing else', async () => {
    const out = join(dir, 'a');
    const { code, out: printed } = await runCaptured([
      'generate',
      '--out',
      out,
      '--profile',
      'fixture',
      '--split',
      'train=0.6,validation=0.2,test=0.2',
      '--quiet',
    ]);
    expect(code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['test', 'train', 'validation']);
    for (const name of ['train', 'validation', 'test']) {
      expect(printed).toMatch(new RegExp(`^split ${name} \\(0\\.[62]\\): generate: [1-9]\\d* patients`, 'm'));
      expect((await readdir(join(out, name))).sort()).toEqual([
        'answer_key.db',
        'dicom',
        'manifest.json',
        'rejects.json',
      ]);
    }
    expect(printed).toMatch(/^generate: 3 splits, 9 patients, \d+ instances in /m);
    expect(printed.match(/, 0 problems$/gm)).toHaveLength(3);
  }, 240_000);

  it('refuses a bad --split before writing anything', async () => {
    const out = join(dir, 'b');
    const { code, err } = await runCaptured(['generate', '--out', out, '--split', 'train=0.6,test=0.3']);
    expect(code).not.toBe(0);
    expect(err).toMatch(/--split .*must sum to 1/);
    await expect(readdir(out)).rejects.toThrow();
  });
});
