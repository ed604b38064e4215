/**
 * The corpus templates (templates/corpus/*.json): collections, equipment per modality and vendor, vendor
 * private blocks, study and series archetypes, SR text, TCIA's de-identification markers. Loaded once and
 * checked; code reads only these typed forms.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isVr, type Vr } from '../dicom/index.js';
import { ConfigError } from '../errors/index.js';
import type { AttributeSet, PrivateAttribute } from './attributes.js';
import type { ModalityKey } from './profile.js';

/** templates/corpus, found relative to this module (the same depth under src/ and dist/). */
export function templatesDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates', 'corpus');
}

/** A TCIA-style collection: the subject code prefix, site, UID root and which study archetypes it holds. */
export interface CollectionTemplate {
  readonly key: string;
  readonly name: string;
  readonly subjectPrefix: string;
  readonly siteNumber: number;
  readonly siteName: string;
  readonly siteId: string;
  readonly sex?: 'F' | 'M';
  readonly trial?: { readonly sponsor: string; readonly protocolId: string; readonly protocolName: string };
  readonly studies: readonly string[];
  /** Which sentences of sr-reports.json its reports use. */
  readonly reportTopic: string;
}

/** One scanner model: its standard attributes, pixel habits and private blocks. */
export interface EquipmentTemplate {
  readonly key: string;
  readonly weight: number;
  readonly attributes: AttributeSet;
  readonly pixel?: {
    readonly signed?: boolean;
    readonly bitsStored?: number;
    readonly monochrome1?: boolean;
    /** Stored value outside the reconstruction circle, declared as Pixel Padding Value (PS3.3 C.7.5.1.1.2). */
    readonly padding?: number;
  };
  readonly kernels?: readonly string[];
  readonly privateBlocks: readonly string[];
}

/** A private element whose value may copy a standard attribute of the same instance (`=Keyword`). */
export interface PrivateElementTemplate extends Omit<PrivateAttribute, 'value'> {
  readonly value: string | number | ReadonlyArray<string | number>;
  readonly name: string;
}

/** A vendor private block (PS3.5 7.8): group, creator, elements. */
export interface PrivateBlockTemplate {
  readonly group: number;
  readonly creator: string;
  readonly elements: readonly PrivateElementTemplate[];
}

/** One series of a study archetype; hints (thickness, kernel, view, weighting) steer headers and pixels. */
export interface SeriesTemplate {
  readonly SeriesDescription: string;
  readonly ProtocolName?: string;
  readonly sliceThickness?: number;
  readonly kernelIndex?: number;
  readonly patientPosition?: string;
  readonly weighting?: 'T1' | 'T2' | 'DWI' | 'DCE';
  /** MR stack orientation (default axial). */
  readonly orientation?: 'axial' | 'sagittal' | 'coronal';
  readonly attenuationCorrected?: boolean;
  readonly view?: string;
  readonly laterality?: 'L' | 'R';
  readonly content?: 'dose' | 'mip';
  /** A CT localizer (scout): one projection image the axial series reference. */
  readonly localizer?: boolean;
  /** A fixed instance count (overrides the profile's). */
  readonly instances?: number;
  /** A fixed matrix `[rows, columns]` (overrides the profile's). */
  readonly matrix?: readonly [number, number];
  readonly attributes?: AttributeSet;
}

/** A series another archetype adds to a study of this one (PS3.3 does not define these; scanners do). */
export interface CompanionTemplate {
  /** Key of the study archetype whose first series is added. */
  readonly template: string;
  /** Probability that a study gets it. */
  readonly share: number;
  /** Acquired before (localizer, CT of a PET/CT) or after (dose screen, MIP) the study's own series. */
  readonly position?: 'before' | 'after';
}

/** A kind of study: description, body part, anatomy region and its series. */
export interface StudyTemplate {
  readonly key: string;
  readonly modality: ModalityKey;
  readonly StudyDescription: string;
  readonly BodyPartExamined: string;
  readonly region: string;
  readonly contrast?: AttributeSet;
  readonly series: readonly SeriesTemplate[];
  readonly companions?: readonly CompanionTemplate[];
  /** Only ever added to another study as a companion. */
  readonly companionOnly?: boolean;
}

/** A coded concept as templates write it. */
export interface CodeTemplate {
  readonly CodeValue: string;
  readonly CodingSchemeDesignator: string;
  readonly CodeMeaning: string;
}

/** SR report material: document title and sections with candidate sentences. */
export interface SrTemplate {
  readonly documentTitle: CodeTemplate;
  readonly sections: ReadonlyArray<{
    readonly concept: CodeTemplate;
    readonly textConcept: CodeTemplate;
    /** Sentences by report topic; `general` ones suit any topic. */
    readonly texts: Readonly<Record<string, readonly string[]>>;
  }>;
}

