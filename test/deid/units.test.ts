/** The oracle's pure parts: date shifting, offsets, mappings, text surgery, neutral values, black pixels. */
import { describe, expect, it } from 'vitest';
import { validateText } from '../../src/answerkey/index.js';
import type { PixelDescription } from '../../src/dicom/index.js';
import {
  blackOutFrames,
  blackSamples,
  collectKeyIdentifiers,
  cutSpans,
  MAX_OFFSET_DAYS,
  MIN_OFFSET_DAYS,
  neutralValue,
  parsePixelBox,
  planDateOffsets,
  planIdentityMappings,
  planOracleMappings,
  removePhiSpans,
  shiftDa,
  shiftDaValue,
  shiftDateLike,
  shiftDt,
  shiftDtValue,
  toMappingCsv,
} from '../../src/deid/index.js';
import type { AnswerKey, Check } from '../../src/answerkey/index.js';
import { emptyCategories } from '../../src/phi/index.js';

describe('date shifting', () => {
  it('shifts DA values by whole days across months, years and leap days, keeping the form', () => {
    expect(shiftDa('20130722', -1)).toBe('20130721');
    expect(shiftDa('20130301', -1)).toBe('20130228');
    expect(shiftDa('20120301', -1)).toBe('20120229');
    expect(shiftDa('20130101', -366)).toBe('20120101');
    expect(shiftDa('2013.07.22', -1)).toBe('2013.07.21');
    expect(shiftDa('00500101', -1)).toBe('00491231');
    expect(shiftDa('20130230', 1)).toBeUndefined();
    expect(shiftDa('2013072', 1)).toBeUndefined();
  });

  it('shifts DA ranges end by end', () => {
    expect(shiftDaValue('20130101-20130131', -1)).toBe('20121231-20130130');
    expect(shiftDaValue('-20130131', -1)).toBe('-20130130');
    expect(shiftDaValue('20130101-', 1)).toBe('20130102-');
    expect(shiftDaValue('-', 1)).toBeUndefined();
  });

  it('shifts DT values in their date part, keeping precision, time and UTC offset', () => {
    expect(shiftDt('20130722101010.123456', -1)).toBe('20130721101010.123456');
    expect(shiftDt('20130722101010-0500', -1)).toBe('20130721101010-0500');
    expect(shiftDt('2013', -MIN_OFFSET_DAYS)).toBe('2012');
    expect(shiftDt('201301', -MIN_OFFSET_DAYS)).toBe('201201');
    expect(shiftDtValue('20130722-20130723', 1)).toBe('20130723-20130724');
    expect(shiftDateLike('20130722', 2)).toBe('20130724');
    expect(shiftDateLike('20130722093000', 2)).toBe('20130724093000');
    expect(shiftDateLike('not a date', 2)).toBeUndefined();
  });

  it('gives each patient one offset, different from every other patient, deterministically', () => {
    const ids = Array.from({ length: 500 }, (_, i) => `P${i}`);
    const a = planDateOffsets('1', ids);
    const b = planDateOffsets('1', [...ids].reverse());
    expect([...a].sort()).toEqual([...b].sort());
    expect(new Set(a.values()).size).toBe(ids.length);
    for (const days of a.values()) {
      expect(days).toBeLessThanOrEqual(-MIN_OFFSET_DAYS);
      expect(days).toBeGreaterThanOrEqual(-MAX_OFFSET_DAYS);
    }
    expect(planDateOffsets('2', ids)).not.toEqual(a);
  });
});

const check = (over: Partial<Check>): Check => ({
  path: '<(0010,0020)>',
  tag: '(0010,0020)',
  tagName: 'Patient ID',
  action: 'text_removed',
  value: '',
  actionText: null,
  categories: emptyCategories(),
  identityField: null,
  phiKind: null,
  isDecoy: false,
  tokens: [],
  ...over,
});

