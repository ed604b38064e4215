/**
 * The per-check rules (src/score/evaluate.ts) against the NCI script's curation_validator.py, case by
 * case, and the pieces around them that need no dataset: mapping CSVs, tallies, the beyond-MIDI-B
 * counters.
 */
import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/answerkey/index.js';
import type { Action } from '../../src/phi/index.js';
import {
  dayNumberOf,
  DateShiftCounter,
  evaluateCheck,
  judgePixelsHidden,
  LeakScanner,
  ModeCounter,
  parseCsv,
  parseMappingCsv,
  pixelsHiddenExpected,
  SeriesCounter,
  TABLE_C3,
  type ScoredFile,
} from '../../src/score/index.js';

function check(action: Action, fields: Partial<Check> = {}): Check {
  return {
    path: '<(0008,1030)>',
    tag: '(0008,1030)',
    tagName: 'Study Description',
    action,
    value: '',
    actionText: null,
    categories: {
      hipaa: { z: null, m: null },
      dicom: { p15: null, iod: null, safe: null },
      tcia: { ptkb: null, p15: null, rev: null },
      prev_cat: null,
    },
    identityField: null,
    phiKind: null,
    isDecoy: false,
    tokens: [],
    ...fields,
  };
}

const file = (values: Record<string, string>, md5?: string): ScoredFile => ({
  values: new Map(Object.entries(values)),
  pixelDataMd5: md5,
});
const maps = { uid: new Map([['1.2.3', '9.8.7']]), patientId: new Map([['P1', 'ANON1']]) };
const passed = (c: Check, f: ScoredFile | undefined, reading?: readonly string[] | null): boolean | null =>
  evaluateCheck(c, f, maps, reading).passed;

