import { describe, expect, it } from 'vitest';
import { emptyCategories } from '../../src/phi/index.js';
import {
  AnswerKeyError,
  assertCheckWellFormed,
  checkCategory,
  checkCategoryLabel,
  checkWarnings,
  type Check,
} from '../../src/answerkey/check.js';
import { makeCheck, SAMPLE_CHECKS } from './fixtures.js';

const byAction = (action: Check['action'], n = 0): Check =>
  SAMPLE_CHECKS.filter((c) => c.action === action)[n]!;

describe('checkCategoryLabel', () => {
  it('reports each action under the reference table category', () => {
    expect(SAMPLE_CHECKS.map((c) => [c.action, checkCategoryLabel(c)])).toEqual([
      ['text_removed', 'HIPAA-A'],
      ['tag_retained', 'DICOM-IOD-2'],
      ['text_retained', 'TCIA-P15-DESC-C'],
      ['text_removed', 'HIPAA-A'],
      ['date_shifted', 'HIPAA-C'],
      ['uid_consistent', 'DICOM-P15-BASIC-U'],
      ['text_removed', 'TCIA-PTKB-X'],
      ['pixels_retained', 'TCIA-P15-PIX-K'],
      ['text_notnull', 'DICOM-IOD-1'],
      ['pixels_hidden', 'HIPAA-A'],
    ]);
    expect(checkCategory(byAction('uid_consistent'))?.group).toBe('dicom');
  });

  it('takes hipaa.m before hipaa.z, and the TCIA fields in order', () => {
    const c = emptyCategories();
    c.hipaa.z = 'HIPAA-B';
    c.hipaa.m = 'HIPAA-G';
    c.tcia.p15 = 'TCIA-P15-DESC-C';
    expect(checkCategoryLabel({ action: 'text_removed', categories: c })).toBe('HIPAA-G');
    c.hipaa.m = null;
    expect(checkCategoryLabel({ action: 'text_removed', categories: c })).toBe('HIPAA-B');
    expect(checkCategoryLabel({ action: 'text_retained', categories: c })).toBe('TCIA-P15-DESC-C');
    c.tcia.p15 = '';
    c.tcia.rev = 'TCIA-REV';
    expect(checkCategoryLabel({ action: 'text_retained', categories: c })).toBe('TCIA-REV');
    expect(checkCategoryLabel({ action: 'tag_retained', categories: emptyCategories() })).toBeNull();
  });
});

describe('assertCheckWellFormed', () => {
  it('accepts every sample check', () => {
    for (const c of SAMPLE_CHECKS) expect(() => assertCheckWellFormed(c)).not.toThrow();
  });

  const broken: Array<[string, (c: Check) => Check, RegExp]> = [
    ['upper-case path', (c) => ({ ...c, path: '<(0008,103E)>' }), /tag_ds path/],
    ['bare path', (c) => ({ ...c, path: '(0010,0010)' }), /tag_ds path/],
    ['empty action_text', (c) => ({ ...c, actionText: '' }), /empty action_text/],
    ['stop-word action_text', (c) => ({ ...c, actionText: 'THE', tokens: [] }), /stop-words or punctuation/],
    ['punctuation action_text', (c) => ({ ...c, actionText: '.', tokens: [] }), /stop-words or punctuation/],
    ['stale tokens', (c) => ({ ...c, tokens: ['gaines'] }), /scorer's tokens/],
    [
      'removal without category',
      (c) => ({ ...c, categories: emptyCategories() }),
      /text_removed needs one of hipaa.m, hipaa.z, tcia.p15, tcia.ptkb, tcia.rev/,
    ],
    [
      'bad HIPAA label',
      (c) => ({ ...c, categories: { ...c.categories, hipaa: { z: 'HIPAA-Z', m: null } } }),
      /HIPAA-A..HIPAA-R/,
    ],
    ['hipaa.m against phiKind', (c) => ({ ...c, phiKind: 'G' }), /contradicts phiKind/],
  ];
  it.each(broken)('rejects %s', (_name, edit, message) => {
    const bad = edit(byAction('text_removed'));
    expect(() => assertCheckWellFormed(bad)).toThrow(AnswerKeyError);
    expect(() => assertCheckWellFormed(bad)).toThrow(message);
  });

  it('requires a TCIA category on text_retained', () => {
    const c = byAction('text_retained');
    const bad = { ...c, categories: { ...c.categories, tcia: { ptkb: null, p15: null, rev: null } } };
    expect(() => assertCheckWellFormed(bad)).toThrow(/text_retained needs one of tcia/);
  });

  it('requires Type 1 for text_notnull and an IOD category for tag_retained', () => {
    const notnull = byAction('text_notnull');
    expect(() =>
      assertCheckWellFormed({
        ...notnull,
        categories: { ...notnull.categories, dicom: { p15: null, iod: 'DICOM-IOD-2', safe: null } },
      }),
    ).toThrow(/DICOM-IOD-1/);
    expect(() =>
      assertCheckWellFormed({ ...byAction('tag_retained'), categories: emptyCategories() }),
    ).toThrow(/tag_retained needs/);
  });

  it('rejects value checks on empty values and malformed pixel checks', () => {
    expect(() => assertCheckWellFormed({ ...byAction('date_shifted'), value: '' })).toThrow(
      /empty value always fails/,
    );
    expect(() => assertCheckWellFormed({ ...byAction('uid_consistent'), value: '\\' })).toThrow(
      /empty value/,
    );
    expect(() => assertCheckWellFormed({ ...byAction('pixels_retained'), actionText: 'ABC' })).toThrow(/MD5/);
    expect(() => assertCheckWellFormed({ ...byAction('pixels_hidden'), actionText: '{not json' })).toThrow(
      /not JSON/,
    );
    expect(() =>
      assertCheckWellFormed({
        ...byAction('pixels_hidden'),
        actionText: JSON.stringify({ text: 'X', top_left: [10, 10], bottom_right: [10, 20] }),
      }),
    ).toThrow(/empty/);
  });
});

describe('checkWarnings', () => {
  it('warns of single-letter PHI tokens and model-dependent splits', () => {
    const c = makeCheck({
      path: '<(0010,1040)>',
      tag: '(0010,1040)',
      tagName: "Patient's Address",
      action: 'text_removed',
      value: '2093 E Kesler Ln. Chandler',
      actionText: '2093 E Kesler Ln. Chandler',
    });
    const warnings = checkWarnings(c);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/single-letter PHI token\(s\) e/);
    expect(warnings[1]).toMatch(/ln\./);
    expect(checkWarnings(SAMPLE_CHECKS[0]!)).toEqual([]);
  });
});