const key = (checks: Check[], patientId = 'AB12'): AnswerKey => ({
  instances: [
    {
      index: 0,
      group: null,
      modality: 'CT',
      sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
      patientId,
      studyInstanceUid: '1.2.3',
      seriesInstanceUid: '1.2.3.4',
      sopInstanceUid: '1.2.3.4.5',
      digest: null,
      checks,
    },
  ],
  files: [],
  burnedText: new Map(),
  run: null,
});

describe('mappings', () => {
  const k = key([
    check({ action: 'patid_consistent', value: 'AB12' }),
    check({ path: '<(0008,0018)>', action: 'uid_changed', value: '1.2.3.4.5' }),
    check({ path: '<(0008,0018)>', action: 'uid_consistent', value: '1.2.3.4.5' }),
    check({ path: '<(0020,000d)>', action: 'uid_consistent', value: '1.2.3' }),
  ]);

  it('maps every UID with a UID check to a new 2.25 UID and every patid_consistent ID to a new ID', () => {
    const m = planOracleMappings(collectKeyIdentifiers(k, ['9.9.9']), '1');
    expect([...m.uid.keys()]).toEqual(['1.2.3', '1.2.3.4.5', '9.9.9']);
    expect(m.uid.get('1.2.3')).toMatch(/^2\.25\.[1-9]\d*$/);
    expect(m.uid.get('1.2.3.4.5')).not.toBe(m.uid.get('1.2.3'));
    // A file the key asks nothing of keeps its SOP Instance UID, mapped to itself.
    expect(m.uid.get('9.9.9')).toBe('9.9.9');
    const id = m.patientId.get('AB12')!;
    expect(id).toMatch(/^DEID[A-Z]{12}$/);
    expect(validateText(id, 'AB12', 'remove').passed).toBe(true);
    expect(m.dateOffsets.get('AB12')).toBeLessThan(0);
    expect(planOracleMappings(collectKeyIdentifiers(k, ['9.9.9']), '1')).toEqual(m);
    expect(planOracleMappings(collectKeyIdentifiers(k, ['9.9.9']), '2').uid.get('1.2.3')).not.toBe(
      m.uid.get('1.2.3'),
    );
  });

  it('maps every identifier to itself for none, and writes the CSV the script reads', () => {
    const m = planIdentityMappings(collectKeyIdentifiers(k));
    expect([...m.uid]).toEqual([
      ['1.2.3', '1.2.3'],
      ['1.2.3.4.5', '1.2.3.4.5'],
    ]);
    expect(toMappingCsv(m.patientId)).toBe('id_old,id_new\nAB12,AB12\n');
    expect(toMappingCsv(new Map([['a,"b', 'c']]))).toBe('id_old,id_new\n"a,""b",c\n');
  });
});

describe('free text', () => {
  it('cuts spans and the spaces they leave, nothing else', () => {
    const t = 'Call Dr. Beier at (516)745-7782 with results';
    expect(cutSpans(t, [[9, 14]])).toBe('Call Dr. at (516)745-7782 with results');
    expect(cutSpans('Josh Donnelly presents', [[0, 13]])).toBe('presents');
    expect(cutSpans('Ordered for Josh Donnelly', [[12, 25]])).toBe('Ordered for');
    expect(cutSpans('a  b', [])).toBe('a  b');
  });

  it('removes every PHI span case-insensitively and keeps clean text and decoys', () => {
    const r = removePhiSpans(
      'Patient Josh Donnelly (ID 4463927678) tolerated the procedure; JOSH DONNELLY again. Hodgkin',
      ['Josh Donnelly', '4463927678'],
      ['Hodgkin'],
    );
    expect(r.text).toBe('Patient (ID ) tolerated the procedure; again. Hodgkin');
    expect(r).toMatchObject({ method: 'spans', failedRemovals: [], failedRetains: [] });
  });

  it('takes neighbouring words that hold a PHI token when they are not kept text', () => {
    const r = removePhiSpans('Physics review by CS', ['CS'], ['review']);
    expect(r.method).toBe('words');
    expect(r.text).toBe('review by');
    expect(r.failedRemovals).toEqual([]);
  });

  it('reports a PHI token inside kept text (a defect of the key) instead of hiding it', () => {
    const r = removePhiSpans('CT Head by CT', ['CT'], ['CT Head']);
    expect(r.text).toBe('CT Head by');
    expect(r.failedRemovals).toEqual(['CT']);
    expect(r.failedRetains).toEqual([]);
  });

  it('finds neutral values that fit the VR and share nothing with the PHI', () => {
    expect(neutralValue('PN', ['DOE^JOHN'])).toBe('ANONYMOUS');
    expect(neutralValue('PN', ['Anonymous'])).toBe('REDACTED');
    expect(neutralValue('DA', ['19530919'])).toBe('19000101');
    expect(neutralValue('LO', ['Hyatt-Torp Memorial Hospital'])).toBe('ANONYMIZED');
    expect(neutralValue('CS', ['ANONYMIZED', 'REDACTED', 'NONE'])).toBeUndefined();
  });
});