describe('evaluateCheck', () => {
  it('text_removed: absent or missing file passes, an empty element passes, the span or a token fails', () => {
    const c = check('text_removed', { actionText: 'Stacy Gaines' });
    expect(passed(c, undefined)).toBe(true);
    expect(passed(c, file({}))).toBe(true);
    expect(passed(c, file({ '<(0008,1030)>': '' }))).toBe(true);
    expect(passed(c, file({ '<(0008,1030)>': 'CT for Stacy Gaines' }))).toBe(false);
    expect(passed(c, file({ '<(0008,1030)>': 'CT for GAINES' }))).toBe(false);
    expect(passed(c, file({ '<(0008,1030)>': 'CT for the patient' }))).toBe(true);
    // The script turns <REMOVED> (Pixel Data, Overlay Data) into an empty value.
    expect(passed(c, file({ '<(0008,1030)>': 'REMOVED' }))).toBe(true);
    // A check without action_text is an exception in the script: a blank.
    expect(passed(check('text_removed'), file({ '<(0008,1030)>': 'x' }))).toBeNull();
  });

  it('text_retained: needs the element with the text or all its tokens; numbers compare as floats', () => {
    const c = check('text_retained', { actionText: 'CHEST CT' });
    expect(passed(c, undefined)).toBe(false);
    expect(passed(c, file({}))).toBe(false);
    expect(passed(c, file({ '<(0008,1030)>': '' }))).toBe(false);
    expect(passed(c, file({ '<(0008,1030)>': 'ct of the chest' }))).toBe(true);
    expect(passed(c, file({ '<(0008,1030)>': 'CHEST' }))).toBe(false);
    expect(passed(check('text_retained', { actionText: '80' }), file({ '<(0008,1030)>': '80.0' }))).toBe(
      true,
    );
  });

  it('tag_retained and text_notnull: presence, and a non-empty value for text_notnull', () => {
    expect(passed(check('tag_retained'), file({ '<(0008,1030)>': '' }))).toBe(true);
    expect(passed(check('tag_retained'), file({}))).toBe(false);
    expect(passed(check('tag_retained'), undefined)).toBe(false);
    expect(passed(check('text_notnull'), file({ '<(0008,1030)>': '' }))).toBe(false);
    expect(passed(check('text_notnull'), file({ '<(0008,1030)>': 'x' }))).toBe(true);
  });

  it('date_shifted and uid_changed: the old value must not be a substring (case-sensitive, backslashes dropped)', () => {
    const d = check('date_shifted', { path: '<(0008,0020)>', value: '20150304' });
    expect(passed(d, undefined)).toBe(true);
    expect(passed(d, file({}))).toBe(true);
    expect(passed(d, file({ '<(0008,0020)>': '20160304' }))).toBe(true);
    expect(passed(d, file({ '<(0008,0020)>': '20150304' }))).toBe(false);
    expect(passed(d, file({ '<(0008,0020)>': "['20150304', '20160101']" }))).toBe(false);
    // An empty old value is a substring of everything: the check cannot be passed while the element exists.
    expect(passed(check('date_shifted', { value: '' }), file({ '<(0008,1030)>': 'x' }))).toBe(false);
    expect(passed(check('uid_changed', { value: 'A\\B' }), file({ '<(0008,1030)>': 'AB' }))).toBe(false);
    expect(passed(check('uid_changed', { value: 'abc' }), file({ '<(0008,1030)>': 'ABC' }))).toBe(true);
  });

  it('uid_consistent and patid_consistent: the mapped value, absent passes, a missing file fails', () => {
    const u = check('uid_consistent', { path: '<(0020,000d)>', value: '1.2.3' });
    expect(passed(u, file({ '<(0020,000d)>': '9.8.7' }))).toBe(true);
    expect(passed(u, file({ '<(0020,000d)>': '1.2.3' }))).toBe(false);
    expect(passed(u, file({}))).toBe(true);
    expect(passed(u, undefined)).toBe(false);
    expect(passed(check('uid_consistent', { value: 'unmapped' }), file({ '<(0008,1030)>': '' }))).toBe(false);
    const p = check('patid_consistent', { path: '<(0010,0020)>', value: 'P1' });
    expect(passed(p, file({ '<(0010,0020)>': 'ANON1' }))).toBe(true);
    expect(passed(p, file({ '<(0010,0020)>': 'P1' }))).toBe(false);
  });

  it('pixels_retained: the MD5 of the stored Pixel Data', () => {
    const c = check('pixels_retained', { path: '<(7fe0,0010)>', actionText: 'abc' });
    expect(passed(c, file({}, 'abc'))).toBe(true);
    expect(passed(c, file({}, 'abd'))).toBe(false);
    expect(passed(c, file({}))).toBe(false);
    expect(passed(c, undefined)).toBe(false);
  });

  it('pixels_hidden: the remove test on what OCR read, markers removed; nothing read passes', () => {
    const box = {
      text: 'DOE JOHN [M]\nDOB: 01.02.1960',
      top_left: [0, 0],
      bottom_right: [10, 10],
      font: 'f',
    };
    const c = check('pixels_hidden', { path: '<(7fe0,0010)>', actionText: JSON.stringify(box) });
    expect(pixelsHiddenExpected(box.text)).toBe('DOE JOHN 01.02.1960');
    expect(passed(c, undefined)).toBe(true);
    expect(passed(c, file({}))).toBeNull(); // not judged
    expect(passed(c, file({}), null)).toBeNull(); // unreadable box
    expect(passed(c, file({}), [''])).toBe(true);
    expect(passed(c, file({}), ['M'])).toBe(true); // the [M] marker is not expected text
    expect(passed(c, file({}), ['JOHN'])).toBe(false);
    expect(passed(c, file({}), ['', 'DOE JOHN'])).toBe(false); // any frame legible fails
    expect(judgePixelsHidden(c, ['DOE']).score).toBeCloseTo(2 / 3);
    expect(passed(check('pixels_hidden', { actionText: 'not json' }), file({}), [''])).toBeNull();
  });
});

describe('mapping CSVs', () => {
  it('reads id_old,id_new in any column order: the first row of an id_old wins; conflicts and collisions are listed', () => {
    const t = parseMappingCsv('id_new,id_old\r\nB,A\r\nC,A\r\nB,D\r\n"x,y",E\r\n\r\nF,F\r\n');
    expect([...t.map]).toEqual([
      ['A', 'B'],
      ['D', 'B'],
      ['E', 'x,y'],
      ['F', 'F'],
    ]);
    expect(t.rows).toBe(5);
    expect(t.conflicts).toEqual([{ idOld: 'A', kept: 'B', ignored: 'C', line: 3 }]);
    expect(t.collisions).toEqual([{ idNew: 'B', idOld: ['A', 'D'] }]);
    expect(() => parseMappingCsv('old,new\n1,2\n')).toThrow(/id_old,id_new/);
  });

  it('parses quoted fields with doubled quotes and line breaks', () => {
    expect(parseCsv('a,"b ""c""\nd",e\nf')).toEqual([['a', 'b "c"\nd', 'e'], ['f']]);
  });
});

