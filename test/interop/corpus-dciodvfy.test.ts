/**
 * The clean corpus is IOD-compliant: dicom3tools' dciodvfy reports no Error for any file of the `fixture`
 * profile (every modality, SOP class and transfer syntax the corpus writes). Warnings are allowed; the
 * expected ones are listed in templates/corpus/README.md.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../src/corpus/index.js';
import { hasCommand, mapLimit, run } from './support.js';

const DCIODVFY = 'dciodvfy';
const available = await hasCommand(DCIODVFY);
if (!available) {
  process.stderr.write(
    'corpus-dciodvfy: dciodvfy (dicom3tools) is not installed; skipping. CI installs it.\n',
  );
}

describe.skipIf(!available)('corpus files pass dciodvfy', () => {
  let dir = '';
  let files: string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pseudophi-corpus-iod-'));
    const summary = await generateCorpus({ out: dir, seed: '1', profile: 'fixture' });
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      files: Record<string, string>;
    };
    files = Object.keys(manifest.files).map((f) => join(dir, f));
    expect(files.length).toBe(summary.instances);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports no Error for any file', async () => {
    const reports = await mapLimit(files, 4, async (file) => {
      const result = await run(DCIODVFY, [file]);
      const text = `${result.stdout}\n${result.stderr}`;
      return { file, errors: text.split('\n').filter((line) => /\bError\b/.test(line)) };
    });
    const failing = reports.filter((r) => r.errors.length > 0);
    expect(failing, failing.map((r) => `${r.file}\n  ${r.errors.join('\n  ')}`).join('\n')).toEqual([]);
  });
});
