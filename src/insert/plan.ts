/**
 * The insertion planner: from a source instance (read only) and its patient's and study's identities,
 * the list of edits that turns clean TCIA-style data into data that looks identifiable, each edit carrying
 * the record the answer key is written from (ARCHITECTURE.md section 3: plan, then apply; the key comes
 * from the plan). Pure: no I/O, no clock, seeded by stable keys only.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { leakedTokens, sharedTokens, tokensOf } from '../phi/scorer-text.js';
import {
  CharacterSetError,
  checkStringValue,
  codecFor,
  formatPath,
  deriveUid,
  findPrivateBlock,
  getString,
  isStringVr,
  lookupTag,
  MAX_CHARS,
  readStrings,
  refOf,
  requireTag,
  tagForKeyword,
  textCodecOf,
  usesSpecificCharacterSet,
  type DicomDataset,
  type DicomElement,
  type ElementPath,
  type ElementRef,
  type Vr,
} from '../dicom/index.js';
import { ConfigError } from '../errors/index.js';
import { DEFAULT_LOCALE, languageOf, shiftDate, shiftDateTime } from '../identity/index.js';
import type { HipaaKind } from '../phi/index.js';
import { rngFor } from '../rng/index.js';
import {
  characterSetOf,
  needsPydicomCheck,
  planCharacterSet,
  readsBackInPydicom,
  type CharacterSetPlan,
  type CharacterSetPolicy,
} from './character-set.js';
import { planFreeText, type FreeTextPlan, type TextSpan } from './free-text.js';
import { DEFAULT_INTENSITY, includesUnit, shareOf, type InsertionUnit } from './intensity.js';
import type { IdentityValues } from './identity-values.js';

/** Why an element was set, and what the answer key must say about it. */
export type EditRecord =
  /** Whole-value PHI: one entry per value of the element, in order. */
  | { type: 'phi'; values: ReadonlyArray<{ field: string; kind: HipaaKind | null }> }
  /** Free text with recorded PHI, clean and decoy spans. */
  | { type: 'free-text'; spans: readonly TextSpan[]; template: string }
  /** A date or date-time moved by the patient's date shift: the de-identifier must shift it again. */
  | { type: 'date'; sourceValues: readonly string[] }
  /** A UID replaced by its seeded counterpart, consistently across the dataset. */
  | { type: 'uid'; sourceValues: readonly string[] }
  /**
   * A structural, non-PHI value needed by an inserted sequence item (`TEXT`, a code), or a companion an
   * inserted attribute requires (an empty Type 2 Manufacturer).
   */
  | { type: 'constant' };

/** Sets an element at a path (creating sequences, items and private blocks as needed). */
export interface SetEdit {
  path: ElementPath;
  vr: Vr;
  values: readonly string[];
  record: EditRecord;
}

/** Everything one instance gets. Deletions are applied first, then sets in order. */
export interface InstancePlan {
  deletes: readonly ElementPath[];
  deletePrivateBlocks: ReadonlyArray<{ group: number; creator: string }>;
  sets: readonly SetEdit[];
  /**
   * The new Specific Character Set, when the new text needs one (its edit is then the first of `sets`, so
   * that every later value is encoded with it). Absent when the input's own set holds every new string.
   */
  characterSet?: CharacterSetPlan;
  /**
   * Edits left out because no character set could hold their text without changing the meaning of the
   * input's own, or because pydicom would read their bytes otherwise (formatted paths); absent when none
   * was.
   */
  unencodable?: readonly string[];
}

/** The inputs of planning one instance. */
export interface InstanceContext {
  seed: string | number;
  /** Source SOP Instance UID: the stable key of this instance's own random choices. */
  sourceSopInstanceUid: string;
  modality: string;
  identity: IdentityValues;
  templates: InsertTemplates;
  /**
   * How a new Specific Character Set is chosen when the new text needs one: `locale` (default) the set a
   * device of the patient's country writes, `utf8` ISO_IR 192 for every locale (character-set.ts).
   */
  characterSet?: CharacterSetPolicy;
  /**
   * How much optional PHI to insert (intensity.ts) and the key of the draws that decide it (the source's
   * Series Instance UID, so a series' instances get the same attributes); absent: the default insertion,
   * which intensity 1 reproduces exactly.
   */
  insertion?: { intensity: number; seriesKey: string };
}

// ---------------------------------------------------------------------------------------------------
// Templates (data in templates/insert and templates/free-text)

