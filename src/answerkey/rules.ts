/**
 * The per-attribute rules behind check categories, read from templates/answerkey/ (human-edited data
 * with provenance in its README): PS3.15 Table E.1-1 action codes and options, the TCIA curation
 * disposition mapped to a tcia.p15 category, the HIPAA kind of the attribute (attributes.json), and the
 * Type 1/2 attributes of the mandatory modules of each IOD pseudophi writes (iod/*.json), which decide
 * text_notnull (DICOM-IOD-1) and tag_retained (DICOM-IOD-1/2) checks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HIPAA_KINDS, type HipaaKind } from '../phi/index.js';
import { AnswerKeyError, PS315_ACTION_CODES } from './check.js';

/** The folder of the answer-key tables (works from src/ under the tests and from dist/ when built). */
export function answerKeyTemplatesDir(): string {
  return DEFAULT_DIR;
}
const DEFAULT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates', 'answerkey');

/** TCIA's curation disposition of an attribute (shared/reference/midi-b-dataset.md, curation table). */
export type TciaDisposition =
  | 'remove'
  | 'clean'
  | 'review'
  | 'shift'
  | 'hash'
  | 'keep-time'
  | 'empty'
  | 'replace'
  | 'keep'
  | 'lookup';

/** Rules for one standard attribute. */
export interface AttributeRule {
  keyword: string;
  /** `(0010,0010)`; repeating groups keep `xx`: `(60xx,3000)`. */
  tag: string;
  name: string;
  vr: string;
  /** PS3.15 Table E.1-1 row, or null for attributes the table does not list. */
  ps315: { basic: string; options: Readonly<Record<string, string>> } | null;
  tcia: { disposition: TciaDisposition; p15: string | null; from: 'midi-b-dataset' | 'derived' };
  /** HIPAA kind of the attribute itself (the source of hipaa.z), or null. */
  hipaa: HipaaKind | null;
}

/** Module usage in an IOD (PS3.3 A.1.3): Mandatory, Conditional, User option. */
export type ModuleUsage = 'M' | 'C' | 'U';
/** Attribute types that oblige an element to be present (PS3.5 7.4). */
export type AttributeType = '1' | '1C' | '2' | '2C';

/** One Type 1/1C/2/2C top-level attribute of a module. */
export interface ModuleAttribute {
  keyword: string;
  tag: string;
  type: AttributeType;
  /** For 1C/2C: a short note of when the attribute is required. */
  condition?: string;
}

/** One module of PS3.3 as used in an IOD. */
export interface IodModule {
  name: string;
  /** PS3.3 section of the module's attribute table. */
  section: string;
  usage: ModuleUsage;
  /** For C usage: when the module is required. */
  condition?: string;
  attributes: ModuleAttribute[];
}

/** One IOD as pseudophi's corpus writes it. */
export interface IodDefinition {
  sopClassUid: string;
  sopClassName: string;
  /** PS3.3 section of the IOD module table. */
  iod: string;
  modules: IodModule[];
}

/** What one attribute must look like in one IOD (from its mandatory modules). */
export interface IodAttributeType {
  keyword: string;
  tag: string;
  type: AttributeType;
  module: string;
  condition?: string;
}

interface AttributesFile {
  dictionary: string;
  count: number;
  attributes: Record<string, Omit<AttributeRule, 'keyword'>>;
}

interface ModulesFile {
  modules: Record<string, { section: string; attributes: ModuleAttribute[] }>;
}