/** TCIA's de-identification markers and its CTP private block layout. */
export interface DeidTemplate {
  readonly PatientIdentityRemoved: string;
  readonly DeidentificationMethod: string;
  readonly DeidentificationMethodCodeSequence: readonly CodeTemplate[];
  readonly LongitudinalTemporalInformationModified: string;
  readonly ctp: {
    readonly group: number;
    readonly creator: string;
    readonly elements: Readonly<
      Record<'collection' | 'trial' | 'siteName' | 'siteId', { readonly element: number; readonly vr: Vr }>
    >;
  };
}

/** Everything the corpus planner and builders read from templates/corpus. */
export interface CorpusTemplates {
  readonly uidRoot: string;
  readonly collections: readonly CollectionTemplate[];
  readonly equipment: Readonly<Record<ModalityKey, readonly EquipmentTemplate[]>>;
  readonly privateBlocks: Readonly<Record<string, PrivateBlockTemplate>>;
  readonly studies: readonly StudyTemplate[];
  readonly sr: SrTemplate;
  readonly deid: DeidTemplate;
}

const readJson = (name: string): unknown => {
  const file = join(templatesDir(), name);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read template: ${(error as Error).message}`, file);
  }
};

const hex = (text: unknown, file: string, what: string): number => {
  if (typeof text !== 'string' || !/^[0-9A-Fa-f]{2,4}$/.test(text))
    throw new ConfigError(`${what} must be hex text`, file);
  return parseInt(text, 16);
};

const vrOf = (text: unknown, file: string, what: string): Vr => {
  if (typeof text !== 'string' || !isVr(text))
    throw new ConfigError(`${what}: unknown VR ${String(text)}`, file);
  return text;
};

let cached: CorpusTemplates | undefined;

/** Loads (once per process) and checks the corpus templates. */
export function loadCorpusTemplates(): CorpusTemplates {
  if (cached) return cached;
  type Raw = Record<string, unknown>;
  const collectionsRaw = readJson('collections.json') as {
    uidRoot: string;
    collections: CollectionTemplate[];
  };
  const equipment = readJson('equipment.json') as Record<ModalityKey, EquipmentTemplate[]>;
  const blocksRaw = readJson('private-blocks.json') as Record<string, Raw>;
  const studiesRaw = readJson('studies.json') as Record<ModalityKey, Array<Omit<StudyTemplate, 'modality'>>>;
  const sr = readJson('sr-reports.json') as SrTemplate;
  const deidRaw = readJson('deidentification.json') as Raw & {
    ctp: { group: string; creator: string; elements: Record<string, Raw> };
  };

  const privateBlocks: Record<string, PrivateBlockTemplate> = {};
  for (const [key, block] of Object.entries(blocksRaw)) {
    const file = 'private-blocks.json';
    privateBlocks[key] = {
      group: hex(block.group, file, `${key}.group`),
      creator: String(block.creator),
      elements: (block.elements as Raw[]).map((e, i) => ({
        element: hex(e.element, file, `${key}.elements[${i}].element`),
        vr: vrOf(e.vr, file, `${key}.elements[${i}]`),
        value: e.value as PrivateElementTemplate['value'],
        name: String(e.name),
      })),
    };
  }
  const studies: StudyTemplate[] = [];
  for (const [modality, list] of Object.entries(studiesRaw)) {
    for (const s of list) studies.push({ ...s, modality: modality as ModalityKey });
  }
  const keys = new Set(studies.map((s) => s.key));
  for (const s of studies) {
    for (const c of s.companions ?? []) {
      if (!keys.has(c.template))
        throw new ConfigError(`study ${s.key} names unknown companion ${c.template}`, 'studies.json');
    }
  }
  for (const c of collectionsRaw.collections) {
    for (const s of c.studies)
      if (!keys.has(s))
        throw new ConfigError(`collection ${c.key} names unknown study ${s}`, 'collections.json');
  }
  for (const list of Object.values(equipment)) {
    for (const e of list) {
      for (const b of e.privateBlocks) {
        if (!privateBlocks[b])
          throw new ConfigError(`equipment ${e.key} names unknown private block ${b}`, 'equipment.json');
      }
    }
  }
  const ctpElements = Object.fromEntries(
    Object.entries(deidRaw.ctp.elements).map(([k, e]) => [
      k,
      {
        element: hex(e.element, 'deidentification.json', `ctp.${k}`),
        vr: vrOf(e.vr, 'deidentification.json', `ctp.${k}`),
      },
    ]),
  ) as DeidTemplate['ctp']['elements'];
  cached = {
    uidRoot: collectionsRaw.uidRoot,
    collections: collectionsRaw.collections,
    equipment,
    privateBlocks,
    studies,
    sr,
    deid: {
      ...(deidRaw as unknown as DeidTemplate),
      ctp: {
        group: hex(deidRaw.ctp.group, 'deidentification.json', 'ctp.group'),
        creator: deidRaw.ctp.creator,
        elements: ctpElements,
      },
    },
  };
  return cached;
}
