/**
 * What the corpus files hold: the TCIA curated look in every header, the path layout, and pixels that
 * decode (from every transfer syntax) to exactly the frames that were synthesised.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodePixels,
  getPrivate,
  getString,
  initializeCodecs,
  parseDicom,
  readStrings,
  requireTag,
  Tags,
  textCodecOf,
  type DicomFile,
} from '../../src/dicom/index.js';
import { REFERENCE_DATE } from '../../src/config/reference-date.js';
import { countPlan, loadCorpusTemplates, loadProfile, planCorpus } from '../../src/corpus/index.js';
import { buildInstance } from '../../src/corpus/modalities/index.js';
import { instanceContexts, instancePath } from '../../src/corpus/write.js';
import { generateInto, tempDir } from './helpers.js';

const tag = requireTag;

describe('fixture corpus instances', () => {
  const out = tempDir('inst');
  let files: Record<string, string> = {};
  const read = (path: string): DicomFile => parseDicom(new Uint8Array(readFileSync(join(out.dir, path))));
  beforeAll(async () => {
    await initializeCodecs();
    files = (await generateInto(out.dir, { seed: '1', profile: 'fixture' })).files;
  });
  afterAll(() => out.cleanup());

  it('covers every modality, the SR and SC classes and every transfer syntax', () => {
    const modalities = new Set<string>();
    const syntaxes = new Set<string>();
    const classes = new Set<string>();
    for (const path of Object.keys(files)) {
      const f = read(path);
      modalities.add(getString(f.dataset, tag('Modality'))!);
      syntaxes.add(f.transferSyntaxUid);
      classes.add(getString(f.dataset, Tags.SOPClassUID)!);
    }
    expect([...modalities].sort()).toEqual(['CR', 'CT', 'DX', 'MG', 'MR', 'OT', 'PT', 'SR', 'US']);
    expect(syntaxes.size).toBe(6);
    expect(classes.size).toBeGreaterThanOrEqual(11);
  });

  it('has the TCIA curated look in every header', () => {
    for (const path of Object.keys(files)) {
      const ds = read(path).dataset;
      const [, patientId, studyUid, seriesUid, name] = path.split('/');
      expect(getString(ds, tag('PatientID'))).toBe(patientId);
      expect(getString(ds, tag('PatientName'))).toBe(patientId);
      expect(patientId).toMatch(/^[A-Z][A-Z0-9-]*-\d{3,}$/);
      expect(getString(ds, tag('StudyInstanceUID'))).toBe(studyUid);
      expect(getString(ds, tag('SeriesInstanceUID'))).toBe(seriesUid);
      expect(name).toMatch(/^\d{8}\.dcm$/);
      expect(Number(name!.slice(0, 8))).toBe(Number(getString(ds, tag('InstanceNumber'))));
      for (const uid of [studyUid!, seriesUid!, getString(ds, Tags.SOPInstanceUID)!]) {
        expect(uid.startsWith('1.3.6.1.4.1.14519.5.2.1.')).toBe(true);
        expect(uid.length).toBeLessThanOrEqual(64);
      }
      expect(getString(ds, tag('PatientIdentityRemoved'))).toBe('YES');
      expect(getString(ds, tag('DeidentificationMethod'))).toBeTruthy();
      const codes = ds
        .get(tag('DeidentificationMethodCodeSequence'))!
        .items!.map((i) => getString(i, tag('CodeValue')));
      expect(codes).toEqual(
        expect.arrayContaining(['113100', '113101', '113105', '113107', '113108', '113109', '113111']),
      );
      const collection = getPrivate(ds, 0x0013, 'CTP', 0x10);
      expect(collection && readStrings(collection, textCodecOf(ds))[0]).toBeTruthy();
      // Emptied by TCIA's curation (Type 2, present and empty).
      for (const k of ['PatientBirthDate', 'AccessionNumber', 'ReferringPhysicianName', 'StudyID']) {
        expect(ds.has(tag(k)), k).toBe(true);
        expect(getString(ds, tag(k)), k).toBeUndefined();
      }
      expect(getString(ds, tag('StudyDate'))! < '20240101').toBe(true);
    }
  });

  it('decodes every image, compressed or not, to exactly the synthesised frames', () => {
    const profile = loadProfile('fixture');
    const templates = loadCorpusTemplates();
    const plan = planCorpus({
      profile,
      templates,
      seed: '1',
      patients: profile.patients,
      referenceDate: REFERENCE_DATE,
    });
    let images = 0;
    for (const ctx of instanceContexts(plan, templates)) {
      const built = buildInstance(ctx);
      const file = read(instancePath(ctx));
      if (!built.pixels) {
        expect(file.dataset.has(Tags.PixelData)).toBe(false);
        continue;
      }
      const decoded = decodePixels(file);
      expect(decoded.frames.length).toBe(built.pixels.frames.length);
      decoded.frames.forEach((frame, i) =>
        expect(Buffer.compare(Buffer.from(frame), Buffer.from(built.pixels!.frames[i]!))).toBe(0),
      );
      images++;
    }
    expect(images).toBeGreaterThan(20);
    expect(countPlan(plan).instances).toBe(Object.keys(files).length);
  });

  it('keeps CT geometry consistent along a series and references the localizer', () => {
    const all = Object.keys(files).map((path) => ({ path, ds: read(path).dataset }));
    const imageType3 = (ds: DicomFile['dataset']): string | undefined => {
      const element = ds.get(tag('ImageType'));
      return element ? readStrings(element, textCodecOf(ds))[2] : undefined;
    };
    const localizers = all.filter(({ ds }) => imageType3(ds) === 'LOCALIZER');
    expect(localizers.length).toBeGreaterThan(0);
    const ct = all.filter(
      ({ ds }) =>
        getString(ds, tag('Modality')) === 'CT' &&
        imageType3(ds) === 'AXIAL' &&
        getString(ds, tag('StudyInstanceUID')) === getString(localizers[0]!.ds, tag('StudyInstanceUID')),
    );
    expect(ct.length).toBeGreaterThan(2);
    const num = (ds: (typeof ct)[number]['ds'], k: string): number[] =>
      readStrings(ds.get(tag(k))!, textCodecOf(ds)).map(Number);
    const z = ct.map(({ ds }) => num(ds, 'ImagePositionPatient')[2]!);
    const steps = z.slice(1).map((v, i) => Math.round((z[i]! - v) * 1000) / 1000);
    const thickness = num(ct[0]!.ds, 'SliceThickness')[0]!;
    for (const step of steps) expect(step).toBeCloseTo(thickness, 3);
    const frames = new Set(ct.map(({ ds }) => getString(ds, tag('FrameOfReferenceUID'))));
    expect(frames.size).toBe(1);
    for (const { ds } of ct)
      expect(num(ds, 'SliceLocation')[0]).toBeCloseTo(num(ds, 'ImagePositionPatient')[2]!, 3);
  });
});
