/**
 * Free text in every language against the MIDI-B scorer's token rules (src/phi/scorer-text.ts): a
 * de-identifier that removes exactly the PHI spans passes every removal check of the field and keeps every
 * retained one; the untouched value fails every removal check. Templates of languages written without
 * spaces put each PHI value between whitespace, so that the value is one run of tokens of its own.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dictionaryVr, formatPath, requireTag } from '../../src/dicom/index.js';
import { LOCALE_CHARACTER_SETS, readsBackInPydicom } from '../../src/identity/character-sets.js';
import {
  formatLongDate,
  IDENTITY_LOCALES,
  planIdentities,
  type IdentityLocale,
} from '../../src/identity/index.js';
import {
  IdentityValues,
  loadInsertTemplates,
  parseTemplate,
  planInstance,
  templatesDir,
  type TextSpan,
} from '../../src/insert/index.js';
import { evaluateTextCheck } from '../../src/phi/scorer-text.js';
import { buildSource } from './source.js';

const templates = loadInsertTemplates();
type Part = ReturnType<typeof parseTemplate>[number];

/** The value with exactly the PHI spans cut out: what a perfect de-identifier leaves. */
const withoutPhi = (value: string, spans: readonly TextSpan[]): string => {
  let out = '';
  let at = 0;
  for (const s of spans.filter((x) => x.role === 'phi')) {
    out += value.slice(at, s.start);
    at = s.end;
  }
  return out + value.slice(at);
};

function freeTextOf(locale: IdentityLocale, seed: number) {
  const key = `SRC-${seed}`;
  const ids = planIdentities(
    seed,
    [{ key, sex: seed % 2 ? 'F' : 'M', studyDates: ['20190304'] }],
    [{ key: `1.2.${seed}`, patientKey: key, studyDate: '20190304', modalities: ['CT'] }],
    { locales: [[locale, 1]] },
  );
  const file = buildSource(`1.2.${seed}.9`);
  const plan = planInstance(file.dataset, {
    seed,
    sourceSopInstanceUid: `1.2.${seed}.9`,
    modality: 'CT',
    identity: new IdentityValues(ids.patients[0]!, ids.studies[0]!, 'CT'),
    templates,
  });
  // Nothing was left out for want of a character set or because pydicom would read it otherwise.
  expect(plan.unencodable).toBeUndefined();
  return plan.sets.flatMap((e) =>
    e.record.type === 'free-text'
      ? [
          {
            path: formatPath(e.path),
            value: e.values[0]!,
            spans: e.record.spans,
            template: e.record.template,
          },
        ]
      : [],
  );
}

describe('free text of every language under the scorer', () => {
  for (const locale of IDENTITY_LOCALES) {
    it(`${locale}: removing exactly the PHI spans passes every check; keeping them fails every removal`, () => {
      let fields = 0;
      for (let seed = 1; seed <= 12; seed++) {
        for (const f of freeTextOf(locale, seed)) {
          fields++;
          const cleaned = withoutPhi(f.value, f.spans);
          for (const s of f.spans) {
            // The span is where the plan says it is.
            expect(f.value.slice(s.start, s.end)).toBe(s.text);
            const where = { locale, seed, path: f.path, value: f.value, span: s.text };
            if (s.role === 'phi') {
              expect({
                ...where,
                untouched: evaluateTextCheck('text_removed', f.value, s.text).passed,
              }).toEqual({
                ...where,
                untouched: false,
              });
              expect({
                ...where,
                removed: evaluateTextCheck('text_removed', cleaned, s.text).passed,
              }).toEqual({
                ...where,
                removed: true,
              });
            } else {
              expect({ ...where, kept: evaluateTextCheck('text_retained', cleaned, s.text).passed }).toEqual({
                ...where,
                kept: true,
              });
            }
          }
        }
      }
      expect(fields).toBeGreaterThan(12 * 3);
    });
  }

  it('fills every language’s text from its own grammar', () => {
    for (const locale of IDENTITY_LOCALES) {
      const language = locale === 'en_US' ? 'en' : locale === 'zh_CN' ? 'zh' : locale;
      const own = Object.values(templates.freeTextByLanguage![language]!.elements).flat();
      for (const f of freeTextOf(locale, 3))
        expect({ locale, template: f.template, own: own.includes(f.template) }).toMatchObject({ own: true });
    }
  });
});

