/**
 * A generator lets go of the pixel codecs it started once a burned image is written (their WebAssembly
 * memory keeps every page it touched), and leaves running the codecs another user of the thread started.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../src/corpus/index.js';
import {
  codecsRunning,
  initializeCodecs,
  lookupTransferSyntax,
  parseDicom,
  readInputFile,
  releaseCodecs,
} from '../../src/dicom/index.js';
import { InstanceGenerator } from '../../src/pipeline/instance.js';
import { planRun } from '../../src/pipeline/planner.js';
import { listFiles } from '../../src/pipeline/scan.js';

let work: string;
let input: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pseudophi-codecs-release-'));
  await generateCorpus({ out: join(work, 'corpus'), seed: '5', profile: 'fixture' }, { progress: () => {} });
  // One instance whose pixels are encapsulated, alone in an input folder.
  for (const path of await listFiles(join(work, 'corpus', 'dicom'))) {
    const file = parseDicom(await readFile(path), { path });
    if (lookupTransferSyntax(file.transferSyntaxUid)?.encapsulated) {
      input = join(work, 'in');
      await mkdir(input);
      await copyFile(path, join(input, basename(path)));
      break;
    }
  }
  // The corpus writer started the codecs in this thread for its compressed instances.
  releaseCodecs();
}, 60_000);

afterAll(async () => {
  releaseCodecs();
  await rm(work, { recursive: true, force: true });
});

/** Generates the one input with burned-in text whatever its modality; the number of pixels_hidden checks. */
async function generateBurned(): Promise<number> {
  const planner = await planRun(input, '5');
  const source = planner.scan.instances[0]!;
  const generator = new InstanceGenerator(planner, { [source.modality]: 1 });
  const result = await generator.generate(
    { scanIndex: 0, source, indexInSeries: 1 },
    await readInputFile(source.path),
  );
  if ('rejected' in result) throw new Error(result.rejected);
  return result.checks.filter((c) => c.action === 'pixels_hidden').length;
}

describe('the codecs of burned-in text', () => {
  it('are let go after the image when the generator started them', async () => {
    expect(input).toBeDefined();
    expect(codecsRunning()).toBe(false);
    expect(await generateBurned()).toBeGreaterThan(0);
    expect(codecsRunning()).toBe(false);
  });

  it('are left running when another user of the thread started them', async () => {
    expect(await initializeCodecs()).toBe(true);
    expect(await initializeCodecs()).toBe(false);
    expect(await generateBurned()).toBeGreaterThan(0);
    expect(codecsRunning()).toBe(true);
  });
});