interface StandardAttribute {
  keyword: string;
  value?: string;
  values?: string[];
  when: 'always' | 'present';
  modalities?: string[];
  /** Inserted at every insertion intensity (the others of `when: always` are optional below 1). */
  core?: boolean;
}
type ItemSpec = { [keyword: string]: string | ItemSpec };
interface SequenceSpec {
  keyword: string;
  item: ItemSpec;
}
interface PrivateBlockSpec {
  manufacturer: string;
  modalities?: string[];
  group: string;
  creator: string;
  elements: Array<{ element: string; vr: Vr; name: string; value: string }>;
}

/** One language's free-text grammar (templates/free-text/<language>.json). */
export interface FreeTextTemplates {
  language?: string;
  elements: Record<string, string[]>;
  decoys: string[];
  always?: string[];
}

/** The insertion tables, loaded once. */
export interface InsertTemplates {
  standard: { attributes: StandardAttribute[]; sequences: SequenceSpec[] };
  private: { blocks: PrivateBlockSpec[] };
  /** The English grammar (en_US patients). */
  freeText: FreeTextTemplates;
  /** Every language's grammar by language (`de`, `ja`, `zh`...), English included; patients use their locale's. */
  freeTextByLanguage?: Readonly<Record<string, FreeTextTemplates>>;
}

/** templates/ at the package root. */
export function templatesDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates');
}

const readJson = <T>(path: string): T => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new ConfigError(`cannot load: ${(error as Error).message}`, path);
  }
};

/** Loads and checks the insertion tables: every keyword must be a DICOM keyword. */
export function loadInsertTemplates(dir = templatesDir()): InsertTemplates {
  const standardPath = join(dir, 'insert', 'standard.json');
  const freeTextPath = join(dir, 'free-text', 'en.json');
  const freeTextByLanguage: Record<string, FreeTextTemplates> = {};
  for (const file of readdirSync(join(dir, 'free-text')).sort()) {
    if (!file.endsWith('.json')) continue;
    freeTextByLanguage[file.slice(0, -5)] = readJson(join(dir, 'free-text', file));
  }
  const templates: InsertTemplates = {
    standard: readJson(standardPath),
    private: readJson(join(dir, 'insert', 'private.json')),
    freeText: readJson(freeTextPath),
    freeTextByLanguage,
  };
  const checkKeyword = (keyword: string, file: string): void => {
    if (tagForKeyword(keyword) === undefined) throw new ConfigError(`unknown DICOM keyword ${keyword}`, file);
  };
  for (const a of templates.standard.attributes) checkKeyword(a.keyword, standardPath);
  const walkItem = (item: ItemSpec): void => {
    for (const [k, v] of Object.entries(item)) {
      checkKeyword(k, standardPath);
      if (typeof v !== 'string') walkItem(v);
    }
  };
  for (const s of templates.standard.sequences) {
    checkKeyword(s.keyword, standardPath);
    walkItem(s.item);
  }
  for (const [language, grammar] of Object.entries(freeTextByLanguage)) {
    const file = join(dir, 'free-text', `${language}.json`);
    if (!grammar.elements || !Array.isArray(grammar.decoys) || grammar.decoys.length === 0)
      throw new ConfigError('a free-text grammar needs elements and decoys', file);
    for (const k of Object.keys(grammar.elements)) checkKeyword(k, file);
  }
  return templates;
}

// ---------------------------------------------------------------------------------------------------
// Helpers

const tagRef = (keyword: string): ElementRef => ({ kind: 'tag', tag: requireTag(keyword) });
const top = (ref: ElementRef): ElementPath => ({ steps: [{ ref }] });

/** A resolved field spec `field[:format]`. */
function resolveSpec(
  ctx: InstanceContext,
  spec: string,
): { text: string; field: string; kind: HipaaKind | null } | undefined {
  const [name, format] = spec.split(':', 2) as [string, string | undefined];
  return ctx.identity.resolve(name, format);
}

/** Whether values fit the VR (length, repertoire, form); a value that does not is never written. */
function fits(vr: Vr, values: readonly string[]): boolean {
  for (let i = 0; i < values.length; i++) if (checkStringValue(vr, values[i]!) !== undefined) return false;
  return true;
}

/** VRs of the keywords the templates name, looked up once each. */
const stringVrByKeyword = new Map<string, Vr>();