describe('tallies', () => {
  it('scores passes over all (blanks count against), lists Table C3 first, and normalizes by action', () => {
    const m = new ModeCounter();
    m.add('text_removed', 'hipaa', 'HIPAA-A', 1);
    m.add('text_removed', 'hipaa', 'HIPAA-A', 0);
    m.add('text_retained', 'tcia', 'TCIA-REV', 1);
    m.add('text_retained', 'tcia', 'TCIA-REV', -1);
    m.add('tag_retained', 'dicom', 'DICOM-IOD-2', 1);
    m.add('text_removed', 'hipaa', 'HIPAA-M', 1);
    const r = m.report();
    expect(r.overall).toEqual({ passed: 4, failed: 1, blank: 1, total: 6, score: 4 / 6 });
    expect(r.normalizedScore).toBeCloseTo((2 / 3 + 1 / 2 + 1) / 3);
    expect(r.categories.slice(0, 25).map((c) => c.subcategory)).toEqual(TABLE_C3.map(([, s]) => s));
    expect(r.categories.slice(25)).toMatchObject([
      { category: 'hipaa', subcategory: 'HIPAA-M', tableC3: false, passed: 1 },
    ]);
  });

  it('series mode keeps one result per (action, tag_ds, patient, study, series), a failure if any', () => {
    const s = new SeriesCounter();
    const a = { patient: 'P', study: 'S', series: '1' };
    s.add('text_removed', '<(0010,0010)>', a, 'hipaa', 'HIPAA-A', 1);
    s.add('text_removed', '<(0010,0010)>', a, 'hipaa', 'HIPAA-A', 0);
    s.add('text_removed', '<(0010,0010)>', a, 'hipaa', 'HIPAA-A', 1);
    s.add('text_removed', '<(0010,0010)>', { ...a, series: '2' }, 'hipaa', 'HIPAA-A', 1);
    s.add('tag_retained', '<(0010,0010)>', a, 'dicom', 'DICOM-IOD-2', -1);
    s.add('tag_retained', '<(0010,0010)>', a, 'dicom', 'DICOM-IOD-2', 1);
    const r = s.report();
    expect(r.overall).toMatchObject({ passed: 1, failed: 1, blank: 1, total: 3 });
    expect(r.actions.text_removed).toMatchObject({ passed: 1, failed: 1, total: 2 });
  });
});

describe('beyond MIDI-B', () => {
  it('reads dates in DA, DT, list and punctuated forms', () => {
    expect(dayNumberOf('19700102')).toBe(1);
    expect(dayNumberOf("['20000101', '20000102']")).toBe(dayNumberOf('20000101'));
    expect(dayNumberOf('20000101120000.000')).toBe(dayNumberOf('2000-01-01'));
    expect(dayNumberOf('20000431')).toBeUndefined();
    expect(dayNumberOf('ANON')).toBeUndefined();
  });

  it('date shifts: one offset per patient, different patients different offsets', () => {
    const counter = (
      shifts: Array<[string, string, string | undefined]>,
    ): ReturnType<DateShiftCounter['report']> => {
      const d = new DateShiftCounter();
      for (const [patient, old, now] of shifts) d.add(patient, check('date_shifted', { value: old }), now);
      return d.report();
    };
    const good = counter([
      ['A', '20150101', '20150201'],
      ['A', '20150301', '20150401'],
      ['B', '20150101', '20150111'],
      ['B', '20150101', undefined],
    ]);
    expect(good).toMatchObject({ consistent: true, patients: 2, removed: 1, inconsistent: [], shared: [] });
    const bad = counter([
      ['A', '20150101', '20150111'],
      ['A', '20150301', '20150302'],
      ['B', '20150101', '20150111'],
      ['C', '20150101', '20150101'],
    ]);
    expect(bad.consistent).toBe(false);
    expect(bad.inconsistent).toEqual([
      {
        patient: 'A',
        offsets: [
          { days: 1, elements: 1 },
          { days: 10, elements: 1 },
        ],
      },
    ]);
    expect(bad.unshiftedPatients).toEqual(['C']);
  });

  it('leak scan: whole-word matches anywhere, named or not by a removal check', () => {
    const scanner = new LeakScanner(
      new Map([
        [
          'P',
          [
            { text: 'Gaines', kind: 'A', field: 'patient.name' },
            { text: '907427', kind: 'R', field: null },
            { text: 'CN', kind: 'A', field: null },
          ],
        ],
      ]),
    );
    const checks = [check('text_removed', { path: '<(0010,0010)>', actionText: 'GAINES^STACY' })];
    scanner.scan(
      'P',
      'f.dcm',
      new Map([
        ['<(0010,0010)>', 'GAINES^STACY'],
        ['<(0008,1030)>', 'scanner 2.25.1907427 for gaines'],
        ['<(0018,1000)>', '907427'],
      ]),
      checks,
    );
    const r = scanner.report();
    expect(r).toMatchObject({
      values: 3,
      files: 1,
      filesWithLeaks: 1,
      hits: 3,
      unnamedHits: 2,
      leakedValues: 2,
    });
    expect(r.examples.filter((h) => !h.named).map((h) => h.path)).toEqual(['<(0008,1030)>', '<(0018,1000)>']);
  });
});