describe('pixels', () => {
  const d = (over: Partial<PixelDescription>): PixelDescription => ({
    rows: 2,
    columns: 3,
    samplesPerPixel: 1,
    bitsAllocated: 16,
    bitsStored: 12,
    highBit: 11,
    pixelRepresentation: 0,
    photometricInterpretation: 'MONOCHROME2',
    planarConfiguration: 0,
    numberOfFrames: 1,
    ...over,
  });

  it('parses the MIDI-B box and refuses bad ones', () => {
    expect(parsePixelBox('{"text":"A","top_left":[1,2],"bottom_right":[3,4]}')).toEqual({
      x0: 1,
      y0: 2,
      x1: 3,
      y1: 4,
    });
    expect(() => parsePixelBox('{')).toThrow(/not JSON/);
    expect(() => parsePixelBox('{"top_left":[1.5,2],"bottom_right":[3,4]}')).toThrow(/integer corners/);
  });

  it('takes the darkest value of each photometric interpretation', () => {
    expect(blackSamples(d({}))).toEqual([0]);
    expect(blackSamples(d({ pixelRepresentation: 1 }))).toEqual([-2048]);
    expect(blackSamples(d({ photometricInterpretation: 'MONOCHROME1' }))).toEqual([4095]);
    expect(blackSamples(d({ samplesPerPixel: 3, bitsStored: 8, photometricInterpretation: 'RGB' }))).toEqual([
      0, 0, 0,
    ]);
    expect(
      blackSamples(d({ samplesPerPixel: 3, bitsStored: 8, photometricInterpretation: 'YBR_FULL' })),
    ).toEqual([0, 128, 128]);
    expect(() => blackSamples(d({ photometricInterpretation: 'PALETTE COLOR' }))).toThrow(/PALETTE/);
  });

  it('blacks out exactly the box (bottom-right exclusive), sign-extended, in either planar layout', () => {
    const frame = Uint8Array.from({ length: 12 }, () => 0x11);
    const [out] = blackOutFrames([frame], d({ pixelRepresentation: 1 }), [{ x0: 1, y0: 0, x1: 3, y1: 1 }]);
    expect([...out!]).toEqual([0x11, 0x11, 0x00, 0xf8, 0x00, 0xf8, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11]);
    expect([...frame]).toEqual(Array(12).fill(0x11));
    const rgb = d({ samplesPerPixel: 3, bitsAllocated: 8, bitsStored: 8, photometricInterpretation: 'RGB' });
    const planar = blackOutFrames(
      [Uint8Array.from({ length: 18 }, () => 9)],
      { ...rgb, planarConfiguration: 1 },
      [{ x0: 0, y0: 1, x1: 1, y1: 5 }],
    )[0]!;
    // Pixel (0,1) is pixel 3 of each 6-sample plane.
    expect([...planar].map((v, i) => (v === 0 ? i : -1)).filter((i) => i >= 0)).toEqual([3, 9, 15]);
  });
});
