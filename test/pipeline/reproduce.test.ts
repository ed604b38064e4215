import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { printReproduceReport, registerReproduce } from '../../src/cli/commands/reproduce.js';
import { generateCorpus } from '../../src/corpus/index.js';
import { generate } from '../../src/pipeline/generate.js';
import { reproduce } from '../../src/pipeline/reproduce.js';

const SEED = '11';
let work: string;

/** Runs `pseudophi reproduce ARGS` through its command file; the error it throws, and what it printed. */
async function runReproduceCommand(
  args: readonly string[],
): Promise<{ error: unknown; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  const program = new Command('pseudophi').exitOverride();
  registerReproduce(program);
  try {
    await program.parseAsync(['node', 'pseudophi', 'reproduce', ...args, '--quiet']);
    return { error: undefined, out, err };
  } catch (error) {
    return { error, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pseudophi-reproduce-'));
  await generate({ out: join(work, 'ds'), seed: SEED, profile: 'fixture' });
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('reproduce a dataset made from the built-in corpus', () => {
  it('regenerates it byte for byte', async () => {
    const report = await reproduce(join(work, 'ds'), { out: join(work, 'again') });
    expect(report.generated).toBe(true);
    expect(report.reproduced).toBe(true);
    expect(report).toMatchObject({
      seed: SEED,
      input: 'corpus:fixture',
      profile: 'fixture',
      patients: null,
      differing: [],
      onlyInDir: [],
      onlyInOut: [],
      notCompared: [],
      inputProblems: [],
      versions: [],
      options: [],
    });
    expect(report.identical).toEqual(
      expect.arrayContaining(['answer_key.db', 'manifest.json', 'rejects.json']),
    );
    const manifest = JSON.parse(await readFile(join(work, 'ds', 'manifest.json'), 'utf8')) as {
      outputs: Array<{ path: string }>;
    };
    expect(report.identical).toHaveLength(manifest.outputs.length + 3);
    expect(report.inputsChecked).toBe(manifest.outputs.length);
  });

  it('reports a file changed after generation as differing, by path, and extra files', async () => {
    const tampered = join(work, 'tampered');
    await cp(join(work, 'ds'), tampered, { recursive: true });
    const manifest = JSON.parse(await readFile(join(tampered, 'manifest.json'), 'utf8')) as {
      outputs: Array<{ path: string; sha256: string }>;
    };
    const victim = manifest.outputs[1]!;
    await appendFile(join(tampered, victim.path), Buffer.from([0]));
    const stray = `${victim.path.slice(0, victim.path.lastIndexOf('/'))}/stray.dcm`;
    await writeFile(join(tampered, stray), 'not part of the dataset');
    await writeFile(join(tampered, 'report.html'), '<html></html>');

    const report = await reproduce(tampered, { out: join(work, 'tampered-again') });
    expect(report.reproduced).toBe(false);
    expect(report.differing).toEqual([
      expect.objectContaining({ path: victim.path, reproduced: victim.sha256, recorded: victim.sha256 }),
    ]);
    expect(report.differing[0]!.original).not.toBe(victim.sha256);
    expect(report.onlyInDir).toEqual([stray]);
    expect(report.onlyInOut).toEqual([]);
    expect(report.notCompared).toEqual(['report.html']);
    expect(report.identical).toHaveLength(manifest.outputs.length + 2);

    // The command prints the paths and fails (exit code 1).
    let err = '';
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
    try {
      expect(() => printReproduceReport(report)).toThrow(/1 differing, 1 only in/);
    } finally {
      e.mockRestore();
    }
    expect(err).toContain(`differs: ${victim.path} (changed since generated`);
    expect(err).toContain(`only in ${tampered}: ${stray}`);
    expect(err).toContain('not compared: report.html');
  });

  it('refuses --input for a run that used no folder, and an output folder inside DIR', async () => {
    await expect(reproduce(join(work, 'ds'), { out: join(work, 'x'), input: work })).rejects.toThrow(
      /built-in corpus.*without --input/,
    );
    await expect(reproduce(join(work, 'ds'), { out: join(work, 'ds', 'again') })).rejects.toThrow(
      /must be outside/,
    );
  });
});

describe('reproduce a dataset made from an input folder', () => {
  let corpus: string;
  let dataset: string;
  beforeAll(async () => {
    corpus = join(work, 'corpus');
    await generateCorpus({ out: corpus, seed: SEED, profile: 'fixture' }, { progress: () => undefined });
    dataset = join(work, 'from-folder');
    await generate({ input: join(corpus, 'dicom'), out: dataset, seed: SEED, profile: 'fixture' });
  });

  it('is refused without --input', async () => {
    await expect(reproduce(dataset, { out: join(work, 'no-input') })).rejects.toThrow(
      /generated from an input folder.*--input/,
    );
    const { error } = await runReproduceCommand([dataset, '--out', join(work, 'no-input-cli')]);
    expect(String(error)).toMatch(/--input/);
  });

  it('regenerates it byte for byte with --input', async () => {
    const report = await reproduce(dataset, {
      out: join(work, 'folder-again'),
      input: join(corpus, 'dicom'),
    });
    expect(report.input).toBe('folder');
    expect(report.inputProblems).toEqual([]);
    expect(report.reproduced).toBe(true);
    expect(report.differing).toEqual([]);
    expect(report.identical.length).toBeGreaterThan(3);

    const cli = await runReproduceCommand([
      dataset,
      '--out',
      join(work, 'folder-again-cli'),
      '--input',
      join(corpus, 'dicom'),
    ]);
    expect(cli.error).toBeUndefined();
    expect(cli.out).toMatch(/0 differing, 0 only in .*reproduced byte for byte/);
  });

  it('reports a changed, a missing and an unrecorded input before generating anything', async () => {
    const changed = join(work, 'changed');
    await cp(join(corpus, 'dicom'), changed, { recursive: true });
    const manifest = JSON.parse(await readFile(join(dataset, 'manifest.json'), 'utf8')) as {
      inputs: Array<{ path: string }>;
    };
    const [first, second] = manifest.inputs.map((i) => i.path).sort();
    await appendFile(join(changed, first!), Buffer.from([0]));
    await rm(join(changed, second!));
    await mkdir(join(changed, 'new'));
    await writeFile(join(changed, 'new', 'extra.dcm'), 'added after the run');

    const out = join(work, 'changed-again');
    const report = await reproduce(dataset, { out, input: changed });
    expect(report.generated).toBe(false);
    expect(report.reproduced).toBe(false);
    expect(report.inputsChecked).toBe(manifest.inputs.length);
    expect(report.inputProblems).toEqual(
      [
        { path: first!, problem: 'differs' },
        { path: second!, problem: 'missing' },
        { path: 'new/extra.dcm', problem: 'unrecorded' },
      ].sort((a, b) => (a.path < b.path ? -1 : 1)),
    );
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);

    const cli = await runReproduceCommand([dataset, '--out', out, '--input', changed]);
    expect(String(cli.error)).toMatch(/nothing was generated/);
    expect(cli.err).toContain(`differs: ${first!}`);
    expect(cli.err).toContain(`missing: ${second!}`);
  });
});

describe('reproduce without a manifest', () => {
  it('is a clear error naming the file', async () => {
    const empty = join(work, 'empty');
    await mkdir(empty);
    await expect(reproduce(empty, { out: join(work, 'empty-out') })).rejects.toThrow(
      new RegExp(`${join(empty, 'manifest.json').replace(/[.\\/]/g, '\\$&')}: not found`),
    );
    await writeFile(join(empty, 'manifest.json'), '{"seed": "1"');
    await expect(reproduce(empty, { out: join(work, 'empty-out') })).rejects.toThrow(
      /manifest\.json: not readable JSON/,
    );
    await writeFile(join(empty, 'manifest.json'), '{"seed": "1", "options": {"input": "elsewhere"}}');
    await expect(reproduce(empty, { out: join(work, 'empty-out') })).rejects.toThrow(/options\.input/);
  });
});
