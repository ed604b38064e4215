/**
 * The answer key of instances of every locale, end to end at the instance level: plan, apply, write, read
 * back, derive the checks as generate does, then score (src/score/evaluate.ts, the MIDI-B rules). The file
 * taken as its own de-identified output passes every keep check and fails every removal check; the
 * oracle's de-identification of it (src/deid) passes every check. Both with the country's character set
 * and with ISO_IR 192.
 */
import { describe, expect, it } from 'vitest';
import { deriveChecks, type Check } from '../../src/answerkey/index.js';
import { applyInstanceDeid, planInstanceDeid, type DeidMappings } from '../../src/deid/index.js';
import { getString, parseDicom, requireTag, writeDicom } from '../../src/dicom/index.js';
import { IDENTITY_LOCALES, type IdentityLocale } from '../../src/identity/index.js';
import { applyPlan, IdentityValues, loadInsertTemplates, planInstance } from '../../src/insert/index.js';
import { evaluateCheck, toScoredFile, type Mappings } from '../../src/score/evaluate.js';
import { buildSource, sourceIdentities } from './source.js';

const templates = loadInsertTemplates();
const KEEP = new Set(['text_retained', 'tag_retained', 'text_notnull', 'uid_consistent', 'patid_consistent']);
const REMOVAL = new Set(['text_removed', 'date_shifted', 'uid_changed']);

function generated(locale: IdentityLocale, seed: number, utf8: boolean) {
  const ids = sourceIdentities(seed, locale, seed % 2 ? 'F' : 'M');
  const file = buildSource(`1.2.3.4.${seed}`);
  const plan = planInstance(file.dataset, {
    seed,
    sourceSopInstanceUid: getString(file.dataset, requireTag('SOPInstanceUID'))!,
    modality: 'CT',
    identity: new IdentityValues(ids.patients[0]!, ids.studies[0]!, 'CT'),
    templates,
    ...(utf8 ? { characterSet: 'utf8' as const } : {}),
  });
  applyPlan(file.dataset, plan);
  const bytes = writeDicom(file);
  const output = parseDicom(bytes, { path: 'out.dcm' });
  const checks = deriveChecks({
    output: output.dataset,
    plan,
    sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
    pixelDataMd5: undefined,
  });
  return { bytes, checks };
}

/** UID and Patient ID mappings of checks: each to itself (nothing changed), or to a new value. */
function mappingsOf(checks: readonly Check[], change: boolean): DeidMappings & Mappings {
  const uid = new Map<string, string>();
  const patientId = new Map<string, string>();
  for (const c of checks) {
    if (c.action === 'uid_consistent' || c.action === 'uid_changed')
      uid.set(c.value, change ? `2.25.${uid.size + 1000}` : c.value);
    if (c.action === 'patid_consistent') patientId.set(c.value, change ? 'DEID0001' : c.value);
  }
  return { uid, patientId, dateOffsets: new Map([...patientId.keys()].map((id) => [id, -400])) };
}

describe('answer keys of every locale', () => {
  for (const locale of IDENTITY_LOCALES) {
    for (const utf8 of [false, true]) {
      it(`${locale}${utf8 ? ' (ISO_IR 192)' : ''}: the untouched file keeps and fails exactly as it should; the oracle passes all`, () => {
        for (const seed of [1, 2, 3]) {
          const { bytes, checks } = generated(locale, seed, utf8);
          expect(checks.some((c) => c.action === 'text_removed')).toBe(true);
          const self = toScoredFile(parseDicom(bytes).dataset);
          const identity = mappingsOf(checks, false);
          const wrong: string[] = [];
          for (const c of checks) {
            const r = evaluateCheck(c, self, identity);
            const want = KEEP.has(c.action) ? true : REMOVAL.has(c.action) ? false : undefined;
            if (want !== undefined && r.passed !== want)
              wrong.push(`untouched ${c.action} ${c.path} ${JSON.stringify(c.actionText ?? c.value)}`);
          }
          const file = parseDicom(bytes);
          const mappings = mappingsOf(checks, true);
          applyInstanceDeid(
            file,
            planInstanceDeid(file.dataset, checks, { mappings, dateOffsetDays: -400 }),
            mappings,
          );
          const oracle = toScoredFile(parseDicom(writeDicom(file)).dataset);
          for (const c of checks) {
            const r = evaluateCheck(c, oracle, mappings);
            if (r.passed !== true)
              wrong.push(`oracle ${c.action} ${c.path} ${JSON.stringify(c.actionText ?? c.value)}`);
          }
          expect({ locale, seed, wrong }).toEqual({ locale, seed, wrong: [] });
        }
      });
    }
  }
});
