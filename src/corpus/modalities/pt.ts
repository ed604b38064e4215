/**
 * PET Image Storage (PS3.3 A.21): FDG whole-body slices in Bq/ml, one Rescale Slope per slice, with the
 * PET Series, PET Isotope and NM/PET Patient Orientation modules. Codes are SNOMED CT (SCT) from PS3.16
 * CID 4020, 4021, 19, 20 and 21.
 */
import { putAttributes } from '../attributes.js';
import { toTm } from '../dates.js';
import { quantizePet, renderPetActivity } from '../pixels/tomo.js';
import { buildCommon, pixelSeed, seriesRng } from './common.js';
import { SopClass, type BuiltInstance, type InstanceContext } from './context.js';
import { imagePlaneAttributes, phantomFor, placeInAxialStack } from './geometry.js';
import { acquisitionAndContentTimes, greyWordLayout, imageInstance } from './image.js';

/** F-18 half-life in seconds. */
const F18_HALF_LIFE = 6586.2;

/** Builds one PET slice. */
export function buildPt(ctx: InstanceContext): BuiltInstance {
  const { series, instance, seriesTemplate, equipment, patient } = ctx;
  const ds = buildCommon(ctx, SopClass.PET, 'PT');
  const sr = seriesRng(ctx);
  const spacing = sr.pick([3.27, 3.27, 4, 2.03]);
  const fov = sr.pick([600, 700, 700, 576]);
  const placed = placeInAxialStack(ctx, fov, spacing, 'HFS');
  const corrected = seriesTemplate.attenuationCorrected ?? true;
  const signed = equipment.key.startsWith('ge-');
  // Injection about an hour before the scan; the dose scaled to body weight.
  const doseBq = Math.round((sr.float(300, 420) * 1e6) / 1e5) * 1e5;
  const injectionSeconds = series.startSeconds - sr.int(3300, 4200);
  const bqPerSuv = doseBq / (patient.weightKg * 1000);
  const activity = renderPetActivity(placed.geometry, phantomFor(ctx), {
    bqPerSuv: corrected ? bqPerSuv : bqPerSuv * 0.35,
    seed: pixelSeed(ctx, series.seriesInstanceUid),
    attenuationCorrected: corrected,
  });
  const { frame, slope } = quantizePet(activity, signed);
  const frameDurationMs = 180000;
  const bedPositions = Math.max(1, Math.ceil(series.instances.length / 47));
  const bed = Math.floor((instance.instanceNumber - 1) / 47);
  const acquisitionSeconds = series.startSeconds + bed * 180;
  const decay = 2 ** ((series.startSeconds - injectionSeconds) / F18_HALF_LIFE);
  putAttributes(ds, {
    ImageType: ['ORIGINAL', 'PRIMARY'],
    ...acquisitionAndContentTimes(ctx, acquisitionSeconds, series.startSeconds + bedPositions * 180 + 120),
    // PET Series (C.8.9.1).
    Units: 'BQML',
    CountsSource: 'EMISSION',
    SeriesType: ['WHOLE BODY', 'IMAGE'],
    CorrectedImage: corrected
      ? ['DECY', 'ATTN', 'SCAT', 'DTIM', 'RAN', 'NORM']
      : ['DECY', 'DTIM', 'RAN', 'NORM'],
    RandomsCorrectionMethod: 'DLYD',
    AttenuationCorrectionMethod: corrected ? 'CT-derived mu-map' : 'NONE',
    DecayCorrection: 'START',
    ReconstructionMethod: corrected ? 'OSEM3D 2i16s' : 'OSEM3D 2i16s NAC',
    NumberOfSlices: series.instances.length,
    CollimatorType: 'NONE',
    AxialAcceptance: 11,
    // PET Isotope (C.8.9.2).
    RadiopharmaceuticalInformationSequence: [
      {
        Radiopharmaceutical: 'FDG -- fluorodeoxyglucose',
        RadiopharmaceuticalStartTime: toTm(injectionSeconds),
        RadionuclideTotalDose: doseBq,
        RadionuclideHalfLife: F18_HALF_LIFE,
        RadionuclidePositronFraction: 0.97,
        RadionuclideCodeSequence: [
          { CodeValue: '77004003', CodingSchemeDesignator: 'SCT', CodeMeaning: '^18^Fluorine' },
        ],
        RadiopharmaceuticalCodeSequence: [
          { CodeValue: '35321007', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Fluorodeoxyglucose F^18^' },
        ],
      },
    ],
    // NM/PET Patient Orientation (C.8.4.6).
    PatientOrientationCodeSequence: [
      {
        CodeValue: '102538003',
        CodingSchemeDesignator: 'SCT',
        CodeMeaning: 'recumbent',
        PatientOrientationModifierCodeSequence: [
          { CodeValue: '40199007', CodingSchemeDesignator: 'SCT', CodeMeaning: 'supine' },
        ],
      },
    ],
    // Patient Position (0018,5100) is not allowed beside these codes in PET (PS3.3 C.7.3.1).
    PatientGantryRelationshipCodeSequence: [
      { CodeValue: '102540008', CodingSchemeDesignator: 'SCT', CodeMeaning: 'headfirst' },
    ],
    SliceThickness: spacing,
    InstanceNumber: instance.instanceNumber,
    ...imagePlaneAttributes(ctx, placed),
    // PET Image (C.8.9.4).
    RescaleIntercept: 0,
    RescaleSlope: slope,
    FrameReferenceTime: (acquisitionSeconds - series.startSeconds) * 1000 + frameDurationMs / 2,
    ImageIndex: instance.instanceNumber,
    ActualFrameDuration: frameDurationMs,
    DecayFactor: Number(decay.toFixed(5)),
    DoseCalibrationFactor: 1,
    ScatterFractionFactor: Number(sr.float(0.25, 0.4).toFixed(4)),
    DeadTimeFactor: Number(sr.float(1.01, 1.06).toFixed(5)),
    WindowCenter: Math.round(bqPerSuv * 3),
    WindowWidth: Math.round(bqPerSuv * 6),
  });
  return imageInstance(SopClass.PET, ds, [frame], greyWordLayout(ctx, 16, { signed }));
}
