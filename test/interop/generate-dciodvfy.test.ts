/**
 * Issue 3, "Done when" 4: no insertion makes a compliant file non-compliant. dicom3tools' dciodvfy checks
 * every output and the input it came from (manifest.json `outputs[].source`); the output's count of Error
 * lines never exceeds the input's. Errors may go down (generate fills Type 2 attributes such as Patient
 * Name or Referring Physician's Name that some inputs lack, and maps malformed UIDs to valid ones).
 *
 * dciodvfy cannot read Deflated Explicit VR Little Endian (it parses the compressed stream as elements and
 * reports noise), so a deflated input and its output are first inflated with dcmtk's `dcmconv +te`.
 *
 * Run on the fixture corpus written into a folder (clean: no Error in any input) and on the pydicom test
 * set (real inputs, many with errors of their own). An insertion that made things worse is named in the
 * failure message by the Error lines the output has and its input has not.
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDicom, TS } from '../../src/dicom/index.js';
import { generateFrom, generateFromPydicom, readManifest, writeFixtureCorpus } from './generate-datasets.js';
import { hasCommand, mapLimit, run, TEST_FILES } from './support.js';

const DCIODVFY = 'dciodvfy';
const available = (await hasCommand(DCIODVFY)) && (await hasCommand('dcmconv'));
if (!available) {
  process.stderr.write(
    'generate-dciodvfy: dciodvfy (dicom3tools) or dcmconv (dcmtk) is missing; skipping.\n',
  );
}

interface Comparison {
  source: string;
  output: string;
  before: string[];
  after: string[];
}

let work: string;
const results = new Map<string, Comparison[]>();

/** dciodvfy's Error lines for a file (inflated first when deflated). */
async function errorLines(path: string, scratch: string): Promise<string[]> {
  let target = path;
  const header = parseDicom(new Uint8Array(readFileSync(path)), { path, untilPixelData: true });
  if (header.transferSyntaxUid === TS.DeflatedExplicitVRLittleEndian) {
    const inflated = await run('dcmconv', ['+te', path, scratch]);
    if (inflated.code !== 0) throw new Error(`dcmconv +te ${path}: ${inflated.stderr}`);
    target = scratch;
  }
  const result = await run(DCIODVFY, [target]);
  return `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => /\bError\b/.test(line));
}

async function compare(name: string, inputRoot: string, out: string): Promise<void> {
  const outputs = readManifest(out).outputs;
  const comparisons = await mapLimit(outputs, 2, async (o) => {
    const id = o.path.replace(/\W/g, '_');
    const before = await errorLines(join(inputRoot, o.source), join(work, `in-${id}`));
    const after = await errorLines(join(out, o.path), join(work, `out-${id}`));
    return { source: o.source, output: o.path, before, after };
  });
  results.set(name, comparisons);
}

beforeAll(async () => {
  if (!available) return;
  work = mkdtempSync(join(tmpdir(), 'pseudophi-generate-iod-'));
  const corpus = await writeFixtureCorpus(join(work, 'corpus'));
  await generateFrom(corpus, join(work, 'fixture-out'));
  await compare('fixture corpus', corpus, join(work, 'fixture-out'));
  await generateFromPydicom(join(work, 'pydicom-out'));
  await compare('pydicom test_files', TEST_FILES, join(work, 'pydicom-out'));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!available).each(['fixture corpus', 'pydicom test_files'])(
  'dciodvfy on generate over the %s',
  (name) => {
    it('reports no more Error lines for any output than for its input', () => {
      const comparisons = results.get(name)!;
      const worse = comparisons
        .filter((c) => c.after.length > c.before.length)
        .map((c) => {
          const added = c.after.filter((line) => !c.before.includes(line));
          return `${c.source} (${c.before.length} -> ${c.after.length} errors): ${c.output}\n  + ${added.join('\n  + ')}`;
        });
      expect(worse, worse.join('\n')).toEqual([]);
      const before = comparisons.reduce((n, c) => n + c.before.length, 0);
      const after = comparisons.reduce((n, c) => n + c.after.length, 0);
      const fewer = comparisons.filter((c) => c.after.length < c.before.length).length;
      process.stdout.write(
        `dciodvfy, ${name}: ${comparisons.length} outputs; Error lines ${before} in the inputs, ${after} in ` +
          `the outputs; ${fewer} outputs with fewer errors than their input, none with more\n`,
      );
      expect(comparisons.length).toBeGreaterThan(0);
    });

    it('adds no Error line its input does not have, once UIDs are masked', () => {
      // Stronger than the count: an output that lost one error and gained another is caught too.
      const mask = (line: string): string => line.replace(/\b\d+(\.\d+)*\b/g, '#');
      const gained = results.get(name)!.flatMap((c) => {
        const left = [...c.before.map(mask)];
        return c.after
          .map(mask)
          .filter((line) => {
            const i = left.indexOf(line);
            if (i < 0) return true;
            left.splice(i, 1);
            return false;
          })
          .map((line) => `${c.source}: ${line}`);
      });
      expect(gained, gained.join('\n')).toEqual([]);
    });
  },
);

describe.skipIf(!available)('dciodvfy on generate over the clean fixture corpus', () => {
  it('finds no Error at all in any input or output', () => {
    const failing = results
      .get('fixture corpus')!
      .filter((c) => c.before.length + c.after.length > 0)
      .map((c) => `${c.source} -> ${c.output}\n  ${[...c.before, ...c.after].join('\n  ')}`);
    expect(failing, failing.join('\n')).toEqual([]);
  });
});