/** The single VR of an attribute in the dictionary (PS3.6), for the string VRs the planner writes. */
function dictionaryStringVr(keyword: string): Vr {
  const known = stringVrByKeyword.get(keyword);
  if (known) return known;
  const vr = lookupTag(requireTag(keyword))?.vr;
  if (!vr || !isStringVr(vr as Vr)) throw new ConfigError(`${keyword} is not a text attribute (VR ${vr})`);
  stringVrByKeyword.set(keyword, vr as Vr);
  return vr as Vr;
}

/** The extra items (second, third) a PHI sequence may get above intensity 2. */
const EXTRA_ITEMS = [1, 2];

/** Attributes whose UIDs are instance UIDs to replace (PS3.15 action U), by tag. */
const UID_KEYWORDS = [
  'StudyInstanceUID',
  'SeriesInstanceUID',
  'SOPInstanceUID',
  'FrameOfReferenceUID',
  'ReferencedSOPInstanceUID',
  'ReferencedFrameOfReferenceUID',
  'RelatedFrameOfReferenceUID',
  'SynchronizationFrameOfReferenceUID',
  'IrradiationEventUID',
  'ConcatenationUID',
  'DimensionOrganizationUID',
  'ReferencedSOPInstanceUIDInFile',
  'UID',
  'TargetUID',
  'StorageMediaFileSetUID',
  'DoseReferenceUID',
  'TrackingUID',
  'ObservationUID',
  'FiducialUID',
  'SpecimenUID',
  'ContextGroupExtensionCreatorUID',
  'TemplateExtensionCreatorUID',
];
const UID_TAGS = new Set(
  UID_KEYWORDS.map((k) => tagForKeyword(k)).filter((t): t is number => t !== undefined),
);

/**
 * Attributes of the General Equipment module (PS3.3 C.7.5.1) that the templates insert. Inserting one puts
 * the module in the instance, and the module's Type 2 Manufacturer must then be present: in IODs where the
 * module is optional (Secondary Capture) a source may have none, and gets an empty one.
 */
const GENERAL_EQUIPMENT_KEYWORDS = [
  'InstitutionName',
  'InstitutionAddress',
  'StationName',
  'InstitutionalDepartmentName',
  'DeviceSerialNumber',
  'GantryID',
];

/** TCIA's curation markers, removed so the data looks clinical (midi-b-dataset.md, "Identifiers and UIDs"). */
const CURATION_MARKERS = [
  'PatientIdentityRemoved',
  'DeidentificationMethod',
  'DeidentificationMethodCodeSequence',
  'LongitudinalTemporalInformationModified',
];

/** UIDs mapped lately under one seed (source UID to new UID); emptied for another seed or when full. */
const mappedUids = { seed: '', uids: new Map<string, string>() };
const MAX_MAPPED_UIDS = 100_000;

/** The new UID of a source UID: a hash of the seed and the old UID, so every reference maps alike. */
export function mapUid(seed: string | number, uid: string): string {
  // A series' instances all map its study, series and frame of reference UIDs, and a run maps each
  // instance's own UID more than once: a hash each time costs more than the lookup. deriveUid reads
  // the seed as String(seed), and so does the cache.
  if (mappedUids.seed !== String(seed) || mappedUids.uids.size >= MAX_MAPPED_UIDS) {
    mappedUids.seed = String(seed);
    mappedUids.uids = new Map();
  }
  let mapped = mappedUids.uids.get(uid);
  if (mapped === undefined) {
    mapped = deriveUid(seed, 'uid', uid);
    mappedUids.uids.set(uid, mapped);
  }
  return mapped;
}

/** Visits every element of a data set depth first with its path (items included). */
function walk(
  ds: DicomDataset,
  visit: (element: DicomElement, path: ElementPath, holder: DicomDataset) => void,
  prefix: ElementPath['steps'] = [],
): void {
  for (const element of ds.elements) {
    const ref = refOf(ds, element);
    const path: ElementPath = { steps: [...prefix, { ref }] };
    visit(element, path, ds);
    element.items?.forEach((item, index) => walk(item, visit, [...prefix, { ref, item: index }]));
  }
}

const pathKey = (path: ElementPath): string =>
  path.steps
    .map(
      (s) =>
        (s.ref.kind === 'tag'
          ? s.ref.tag.toString(16)
          : `${s.ref.group}:${s.ref.creator}:${s.ref.elementByte}`) +
        (s.item === undefined ? '' : `[${s.item}]`),
    )
    .join('/');

// ---------------------------------------------------------------------------------------------------
// The planner

