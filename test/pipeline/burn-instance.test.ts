import { readFile, readdir, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../src/corpus/index.js';
import {
  decodePixels,
  getString,
  initializeCodecs,
  parseDicom,
  requireTag,
  writeDicom,
  type DicomFile,
} from '../../src/dicom/index.js';
import { planPatientIdentity, planStudyIdentity } from '../../src/identity/index.js';
import { IdentityValues } from '../../src/insert/index.js';
import {
  burnInstance,
  burnValues,
  chooseBurn,
  DEFAULT_BURN_SHARES,
} from '../../src/pipeline/burn-instance.js';
import { checkBurnedPixels, parseHiddenBox } from '../../src/pipeline/verify-pixels.js';

let dir: string;
const files: Array<{ path: string; file: DicomFile; modality: string }> = [];

async function walk(d: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(d, { withFileTypes: true })) {
    const full = join(d, e.name);
    if (e.isDirectory()) out.push(...(await walk(full)));
    else if (e.name.endsWith('.dcm')) out.push(full);
  }
  return out.sort();
}

beforeAll(async () => {
  await initializeCodecs();
  dir = await mkdtemp(join(tmpdir(), 'pseudophi-burn-instance-'));
  await generateCorpus({ out: dir, seed: '5', profile: 'fixture' }, { progress: () => undefined });
  for (const path of await walk(join(dir, 'dicom'))) {
    const file = parseDicom(await readFile(path), { path });
    const modality = getString(file.dataset, requireTag('Modality')) ?? 'OT';
    if (file.dataset.has(requireTag('PixelData'))) files.push({ path, file, modality });
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function identityFor(file: DicomFile, modality: string): IdentityValues {
  const ds = file.dataset;
  const patientId = getString(ds, requireTag('PatientID'))!;
  const studyDate = getString(ds, requireTag('StudyDate'));
  const patient = planPatientIdentity('5', {
    key: patientId,
    sex: getString(ds, requireTag('PatientSex')),
    studyDates: studyDate ? [studyDate] : [],
  });
  const study = planStudyIdentity('5', patient, {
    key: getString(ds, requireTag('StudyInstanceUID'))!,
    studyDate,
    modalities: [modality],
  });
  return new IdentityValues(patient, study, modality);
}

describe('burnInstance on the fixture corpus', () => {
  it('burns the identity into every pixel format of the corpus, changing pixels only inside the boxes', () => {
    const burned = new Set<string>();
    const roomy = new Set<string>();
    for (const { file: source, modality } of files) {
      const before = decodePixels(source);
      const copy = parseDicom(writeDicom(source));
      const sop = getString(copy.dataset, requireTag('SOPInstanceUID'))!;
      const values = burnValues(identityFor(copy, modality), copy);
      const outcome = burnInstance(copy, '5', sop, modality, values);
      // Legible text needs room: images with a short side of 128 px or more must take it.
      if (Math.min(before.description.rows, before.description.columns) >= 128) roomy.add(modality);
      if (!outcome) continue;
      burned.add(modality);
      const written = parseDicom(writeDicom(copy));
      expect(getString(written.dataset, requireTag('BurnedInAnnotation'))).toBe('YES');
      const after = decodePixels(written);
      expect(after.frames).toHaveLength(before.frames.length);
      const { columns, samplesPerPixel, bitsAllocated } = after.description;
      const bytesPerSample = bitsAllocated / 8;
      const planar = after.description.planarConfiguration === 1;
      // Every changed sample lies inside a recorded box of its frame; every box has a changed sample.
      const boxes = outcome.rows;
      for (let f = 0; f < after.frames.length; f++) {
        const a = before.frames[f]!;
        const b = after.frames[f]!;
        const frameBoxes = boxes.filter((r) => r.frame === f);
        const changedIn = new Set<number>();
        const planeSize = a.length / (planar ? samplesPerPixel : 1);
        for (let i = 0; i < a.length; i++) {
          if (a[i] === b[i]) continue;
          const sampleIndex = Math.floor((planar ? i % planeSize : i) / bytesPerSample);
          const pixel = planar ? sampleIndex : Math.floor(sampleIndex / samplesPerPixel);
          const x = pixel % columns;
          const y = Math.floor(pixel / columns);
          const inside = frameBoxes.findIndex(
            (r) => x >= r.left && x < r.left + r.width && y >= r.top && y < r.top + r.height,
          );
          expect(
            inside,
            `${modality} frame ${f} pixel ${x},${y} changed outside every box`,
          ).toBeGreaterThanOrEqual(0);
          changedIn.add(inside);
        }
        for (let k = 0; k < frameBoxes.length; k++)
          expect(changedIn.has(k), `${modality} box ${k} unchanged`).toBe(true);
      }
      // verify's independent pixel truth agrees: nothing outside the recorded line boxes (PHI and decoys),
      // something inside each; and every PHI block's MIDI-B box holds changed pixels.
      const lines = outcome.rows.map((r) => ({
        topLeft: [r.left, r.top] as const,
        bottomRight: [r.left + r.width, r.top + r.height] as const,
      }));
      expect(checkBurnedPixels(source, written, lines), modality).toEqual([]);
      const hidden = outcome.checks.map((c) => parseHiddenBox(c.actionText));
      expect(checkBurnedPixels(source, written, hidden).filter((p) => /no changed pixel/.test(p))).toEqual(
        [],
      );
      for (const check of outcome.checks) {
        const box = JSON.parse(check.actionText) as {
          text: string;
          top_left: number[];
          bottom_right: number[];
        };
        expect(box.text.length).toBeGreaterThan(0);
        expect(box.bottom_right[0]!).toBeGreaterThan(box.top_left[0]!);
      }
    }
    // Grey and colour images, compressed and not, took text wherever there was room for it.
    expect([...roomy].sort()).toEqual(expect.arrayContaining(['CR', 'DX', 'MG']));
    for (const m of roomy) expect(burned.has(m), m).toBe(true);
    process.stdout.write(
      `burned: ${[...burned].sort().join(', ')}; large enough: ${[...roomy].sort().join(', ')}\n`,
    );
  });

  it('pixel truth fails when a pixel outside the boxes changed, or a box holds no change', () => {
    const { file: source, modality } = files.find((f) => f.modality === 'CR')!;
    const copy = parseDicom(writeDicom(source));
    const sop = getString(copy.dataset, requireTag('SOPInstanceUID'))!;
    const outcome = burnInstance(copy, '5', sop, modality, burnValues(identityFor(copy, modality), copy))!;
    const hidden = outcome.checks.map((c) => parseHiddenBox(c.actionText));
    const written = parseDicom(writeDicom(copy));
    // A box elsewhere than the text: its pixels did not change, and the text's pixels are outside it.
    const misplaced = hidden.map((b) => ({
      topLeft: [0, 0] as const,
      bottomRight: [1, 1] as const,
      ...{ _: b },
    }));
    const problems = checkBurnedPixels(source, written, misplaced);
    expect(problems.some((p) => /changed outside every recorded box/.test(p))).toBe(true);
    expect(problems.some((p) => /holds no changed pixel/.test(p))).toBe(true);
  });

  it('chooses instances by a seeded share per modality: all ultrasound, about half the radiographs', () => {
    const pick = (modality: string, n: number): number =>
      Array.from({ length: n }, (_, i) =>
        chooseBurn('1', DEFAULT_BURN_SHARES, {
          sopInstanceUid: `1.2.${i}`,
          sopClassUid: '1.2.840.10008.5.1.4.1.1.1',
          modality,
        }),
      ).filter(Boolean).length;
    expect(pick('US', 50)).toBe(50);
    expect(pick('CR', 400)).toBeGreaterThan(160);
    expect(pick('CR', 400)).toBeLessThan(240);
    expect(pick('SR', 50)).toBe(0);
    expect(
      chooseBurn('1', DEFAULT_BURN_SHARES, {
        sopInstanceUid: '9',
        sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
        modality: 'OT',
      }),
    ).toBe(true);
  });
});
