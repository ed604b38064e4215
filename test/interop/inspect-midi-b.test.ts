/**
 * `indexDataset()` (src/dicom/midi-b.ts) and `pseudophi inspect` against an independent reimplementation of
 * the MIDI-B script's indexer on pydicom (test/interop/python/midi_b_index.py), on every pydicom test file
 * our reader accepts: the same paths in the same order, and for every element that is not a sequence the
 * same VR, name and value. Sequence values are not compared: pydicom prints the nested data sets
 * (`str(Sequence)`), which the answer key never uses as a value; only their paths matter.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { indexDataset, parseDicom, type IndexedElement } from '../../src/dicom/index.js';
import { pydicomTestFiles, run, runPythonScript, TEST_FILES } from './support.js';

type PyRow = [tagDs: string, vr: string, name: string, value: string];

interface IndexAnswer {
  pydicom: string;
  files: Record<string, { rows?: PyRow[]; error?: string }>;
}

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js');

const ours = new Map<string, IndexedElement[]>();
let theirs: IndexAnswer;

beforeAll(async () => {
  const files: Array<{ id: string; path: string }> = [];
  for (const name of pydicomTestFiles()) {
    const path = join(TEST_FILES, name);
    try {
      ours.set(name, indexDataset(parseDicom(new Uint8Array(readFileSync(path)), { path }).dataset));
      files.push({ id: name, path });
    } catch {
      // Rejected files are pydicom-roundtrip.test.ts's subject.
    }
  }
  theirs = await runPythonScript<IndexAnswer>('midi_b_index.py', { files });
});

describe('indexDataset agrees with the MIDI-B indexer on pydicom', () => {
  it('indexes every readable file', () => {
    expect(ours.size).toBeGreaterThanOrEqual(60);
    for (const name of ours.keys()) expect(theirs.files[name]?.error, name).toBeUndefined();
  });

  it('gives the same tag_ds paths, in the same order', () => {
    let paths = 0;
    for (const [name, rows] of ours) {
      const expected = theirs.files[name]!.rows!.map((r) => r[0]);
      expect(
        rows.map((r) => r.pathText),
        name,
      ).toEqual(expected);
      paths += expected.length;
    }
    expect(paths).toBeGreaterThan(5000);
  });

  it('gives the same VR, name and value for every element that is not a sequence', () => {
    let values = 0;
    for (const [name, rows] of ours) {
      const expected = theirs.files[name]!.rows!;
      rows.forEach((row, i) => {
        const [path, vr, tagName, value] = expected[i]!;
        if (vr === 'SQ') {
          expect(row.vr, `${name} ${path}`).toBe('SQ');
          return;
        }
        expect([row.vr, row.name, row.value], `${name} ${path}`).toEqual([vr, tagName, value]);
        values++;
      });
    }
    expect(values).toBeGreaterThan(4000);
  });
});

describe('pseudophi inspect --json', () => {
  it.each(['CT_small.dcm', 'nested_priv_SQ.dcm', 'rtplan.dcm'])(
    'prints the MIDI-B paths and values of %s',
    async (name) => {
      expect(existsSync(CLI), `${CLI} is missing: run npm run build first`).toBe(true);
      const result = await run(process.execPath, [CLI, 'inspect', '--json', join(TEST_FILES, name)]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const lines = Buffer.from(result.stdout, 'latin1').toString('utf8').trimEnd().split('\n');
      const printed = lines.map(
        (line) =>
          JSON.parse(line) as { tag_ds: string; vr: string; name: string; value: string; depth: number },
      );
      const expected = theirs.files[name]!.rows!;
      expect(printed.map((p) => p.tag_ds)).toEqual(expected.map((r) => r[0]));
      printed.forEach((p, i) => {
        const [path, vr, tagName, value] = expected[i]!;
        expect(p.depth).toBe((path.match(/\[</g) ?? []).length);
        if (vr !== 'SQ') expect([p.vr, p.name, p.value], path).toEqual([vr, tagName, value]);
      });
    },
  );

  it('fails with one clear line and exit code 1 on a file that is not DICOM', async () => {
    const path = join(TEST_FILES, 'README.txt');
    const result = await run(process.execPath, [CLI, 'inspect', '--json', path]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `pseudophi: ${path}: not a DICOM file: no DICM marker and no plausible first element at byte offset 0\n`,
    );
  });
});
