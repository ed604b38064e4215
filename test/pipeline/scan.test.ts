import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DicomDataset, requireTag, setStrings, writeDicom, createDicomFile } from '../../src/dicom/index.js';
import { scanInputs } from '../../src/pipeline/scan.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

function instance(
  patient: string,
  study: string,
  series: string,
  sop: string,
  number: number,
  omit?: string,
): Uint8Array {
  const ds = new DicomDataset();
  const s = (k: string, v: string): void => {
    if (k !== omit) setStrings(ds, requireTag(k), v);
  };
  s('SOPClassUID', '1.2.840.10008.5.1.4.1.1.7');
  s('SOPInstanceUID', sop);
  s('Modality', 'OT');
  s('PatientID', patient);
  s('StudyInstanceUID', study);
  s('SeriesInstanceUID', series);
  s('InstanceNumber', String(number));
  return writeDicom(createDicomFile(ds));
}

async function folder(files: Record<string, Uint8Array | string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pseudophi-scan-'));
  dirs.push(dir);
  for (const [name, bytes] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), bytes);
  }
  return dir;
}

describe('scanInputs', () => {
  it('uses every readable DICOM file, sorted by patient, study, series and instance number, not by name', async () => {
    const dir = await folder({
      'z/last.dcm': instance('P1', '1.1', '1.1.1', '1.1.1.1', 1),
      'a/b/c/first': instance('P2', '2.1', '2.1.1', '2.1.1.2', 2),
      IMG0003: instance('P2', '2.1', '2.1.1', '2.1.1.1', 1),
      'notes.txt': 'not DICOM at all, just some words here',
      'nopid.dcm': instance('P3', '3.1', '3.1.1', '3.1.1.1', 1, 'PatientID'),
      'noclass.dcm': instance('P4', '4.1', '4.1.1', '4.1.1.1', 1, 'SOPClassUID'),
    });
    const { instances, rejects } = await scanInputs(dir);
    // Patient ID is Type 2: an instance without one is its study's own patient, sorted by that key.
    expect(instances.map((i) => i.sopInstanceUid)).toEqual(['3.1.1.1', '1.1.1.1', '2.1.1.1', '2.1.1.2']);
    expect(instances[0]!.patientId).toBe('(no Patient ID) 3.1');
    expect(instances.map((i) => i.relativePath)).toEqual([
      'nopid.dcm',
      'z/last.dcm',
      'IMG0003',
      'a/b/c/first',
    ]);
    expect(rejects).toEqual([
      { relativePath: 'noclass.dcm', reason: 'missing SOPClassUID' },
      { relativePath: 'notes.txt', reason: expect.stringMatching(/^notes\.txt: not a DICOM file/) },
    ]);
  });

  it('keeps one of two files with the same SOP Instance UID whatever their names, and rejects the other', async () => {
    const a = instance('P1', '1.1', '1.1.1', '9.9', 1);
    const b = instance('P1', '1.1', '1.1.1', '9.9', 2);
    const one = await scanInputs(await folder({ 'x.dcm': a, 'y.dcm': b }));
    const two = await scanInputs(await folder({ 'y.dcm': a, 'x.dcm': b }));
    expect(one.instances).toHaveLength(1);
    expect(one.instances[0]!.instanceNumber).toBe(1);
    expect(two.instances[0]!.instanceNumber).toBe(1);
    expect(one.rejects[0]!.reason).toMatch(/^duplicate SOP Instance UID of /);
  });
});