interface IodFile {
  sopClassUid: string;
  sopClassName: string;
  iod: string;
  modules: Array<{ module: string; usage: ModuleUsage; condition?: string }>;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

let attributeCache: ReadonlyMap<string, AttributeRule> | undefined;

/** Loads templates/answerkey/attributes.json, validated, keyed by DICOM keyword (cached). */
export function loadAttributeRules(dir = answerKeyTemplatesDir()): ReadonlyMap<string, AttributeRule> {
  if (attributeCache && dir === answerKeyTemplatesDir()) return attributeCache;
  const file = join(dir, 'attributes.json');
  const data = readJson<AttributesFile>(file);
  const out = new Map<string, AttributeRule>();
  for (const [keyword, rule] of Object.entries(data.attributes)) {
    const where = `${file}: ${keyword}`;
    if (!/^\([0-9A-Fx]{4},[0-9A-Fx]{4}\)$/.test(rule.tag))
      throw new AnswerKeyError(`${where}: bad tag ${rule.tag}`);
    if (rule.ps315 && !PS315_ACTION_CODES.has(rule.ps315.basic))
      throw new AnswerKeyError(`${where}: ${rule.ps315.basic} is not a Table E.1-1 code`);
    if (rule.hipaa !== null && !(HIPAA_KINDS as readonly string[]).includes(rule.hipaa))
      throw new AnswerKeyError(`${where}: ${String(rule.hipaa)} is not a HIPAA letter`);
    if (
      rule.tcia.p15 !== null &&
      !/^TCIA-P15-(BASIC-[XZDU/*]+|DESC-C|DEV-[CK]|MOD-C|PAT-K|PIX-K)$/.test(rule.tcia.p15)
    )
      throw new AnswerKeyError(`${where}: ${rule.tcia.p15} is not a tcia.p15 category`);
    out.set(keyword, { keyword, ...rule });
  }
  if (out.size !== data.count)
    throw new AnswerKeyError(`${file}: count ${data.count} but ${out.size} attributes`);
  if (dir === answerKeyTemplatesDir()) attributeCache = out;
  return out;
}

/** The rule of one attribute keyword, or undefined. */
export function attributeRule(keyword: string): AttributeRule | undefined {
  return (attributeCache ?? loadAttributeRules()).get(keyword);
}

const TYPE_RANK: Record<AttributeType, number> = { '1': 0, '1C': 1, '2': 2, '2C': 3 };

let iodCache: ReadonlyMap<string, IodDefinition> | undefined;

/** Loads every templates/answerkey/iod/*.json (modules from iod/modules.json), keyed by SOP Class UID. */
export function loadIods(dir = answerKeyTemplatesDir()): ReadonlyMap<string, IodDefinition> {
  if (iodCache && dir === answerKeyTemplatesDir()) return iodCache;
  const iodDir = join(dir, 'iod');
  const modules = readJson<ModulesFile>(join(iodDir, 'modules.json')).modules;
  const out = new Map<string, IodDefinition>();
  for (const name of readdirSync(iodDir).sort()) {
    if (!name.endsWith('.json') || name === 'modules.json') continue;
    const file = join(iodDir, name);
    const iod = readJson<IodFile>(file);
    if (out.has(iod.sopClassUid))
      throw new AnswerKeyError(`${file}: SOP Class ${iod.sopClassUid} defined twice`);
    out.set(iod.sopClassUid, {
      sopClassUid: iod.sopClassUid,
      sopClassName: iod.sopClassName,
      iod: iod.iod,
      modules: iod.modules.map((m) => {
        const def = modules[m.module];
        if (!def) throw new AnswerKeyError(`${file}: unknown module ${m.module}`);
        if (m.usage === 'C' && !m.condition)
          throw new AnswerKeyError(`${file}: module ${m.module} is C without a condition`);
        for (const a of def.attributes)
          if ((a.type === '1C' || a.type === '2C') && !a.condition)
            throw new AnswerKeyError(
              `modules.json: ${m.module} ${a.keyword} is ${a.type} without a condition`,
            );
        return {
          name: m.module,
          section: def.section,
          usage: m.usage,
          ...(m.condition ? { condition: m.condition } : {}),
          attributes: def.attributes,
        };
      }),
    });
  }
  if (dir === answerKeyTemplatesDir()) iodCache = out;
  return out;
}

/**
 * The Type 1/1C/2/2C attributes of the Mandatory modules of an IOD, by keyword. Where two modules name
 * the same attribute the stricter type wins (a modality module specializes a general one, PS3.3 C.1:
 * e.g. Image Type is Type 3 in General Image but Type 1 in CT Image). Undefined for an unknown class.
 */
export function iodTypesFor(sopClassUid: string): ReadonlyMap<string, IodAttributeType> | undefined {
  // Asked once per derived instance: built once per SOP class.
  if (iodTypesCache.has(sopClassUid)) return iodTypesCache.get(sopClassUid);
  const types = buildIodTypes(sopClassUid);
  iodTypesCache.set(sopClassUid, types);
  return types;
}

const iodTypesCache = new Map<string, ReadonlyMap<string, IodAttributeType> | undefined>();

function buildIodTypes(sopClassUid: string): ReadonlyMap<string, IodAttributeType> | undefined {
  const iod = loadIods().get(sopClassUid);
  if (!iod) return undefined;
  const out = new Map<string, IodAttributeType>();
  for (const module of iod.modules) {
    if (module.usage !== 'M') continue;
    for (const a of module.attributes) {
      const have = out.get(a.keyword);
      if (have && TYPE_RANK[have.type] <= TYPE_RANK[a.type]) continue;
      out.set(a.keyword, {
        keyword: a.keyword,
        tag: a.tag,
        type: a.type,
        module: module.name,
        ...(a.condition ? { condition: a.condition } : {}),
      });
    }
  }
  return out;
}

/** The dicom.iod category of an attribute type: Type 1 and 1C give DICOM-IOD-1, Type 2 and 2C DICOM-IOD-2. */
export const iodCategory = (type: AttributeType): 'DICOM-IOD-1' | 'DICOM-IOD-2' =>
  type === '1' || type === '1C' ? 'DICOM-IOD-1' : 'DICOM-IOD-2';
