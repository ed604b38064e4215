/**
 * The modules every corpus instance shares (PS3.3 C.7 and C.12): Patient with TCIA's de-identification
 * markers, Clinical Trial Subject/Study/Series, General Study, Patient Study, General Series, General
 * Equipment, SOP Common, and TCIA's CTP private block.
 */
import { DicomDataset } from '../../dicom/index.js';
import { deriveSeed, rngFor, type Rng } from '../../rng/index.js';
import { seedInt } from '../pixels/noise.js';
import { putAttributes, putPrivateBlock, type AttributeSet } from '../attributes.js';
import { toDa, toTm } from '../dates.js';
import type { InstanceContext } from './context.js';

/** Seconds after midnight at which an instance was acquired (series start plus a per-instance step). */
export function instanceSeconds(ctx: InstanceContext, stepSeconds: number): number {
  return ctx.series.startSeconds + (ctx.instance.instanceNumber - 1) * stepSeconds;
}

/** Body parts that are paired structures (PS3.16 Annex L marks them), for Laterality (0020,0060). */
const PAIRED_BODY_PARTS: ReadonlySet<string> = new Set(['BREAST', 'KIDNEY', 'LUNG', 'EYE', 'OVARY']);

/** A 32-bit noise seed for an instance's pixels, derived from the root seed and stable keys. */
export function pixelSeed(ctx: InstanceContext, ...keys: ReadonlyArray<string | number>): number {
  return seedInt(deriveSeed(ctx.seed, 'pixels', ...keys));
}

/** The generator for a series' technique (field of view, kVp, ...): keyed by the series, so its instances agree. */
export function seriesRng(ctx: InstanceContext): Rng {
  return rngFor(ctx.seed, 'series-header', ctx.series.seriesInstanceUid);
}

/** Patient's Age (AS, PS3.5 6.2) at the study date. */
export function patientAge(ctx: InstanceContext): string {
  return `${String(ctx.patient.ageYears).padStart(3, '0')}Y`;
}

/** A new data set holding the shared modules. `modality` is the Modality (0008,0060) value. */
export function buildCommon(ctx: InstanceContext, sopClassUid: string, modality: string): DicomDataset {
  const {
    patient,
    study,
    series,
    instance,
    collection,
    templates,
    studyTemplate,
    seriesTemplate,
    equipment,
  } = ctx;
  const ds = new DicomDataset();
  const studyDate = toDa(study.studyDay);
  const deid = templates.deid;
  const attributes: AttributeSet = {
    // SOP Common (C.12.1).
    SpecificCharacterSet: 'ISO_IR 100',
    SOPClassUID: sopClassUid,
    SOPInstanceUID: instance.sopInstanceUid,
    // General Study (C.7.2.1): TCIA empties accession number, study ID and referring physician (Type 2).
    StudyDate: studyDate,
    StudyTime: toTm(study.studySeconds),
    AccessionNumber: null,
    Modality: modality,
    ReferringPhysicianName: null,
    StudyDescription: ctx.mainTemplate.StudyDescription,
    StudyInstanceUID: study.studyInstanceUid,
    StudyID: null,
    // Patient (C.7.1.1): the subject code stands for name and ID; birth date emptied.
    PatientName: patient.patientId,
    PatientID: patient.patientId,
    PatientBirthDate: null,
    PatientSex: patient.sex,
    PatientIdentityRemoved: deid.PatientIdentityRemoved,
    DeidentificationMethod: deid.DeidentificationMethod,
    DeidentificationMethodCodeSequence: deid.DeidentificationMethodCodeSequence.map((c) => ({ ...c })),
    // Patient Study (C.7.2.2): kept under the Retain Patient Characteristics option.
    PatientAge: patientAge(ctx),
    PatientSize: patient.heightM,
    PatientWeight: patient.weightKg,
    // General Series (C.7.3.1).
    SeriesInstanceUID: series.seriesInstanceUid,
    SeriesNumber: series.seriesNumber,
    SeriesDate: studyDate,
    SeriesTime: toTm(series.startSeconds),
    SeriesDescription: seriesTemplate.SeriesDescription,
    LongitudinalTemporalInformationModified: deid.LongitudinalTemporalInformationModified,
    // General Equipment (C.7.5.1).
    ...equipment.attributes,
  };
  putAttributes(ds, attributes);
  if (seriesTemplate.ProtocolName) putAttributes(ds, { ProtocolName: seriesTemplate.ProtocolName });
  if (studyTemplate.BodyPartExamined) putAttributes(ds, { BodyPartExamined: studyTemplate.BodyPartExamined });
  // Laterality is Type 2C for paired body parts when Image Laterality is not sent (PS3.3 C.7.3.1); a
  // bilateral exam leaves it empty.
  if (PAIRED_BODY_PARTS.has(studyTemplate.BodyPartExamined) && modality !== 'MG' && modality !== 'DX') {
    // An ultrasound of one breast has a side; a bilateral MR leaves it empty.
    const side =
      modality === 'US' ? rngFor(ctx.seed, 'laterality', series.seriesInstanceUid).pick(['L', 'R']) : null;
    putAttributes(ds, { Laterality: side });
  }
  if (collection.trial) {
    // Clinical Trial Subject, Study and Series (C.7.1.3, C.7.2.3, C.7.3.2).
    putAttributes(ds, {
      ClinicalTrialSponsorName: collection.trial.sponsor,
      ClinicalTrialProtocolID: collection.trial.protocolId,
      ClinicalTrialProtocolName: collection.trial.protocolName,
      ClinicalTrialSiteID: collection.siteId,
      ClinicalTrialSiteName: collection.siteName,
      ClinicalTrialSubjectID: patient.patientId,
      ClinicalTrialTimePointID: null,
      ClinicalTrialCoordinatingCenterName: null,
    });
  }
  const ctp = deid.ctp;
  putPrivateBlock(ds, ctp.group, ctp.creator, [
    { ...ctp.elements.collection, value: collection.name },
    { ...ctp.elements.siteName, value: collection.siteName },
    { ...ctp.elements.siteId, value: collection.siteId },
    ...(collection.trial ? [{ ...ctp.elements.trial, value: collection.trial.protocolName }] : []),
  ]);
  return ds;
}