describe('free-text grammars', () => {
  const dir = join(templatesDir(), 'free-text');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

  it('has a grammar for every language of the identity locales, with the same element keywords as English', () => {
    const en = Object.keys(templates.freeText.elements).sort();
    for (const locale of IDENTITY_LOCALES) {
      const language = locale === 'en_US' ? 'en' : locale === 'zh_CN' ? 'zh' : locale;
      expect(files).toContain(`${language}.json`);
      const grammar = templates.freeTextByLanguage![language]!;
      expect(Object.keys(grammar.elements).every((k) => en.includes(k))).toBe(true);
      expect(grammar.always).toEqual(['AdditionalPatientHistory']);
      expect(grammar.decoys.length).toBeGreaterThanOrEqual(8);
    }
  });

  it('puts every PHI placeholder of ja, ko and zh between whitespace or the text’s ends', () => {
    for (const language of ['ja', 'ko', 'zh']) {
      const grammar = JSON.parse(readFileSync(join(dir, `${language}.json`), 'utf8')) as {
        elements: Record<string, string[]>;
      };
      for (const template of Object.values(grammar.elements).flat()) {
        const parts = parseTemplate(template);
        parts.forEach((p, i) => {
          if (!('name' in p) || p.name === 'clean' || p.name === 'decoy') return;
          const before = parts[i - 1];
          const after = parts[i + 1];
          const ok = (q: Part | undefined, end: 'start' | 'end'): boolean =>
            q === undefined || ('literal' in q && (end === 'start' ? /\s$/ : /^\s/).test(q.literal));
          expect({ template, placeholder: p.name, bounded: ok(before, 'start') && ok(after, 'end') }).toEqual(
            {
              template,
              placeholder: p.name,
              bounded: true,
            },
          );
        });
      }
    }
  });

  it('writes literals and decoys that read back as written in the element’s VR and the locale’s character set', () => {
    for (const locale of IDENTITY_LOCALES) {
      const language = locale === 'en_US' ? 'en' : locale === 'zh_CN' ? 'zh' : locale;
      const grammar = templates.freeTextByLanguage![language]!;
      const terms = LOCALE_CHARACTER_SETS[locale];
      for (const [keyword, list] of Object.entries(grammar.elements)) {
        const vr = dictionaryVr(requireTag(keyword));
        const texts = [
          ...list.flatMap((tpl) => parseTemplate(tpl).flatMap((p) => ('literal' in p ? [p.literal] : []))),
          ...grammar.decoys,
        ];
        for (const text of texts)
          expect({ locale, keyword, text, ok: readsBackInPydicom(terms, vr, text) }).toEqual({
            locale,
            keyword,
            text,
            ok: true,
          });
      }
    }
  });

  it('carries every HIPAA kind of free text in the always-added element of every language', () => {
    for (const grammar of Object.values(templates.freeTextByLanguage!)) {
      const names = grammar.elements['AdditionalPatientHistory']!.join(' ');
      for (const field of [
        'study.referringPhysician.license',
        'study.institution.url',
        'study.stationIp',
        'patient.fax',
        'patient.accountNumber',
      ])
        expect(names).toContain(`{${field}`);
    }
  });
});

describe('dates in each language’s written form, without Intl', () => {
  it.each([
    ['de', '4. März 2019'],
    ['fr', '4 mars 2019'],
    ['es', '4 de marzo de 2019'],
    ['el', '4 Μαρτίου 2019'],
    ['ru', '4 марта 2019 г.'],
    ['ja', '2019年3月4日'],
    ['zh', '2019年3月4日'],
    ['ko', '2019년 3월 4일'],
  ])('%s: %s', (language, expected) => {
    expect(formatLongDate('20190304', language)).toBe(expected);
  });

  it('writes the first of the month as French does', () => {
    expect(formatLongDate('20190301', 'fr')).toBe('1er mars 2019');
    expect(formatLongDate('20191231', 'de')).toBe('31. Dezember 2019');
  });
});
