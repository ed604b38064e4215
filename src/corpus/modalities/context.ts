/** What a modality builder is given for one instance: its place in the plan and the templates it uses. */
import type {
  CorpusTemplates,
  CollectionTemplate,
  EquipmentTemplate,
  SeriesTemplate,
  StudyTemplate,
} from '../templates.js';
import type { InstancePlan, PatientPlan, SeriesPlan, StudyPlan } from '../plan.js';
import type { DicomDataset, PixelDescription } from '../../dicom/index.js';

/** The plan records and templates of one instance. */
export interface InstanceContext {
  readonly seed: string;
  readonly templates: CorpusTemplates;
  readonly patient: PatientPlan;
  readonly study: StudyPlan;
  readonly series: SeriesPlan;
  readonly instance: InstancePlan;
  readonly collection: CollectionTemplate;
  /** The study's own archetype: study-level attributes (Study Description) come from it. */
  readonly mainTemplate: StudyTemplate;
  /** The archetype the series comes from (the study's own, or a companion's): region, body part, contrast. */
  readonly studyTemplate: StudyTemplate;
  readonly seriesTemplate: SeriesTemplate;
  readonly equipment: EquipmentTemplate;
}

/** A built instance: the header, and for images the frames (little-endian native samples) and their layout. */
export interface BuiltInstance {
  readonly sopClassUid: string;
  readonly dataset: DicomDataset;
  readonly pixels?: { readonly frames: readonly Uint8Array[]; readonly description: PixelDescription };
}

/** SOP Class UIDs of the storage SOP classes the corpus writes (PS3.4 Annex B.5). */
export const SopClass = {
  CR: '1.2.840.10008.5.1.4.1.1.1',
  DXPresentation: '1.2.840.10008.5.1.4.1.1.1.1',
  MGPresentation: '1.2.840.10008.5.1.4.1.1.1.2',
  CT: '1.2.840.10008.5.1.4.1.1.2',
  USMultiFrame: '1.2.840.10008.5.1.4.1.1.3.1',
  MR: '1.2.840.10008.5.1.4.1.1.4',
  US: '1.2.840.10008.5.1.4.1.1.6.1',
  SC: '1.2.840.10008.5.1.4.1.1.7',
  BasicTextSR: '1.2.840.10008.5.1.4.1.1.88.11',
  EnhancedSR: '1.2.840.10008.5.1.4.1.1.88.22',
  ComprehensiveSR: '1.2.840.10008.5.1.4.1.1.88.33',
  PET: '1.2.840.10008.5.1.4.1.1.128',
} as const;
