import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../helpers/cli.js';
import {
  DicomDataset,
  requireTag,
  setPrivate,
  setStrings,
  writeDicom,
  createDicomFile,
} from '../../src/dicom/index.js';

let dir: string;
let good: string;
let bad: string;

const capture = runCaptured;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pseudophi-inspect-'));
  const ds = new DicomDataset();
  setStrings(ds, requireTag('SOPClassUID'), '1.2.840.10008.5.1.4.1.1.7');
  setStrings(ds, requireTag('SOPInstanceUID'), '1.2.3.4');
  setStrings(ds, requireTag('ImageType'), ['ORIGINAL', 'PRIMARY']);
  setStrings(ds, requireTag('PatientName'), 'DOE^JANE');
  const item = ds.addItem(requireTag('ReferencedImageSequence'));
  setStrings(item, requireTag('ReferencedSOPInstanceUID'), '1.2.3.5');
  setPrivate(ds, 0x0009, 'GEMS_IDEN_01', 0x02, 'SH', 'TKC');
  good = join(dir, 'good.dcm');
  await writeFile(good, writeDicom(createDicomFile(ds)));
  bad = join(dir, 'bad.dcm');
  await writeFile(bad, Buffer.from('this is not a DICOM file at all, just text'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pseudophi inspect', () => {
  it('prints MIDI-B paths, names and values', async () => {
    const { code, out } = await capture(['inspect', good]);
    expect(code).toBe(0);
    expect(out).toMatch(/<\(0008,0008\)>\s+CS\s+Image Type\s+<\['ORIGINAL', 'PRIMARY'\]>/);
    expect(out).toMatch(
      /<\(0008,1140\)>\[<0000>\]<\(0008,1155\)>\s+UI\s+Referenced SOP Instance UID\s+<1\.2\.3\.5>/,
    );
    expect(out).toMatch(/<\(0009,"GEMS_IDEN_01",02\)>\s+SH\s+\[Suite id\]\s+<TKC>/);
    expect(out).toMatch(/<\(0009,0010\)>\s+LO\s+Private Creator\s+<GEMS_IDEN_01>/);
  });

  it('prints one JSON object per element with --json', async () => {
    const { code, out } = await capture(['inspect', '--json', good]);
    expect(code).toBe(0);
    const rows = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { tag_ds: string; value: string });
    expect(rows.map((r) => r.tag_ds)).toEqual([
      '<(0008,0008)>',
      '<(0008,0016)>',
      '<(0008,0018)>',
      '<(0008,1140)>',
      '<(0008,1140)>[<0000>]<(0008,1155)>',
      '<(0009,0010)>',
      '<(0009,"GEMS_IDEN_01",02)>',
      '<(0010,0010)>',
    ]);
    expect(rows.find((r) => r.tag_ds === '<(0010,0010)>')?.value).toBe('DOE^JANE');
  });

  it('names the file and the problem for a non-DICOM file, exit code 1', async () => {
    const { code, err } = await capture(['inspect', bad]);
    expect(code).toBe(1);
    expect(err).toContain('bad.dcm');
    expect(err).toMatch(/not a DICOM file/);
  });
});
