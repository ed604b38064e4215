/**
 * CheckDeriver (the cached deriver generate uses) gives exactly deriveChecks' checks, in the same order,
 * over every instance of the fixture corpus and of a series that repeats, and hands them out frozen.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckDeriver, deriveChecks, isFrozenCheck, type DeriveInput } from '../../src/answerkey/index.js';
import { generateCorpus } from '../../src/corpus/index.js';
import {
  getString,
  parseDicom,
  requireTag,
  setStrings,
  storedPixelDataMd5,
  Tags,
  writeDicom,
} from '../../src/dicom/index.js';
import { applyPlan } from '../../src/insert/index.js';
import { planRun } from '../../src/pipeline/generate.js';

let work: string;
/** Every instance of the corpus as generate derives it: the output data set, its plan, class, MD5. */
let inputs: DeriveInput[];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pseudophi-derive-'));
  await generateCorpus({ out: work, seed: '3', profile: 'fixture' }, { progress: () => undefined });
  const planner = await planRun(join(work, 'dicom'), '3');
  inputs = [];
  for (const source of planner.scan.instances) {
    const file = parseDicom(new Uint8Array(await readFile(source.path)));
    const plan = planner.plan(source, file.dataset);
    applyPlan(file.dataset, plan);
    const sop = getString(file.dataset, requireTag('SOPInstanceUID'));
    if (sop) setStrings(file.meta, Tags.MediaStorageSOPInstanceUID, sop, 'UI');
    const output = parseDicom(writeDicom(file)).dataset;
    inputs.push({
      output,
      plan,
      sopClassUid: source.sopClassUid,
      pixelDataMd5: storedPixelDataMd5(output),
    });
  }
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('CheckDeriver', () => {
  it('derives what deriveChecks derives, instance by instance, twice over', () => {
    expect(inputs.length).toBeGreaterThan(20);
    const deriver = new CheckDeriver();
    for (const input of [...inputs, ...inputs]) expect(deriver.derive(input)).toEqual(deriveChecks(input));
  });

  it('hands out frozen checks, shared between instances that print alike', () => {
    const deriver = new CheckDeriver();
    const [a, b] = [deriver.derive(inputs[0]!), deriver.derive(inputs[0]!)];
    expect(a.every(isFrozenCheck)).toBe(true);
    expect(b.every((c, i) => c === a[i])).toBe(true);
    expect(() => {
      (a[0]!.categories.hipaa as { z: string | null }).z = 'HIPAA-A';
    }).toThrow(TypeError);
  });
});