/** Plans every edit of one instance. */
export function planInstance(source: DicomDataset, ctx: InstanceContext): InstancePlan {
  const sets = new Map<string, SetEdit>();
  const add = (edit: SetEdit): void => {
    const key = pathKey(edit.path);
    if (sets.has(key)) return; // the first planner to claim an element owns it
    sets.set(key, edit);
  };
  const codec = textCodecOf(source);
  const manufacturer = getString(source, requireTag('Manufacturer')) ?? '';
  // At the default intensity every unit's share is 0 or 1 (but absent free text's, the 0.5 below): no
  // draw is made, and the plan is the one made before intensities existed.
  const intensity = ctx.insertion?.intensity ?? DEFAULT_INTENSITY;
  const seriesKey = ctx.insertion?.seriesKey ?? ctx.sourceSopInstanceUid;
  const includes = (unitName: string, unit: InsertionUnit): boolean =>
    includesUnit(ctx.seed, seriesKey, unitName, unit, intensity);

  // 1. Curation markers go; the CTP block goes.
  const deletes = CURATION_MARKERS.map(requireTag)
    .filter((tag) => source.has(tag))
    .map((tag) => top({ kind: 'tag', tag }));
  const deletePrivateBlocks =
    findPrivateBlock(source, 0x0013, 'CTP') !== undefined ? [{ group: 0x0013, creator: 'CTP' }] : [];

  // 2. Whole-value PHI in standard attributes: set at the top level ('always'), replaced wherever present.
  const patientBirthDate = requireTag('PatientBirthDate');
  const byTag = new Map<number, StandardAttribute>();
  for (const a of ctx.templates.standard.attributes) {
    if (a.modalities && !a.modalities.includes(ctx.modality)) continue;
    if (a.when === 'always' && !a.core && !includes(`attribute:${a.keyword}`, 'optional')) continue;
    byTag.set(requireTag(a.keyword), a);
  }
  const phiEdit = (a: StandardAttribute, path: ElementPath): SetEdit | undefined => {
    const specs = a.values ?? (a.value ? [a.value] : []);
    const resolved = specs.map((s) => resolveSpec(ctx, s));
    for (let i = 0; i < resolved.length; i++) if (resolved[i] === undefined) return undefined;
    const vr = dictionaryStringVr(a.keyword);
    const values = resolved.map((r) => r!.text);
    if (!fits(vr, values)) return undefined;
    return {
      path,
      vr,
      values,
      record: { type: 'phi', values: resolved.map((r) => ({ field: r!.field, kind: r!.kind })) },
    };
  };
  for (const [tag, a] of byTag) {
    if (a.when !== 'always' && !source.has(tag)) continue;
    const edit = phiEdit(a, top({ kind: 'tag', tag }));
    if (edit) add(edit);
  }
  const manufacturerTag = requireTag('Manufacturer');
  const insertsEquipment = GENERAL_EQUIPMENT_KEYWORDS.some((k) => sets.has(pathKey(top(tagRef(k)))));
  if (insertsEquipment && !source.has(manufacturerTag))
    add({ path: top(tagRef('Manufacturer')), vr: 'LO', values: [], record: { type: 'constant' } });
  walk(source, (element, path) => {
    if (path.steps.length < 2) return;
    const a = byTag.get(element.tag);
    if (a && element.value && element.value.length > 0) {
      const edit = phiEdit(a, path);
      if (edit) add(edit);
    }
  });

  // 3. PHI sequences: one new item each, after the source's items (none, or up to three, by intensity).
  for (const spec of ctx.templates.standard.sequences) {
    const tag = requireTag(spec.keyword);
    const sourceItems = source.get(tag)?.items?.length ?? 0;
    const planItem = (item: ItemSpec, prefix: ElementPath['steps']): SetEdit[] | undefined => {
      const edits: SetEdit[] = [];
      for (const [keyword, value] of Object.entries(item)) {
        const ref = tagRef(keyword);
        if (typeof value !== 'string') {
          const nested = planItem(value, [...prefix, { ref, item: 0 }]);
          if (!nested) return undefined;
          edits.push(...nested);
          continue;
        }
        const vr = dictionaryStringVr(keyword);
        const path: ElementPath = { steps: [...prefix, { ref }] };
        if (value.startsWith('=')) {
          edits.push({ path, vr, values: [value.slice(1)], record: { type: 'constant' } });
          continue;
        }
        const r = resolveSpec(ctx, value);
        if (!r || !fits(vr, [r.text])) return undefined;
        edits.push({
          path,
          vr,
          values: [r.text],
          record: { type: 'phi', values: [{ field: r.field, kind: r.kind }] },
        });
      }
      return edits;
    };
    const items = [
      includes(`sequence:${spec.keyword}`, 'optional'),
      ...EXTRA_ITEMS.map((extraItem) => includes(`sequence:${spec.keyword}:${extraItem}`, { extraItem })),
    ].filter(Boolean).length;
    for (let n = 0; n < items; n++) {
      const edits = planItem(spec.item, [{ ref: { kind: 'tag', tag }, item: sourceItems + n }]);
      // Items follow one another: one that cannot be planned ends the sequence's new items.
      if (!edits) break;
      edits.forEach(add);
    }
  }

  // 4. Private PHI where the device's vendor puts it.
  for (const block of ctx.templates.private.blocks) {
    if (!manufacturer.toUpperCase().includes(block.manufacturer.toUpperCase())) continue;
    if (block.modalities && !block.modalities.includes(ctx.modality)) continue;
    if (!includes(`private:${block.creator}`, 'optional')) continue;
    const group = parseInt(block.group, 16);
    for (const e of block.elements) {
      const r = resolveSpec(ctx, e.value);
      if (!r || !fits(e.vr, [r.text])) continue;
      add({
        path: top({ kind: 'private', group, creator: block.creator, elementByte: parseInt(e.element, 16) }),
        vr: e.vr,
        values: [r.text],
        record: { type: 'phi', values: [{ field: r.field, kind: r.kind }] },
      });
    }
  }

  // 5. Free text: a template per element, with spans recorded as it is filled, in the patient's language.
  const rng = rngFor(ctx.seed, 'free-text', ctx.sourceSopInstanceUid);
  const locale = ctx.identity.patient.locale ?? DEFAULT_LOCALE;
  const language = languageOf(locale);
  const freeText =
    language === 'en'
      ? ctx.templates.freeText
      : (ctx.templates.freeTextByLanguage?.[language] ?? ctx.templates.freeText);
  const textValue = requireTag('TextValue');
  const valueType = getString(source, requireTag('ValueType'));
  for (const [keyword, templates] of Object.entries(freeText.elements)) {
    const tag = requireTag(keyword);
    const existing = source.get(tag);
    // Text Value is Type 1C in the Document Content Macro (PS3.3 C.17.3.2): present only where Value Type
    // is TEXT. It is never added to a content item of another type (an SR document's root is a CONTAINER).
    if (!existing && tag === textValue && valueType !== undefined && valueType !== 'TEXT') continue;
    const clean = existing?.value ? (readStrings(existing, codec)[0] ?? '') : '';
    // Elements the source lacks are added for a share of instances, so descriptions are not all alike.
    const always = freeText.always?.includes(keyword) ?? false;
    if (!existing && !always) {
      if (!rng.chance(shareOf('free-text-absent', intensity))) continue;
    } else if (!includes(`free-text:${keyword}`, 'free-text')) continue;
    const vr = dictionaryStringVr(keyword);
    const plan = planFreeText(
      rng,
      templates,
      {
        clean,
        resolve: (name, format) => {
          const r = ctx.identity.resolve(name, format);
          return r && r.kind ? { text: r.text, field: r.field, kind: r.kind } : undefined;
        },
        decoy: () => rng.pick(freeText.decoys),
      },
      (p) => acceptFreeText(vr, p),
    );
    if (plan)
      add({
        path: top({ kind: 'tag', tag }),
        vr,
        values: [plan.value],
        record: { type: 'free-text', spans: plan.spans, template: plan.template },
      });
  }

  // 6. Every date moves by the patient's shift; every instance UID is replaced. Last, so PHI planners win.
  walk(source, (element, path) => {
    if (!element.value || element.value.length === 0 || element.tag === patientBirthDate) return;
    if (element.vr === 'DA' || element.vr === 'DT') {
      const values = readStrings(element, codec);
      if (values.length === 0) return;
      const shifted = values.map((v) => shiftTemporal(ctx, element.vr, v));
      if (shifted.some((v) => v === undefined)) return; // malformed source dates are left alone
      add({
        path,
        vr: element.vr,
        values: shifted as string[],
        record: { type: 'date', sourceValues: values },
      });
    } else if (
      element.vr === 'UI' &&
      (UID_TAGS.has(element.tag) || path.steps[path.steps.length - 1]!.ref.kind === 'private')
    ) {
      const values = readStrings(element, codec);
      if (values.length === 0 || values.some((v) => v.startsWith('1.2.840.10008.'))) return;
      add({
        path,
        vr: 'UI',
        values: values.map((v) => mapUid(ctx.seed, v)),
        record: { type: 'uid', sourceValues: values },
      });
    }
  });

  return withCharacterSet(source, { deletes, deletePrivateBlocks, sets: [...sets.values()] }, ctx);
}

