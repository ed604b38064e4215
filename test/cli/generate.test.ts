import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../helpers/cli.js';
import { parseDicom, requireTag, setStrings, writeDicom } from '../../src/dicom/index.js';

let dir: string;

const capture = runCaptured;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pseudophi-cli-generate-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pseudophi generate and verify', () => {
  it('generates the fixture dataset, verifies it, and prints the checks per action', async () => {
    const { code, out } = await capture([
      'generate',
      '--out',
      join(dir, 'a'),
      '--profile',
      'fixture',
      '--seed',
      '3',
      '--quiet',
    ]);
    expect(code).toBe(0);
    expect(out).toMatch(
      /^generate: 9 patients, .* instances \(0 rejected, \d+ with burned-in text\), \d+ checks in /,
    );
    // Counts per action and per MIDI-B category, largest first.
    expect(out).toMatch(/^ {2}checks by action: text_retained \d+, text_removed \d+, .*pixels_hidden \d+/m);
    expect(out).toMatch(/^ {2}checks by category: .*DICOM-IOD-1 \d+, .*HIPAA-A \d+/m);
    expect(out).toMatch(
      /^verify: \d+ files, \d+ checks, \d+ burned images checked against their sources, 0 problems$/m,
    );
  });

  it('verify fails, naming the file and the check, when an output file no longer matches its key', async () => {
    const manifest = JSON.parse(await readFile(join(dir, 'a', 'manifest.json'), 'utf8')) as {
      outputs: Array<{ path: string }>;
    };
    const victim = join(dir, 'a', manifest.outputs[0]!.path);
    const file = parseDicom(await readFile(victim));
    // A de-identifier-like edit the key does not expect: the patient's name blanked.
    setStrings(file.dataset, requireTag('PatientName'), 'ANONYMOUS');
    await writeFile(victim, writeDicom(file));
    const { code, err } = await capture(['verify', join(dir, 'a'), '--quiet']);
    expect(code).toBe(1);
    expect(err).toContain(manifest.outputs[0]!.path);
    expect(err).toMatch(/SHA-256 differs from manifest\.json/);
    expect(err).toMatch(/<\(0010,0010\)>: text_removed: value "[^"]+" is not the file's "ANONYMOUS"/);
    expect(err).toMatch(/pseudophi: verify: \d+ files, \d+ checks, [^,]*burned[^,]*, [1-9]\d* problems/);
  });

  it('refuses an output folder that holds files, with exit code 1', async () => {
    const { code, err } = await capture([
      'generate',
      '--out',
      join(dir, 'a'),
      '--profile',
      'fixture',
      '--quiet',
    ]);
    expect(code).toBe(1);
    expect(err).toMatch(/is not empty/);
  });

  it('rejects a bad --seed as a usage error naming the option', async () => {
    const { code, err } = await capture(['generate', '--out', join(dir, 'b'), '--seed', 'abc']);
    expect(code).toBe(1);
    expect(err).toMatch(/--seed must be an integer/);
  });
});
