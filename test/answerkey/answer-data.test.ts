import { describe, expect, it } from 'vitest';
import {
  fromAnswerDataEntry,
  parseAnswerData,
  serializeAnswerData,
  stableJson,
  toAnswerData,
  toTagDs,
  unwrap,
  wrap,
} from '../../src/answerkey/answer-data.js';
import { SAMPLE_CHECKS } from './fixtures.js';

const KEYS = [
  'action',
  'action_text',
  'value',
  'tag',
  'tag_ds',
  'tag_name',
  'scope',
  'answer_category',
  'answer_category_v2',
];

describe('AnswerData', () => {
  it('keys checks "0".."n-1" in plan order with every key on every check', () => {
    const data = toAnswerData(SAMPLE_CHECKS);
    expect(Object.keys(data)).toEqual(SAMPLE_CHECKS.map((_, i) => String(i)));
    for (const entry of Object.values(data)) {
      expect(Object.keys(entry)).toEqual(KEYS);
      expect(entry.scope).toBe('<Instance>');
      expect(entry.answer_category).toEqual([]);
      expect(Object.keys(entry.answer_category_v2)).toEqual(['hipaa', 'dicom', 'tcia', 'prev_cat']);
      expect(Object.keys(entry.answer_category_v2.dicom)).toEqual(['p15', 'iod', 'safe']);
      expect(Object.keys(entry.answer_category_v2.tcia)).toEqual(['ptkb', 'p15', 'rev']);
    }
  });

  it('wraps text fields once and leaves tag_ds paths as they are', () => {
    const [name, retained] = [toAnswerData(SAMPLE_CHECKS)['0']!, toAnswerData(SAMPLE_CHECKS)['1']!];
    expect(name).toEqual({
      action: '<text_removed>',
      action_text: '<GAINES^STACY>',
      value: '<GAINES^STACY>',
      tag: '<(0010,0010)>',
      tag_ds: '<(0010,0010)>',
      tag_name: "<Patient's Name>",
      scope: '<Instance>',
      answer_category: [],
      answer_category_v2: {
        hipaa: { z: 'HIPAA-A', m: 'HIPAA-A' },
        dicom: { p15: 'Z', iod: null, safe: null },
        tcia: { ptkb: null, p15: 'TCIA-P15-BASIC-Z', rev: null },
        prev_cat: null,
      },
    });
    expect(retained.action_text).toBeNull();
    expect(toAnswerData(SAMPLE_CHECKS)['5']!.tag_ds).toBe('<(0008,1140)>[<0000>]<(0008,1155)>');
    expect(toTagDs('(0008,0050)')).toBe('<(0008,0050)>');
    expect(wrap('')).toBe('<>');
    expect(unwrap('<>')).toBe('');
  });

  it('stores answer_category_v2 as an object, not a JSON string', () => {
    const text = serializeAnswerData(SAMPLE_CHECKS);
    expect(text).toContain('"answer_category_v2":{"hipaa":{"z":"HIPAA-A","m":"HIPAA-A"}');
    expect(text).not.toContain('"answer_category_v2":"');
  });

  it('serializes deterministically whatever the category key order', () => {
    const shuffled = SAMPLE_CHECKS.map((c) => ({
      ...c,
      categories: {
        prev_cat: c.categories.prev_cat,
        tcia: { rev: c.categories.tcia.rev, p15: c.categories.tcia.p15, ptkb: c.categories.tcia.ptkb },
        dicom: { safe: c.categories.dicom.safe, iod: c.categories.dicom.iod, p15: c.categories.dicom.p15 },
        hipaa: { m: c.categories.hipaa.m, z: c.categories.hipaa.z },
      },
    }));
    expect(serializeAnswerData(shuffled)).toBe(serializeAnswerData(SAMPLE_CHECKS));
  });

  it('parses back to the same MIDI-B fields', () => {
    const entries = parseAnswerData(serializeAnswerData(SAMPLE_CHECKS));
    const back = entries.map(fromAnswerDataEntry);
    expect(
      back.map((c) => [c.path, c.tag, c.tagName, c.action, c.value, c.actionText, c.categories]),
    ).toEqual(
      SAMPLE_CHECKS.map((c) => [c.path, c.tag, c.tagName, c.action, c.value, c.actionText, c.categories]),
    );
  });

  it('rejects keys that lose checks', () => {
    expect(() => parseAnswerData('[]')).toThrow(/JSON object/);
    expect(() => parseAnswerData('{"1": {}}')).toThrow(/keys must be/);
    const entry = toAnswerData(SAMPLE_CHECKS.slice(0, 1))['0']!;
    const { scope: _scope, ...noScope } = entry;
    expect(() => parseAnswerData(JSON.stringify({ 0: noScope }))).toThrow(/lacks key scope/);
    expect(() => parseAnswerData(JSON.stringify({ 0: { ...entry, answer_category_v2: '{}' } }))).toThrow(
      /JSON object/,
    );
  });

  it('stableJson sorts keys at every level', () => {
    expect(stableJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}',
    );
  });
});