const characterSetTag = requireTag('SpecificCharacterSet');

/**
 * Puts the Specific Character Set the new text needs at the head of the plan (planCharacterSet); a plan
 * whose text the input's set holds is returned as it is. Edits whose text no set can hold without changing
 * the meaning of the input's own, or whose bytes pydicom would read otherwise (a JIS X 0208 character
 * holding the byte 0x5C, which pydicom takes for a value delimiter), are left out and listed in
 * `unencodable`: the answer key must hold what the scorer reads.
 */
function withCharacterSet(source: DicomDataset, plan: InstancePlan, ctx: InstanceContext): InstancePlan {
  const texts = plan.sets.filter((e) => usesSpecificCharacterSet(e.vr)).flatMap((e) => e.values);
  const locale = ctx.identity.patient.locale ?? DEFAULT_LOCALE;
  let characterSet: CharacterSetPlan | undefined;
  let terms: readonly string[];
  try {
    characterSet = planCharacterSet(source, texts, locale, ctx.characterSet ?? 'locale');
    terms = characterSet?.terms ?? characterSetOf(source);
  } catch (error) {
    if (!(error instanceof CharacterSetError)) throw error;
    terms = characterSetOf(source);
  }
  const codec = codecFor(terms);
  const check = needsPydicomCheck(terms);
  const writable = (e: SetEdit): boolean =>
    !usesSpecificCharacterSet(e.vr) ||
    (e.values.every((v) => codec.canEncode(v)) &&
      (!check || readsBackInPydicom(terms, e.vr, e.values.join('\\'))));
  let sets = plan.sets;
  let unencodable: string[] | undefined;
  if (!sets.every(writable)) {
    unencodable = sets.filter((e) => !writable(e)).map((e) => formatPath(e.path));
    sets = sets.filter(writable);
  }
  if (!characterSet && !unencodable) return plan;
  const edit: SetEdit | undefined = characterSet && {
    path: top({ kind: 'tag', tag: characterSetTag }),
    vr: 'CS',
    values: characterSet.terms,
    record: { type: 'constant' },
  };
  return {
    ...plan,
    sets: edit ? [edit, ...sets] : sets,
    ...(characterSet ? { characterSet } : {}),
    ...(unencodable ? { unencodable } : {}),
  };
}

/** Shifts a DA or DT value; undefined for a value that is not a date. */
function shiftTemporal(ctx: InstanceContext, vr: Vr, value: string): string | undefined {
  try {
    const shifted =
      vr === 'DA' ? shiftDate(ctx.identity.patient, value) : shiftDateTime(ctx.identity.patient, value);
    return checkStringValue(vr, shifted) === undefined ? shifted : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A filled template is kept only if it fits the VR and the MIDI-B scorer can score its parts apart: no
 * PHI token survives in the text that remains once every PHI span is removed, and no kept span shares a
 * token with a PHI span (shared/reference/midi-b-answer-key.md section 4, consequences).
 */
export function acceptFreeText(vr: Vr, plan: FreeTextPlan): boolean {
  // PS3.5 6.2: the limits are in characters (code points), not bytes or UTF-16 units.
  const max = MAX_CHARS[vr];
  if (max !== undefined && [...plan.value].length > max) return false;
  if (checkStringValue(vr, plan.value) !== undefined) return false;
  const phi = plan.spans.filter((s) => s.role === 'phi');
  const kept = plan.spans.filter((s) => s.role !== 'phi');
  let remaining = '';
  let at = 0;
  for (const s of phi) {
    remaining += plan.value.slice(at, s.start);
    at = s.end;
  }
  remaining += plan.value.slice(at);
  for (const s of phi) {
    if (tokensOf(s.text).length === 0 || leakedTokens(s.text, remaining).length > 0) return false;
    for (const k of kept) if (sharedTokens(s.text, k.text).length > 0) return false;
  }
  for (const k of kept) if (tokensOf(k.text).length === 0) return false;
  return true;
}
