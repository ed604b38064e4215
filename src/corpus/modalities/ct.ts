/**
 * CT Image Storage (PS3.3 A.3): axial slices in Hounsfield units through the phantom, with Rescale
 * Slope/Intercept, a Frame of Reference shared by the study, and positions stepping by the slice spacing.
 */
import { putAttribute, putAttributes, type AttributeSet } from '../attributes.js';
import { renderCtSlice, renderScout } from '../pixels/tomo.js';
import { buildCommon, instanceSeconds, pixelSeed, seriesRng } from './common.js';
import { SopClass, type BuiltInstance, type InstanceContext } from './context.js';
import { imagePlaneAttributes, phantomFor, placeInAxialStack, scanStart } from './geometry.js';
import { acquisitionAndContentTimes, greyWordLayout, imageInstance } from './image.js';

/** The scanner's fixed geometry and beam filter (CT Image, C.8.2.1), the same for the scout and the scan. */
const GANTRY: AttributeSet = {
  DistanceSourceToDetector: 949.075,
  DistanceSourceToPatient: 541,
  GantryDetectorTilt: 0,
  FilterType: 'BODY FILTER',
};

/** The study's localizer instance, when it has a localizer series (axial slices reference it). */
export function localizerUid(ctx: InstanceContext): string | undefined {
  for (const s of ctx.study.series) {
    const template = ctx.templates.studies.find((t) => t.key === s.templateKey);
    if (template?.series[s.templateIndex]?.localizer) return s.instances[0]?.sopInstanceUid;
  }
  return undefined;
}

/** Builds one CT slice, or the localizer. */
export function buildCt(ctx: InstanceContext): BuiltInstance {
  if (ctx.seriesTemplate.localizer) return buildLocalizer(ctx);
  const { series, instance, seriesTemplate, studyTemplate, equipment } = ctx;
  const ds = buildCommon(ctx, SopClass.CT, 'CT');
  const sr = seriesRng(ctx);
  const fov = sr.pick([320, 350, 380, 400, 420, 460, 500]);
  const thickness = seriesTemplate.sliceThickness ?? 5;
  const position = seriesTemplate.patientPosition ?? 'HFS';
  const placed = placeInAxialStack(ctx, fov, thickness, position);
  const signed = equipment.pixel?.signed ?? false;
  const bitsStored = equipment.pixel?.bitsStored ?? 12;
  const intercept = -1024;
  const kernels = equipment.kernels ?? ['STANDARD'];
  const kernel = kernels[(seriesTemplate.kernelIndex ?? 0) % kernels.length]!;
  const lung = (seriesTemplate.kernelIndex ?? 0) === 1;
  const mA = sr.int(120, 380);
  const seconds = instanceSeconds(ctx, 0.5);
  const kvp = sr.pick([100, 120, 120, 140]);
  putAttributes(ds, {
    ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
    ...acquisitionAndContentTimes(ctx, seconds, seconds + 30),
    // CT Image (C.8.2.1).
    ScanOptions: 'HELICAL MODE',
    SliceThickness: thickness,
    KVP: kvp,
    DataCollectionDiameter: 500,
    ReconstructionDiameter: fov,
    ...GANTRY,
    TableHeight: sr.int(120, 180),
    RotationDirection: 'CW',
    ExposureTime: 500,
    XRayTubeCurrent: mA,
    Exposure: Math.round(mA / 2),
    GeneratorPower: Math.round((kvp * mA) / 1000),
    FocalSpots: 1.2,
    ConvolutionKernel: kernel.split('\\'),
    PatientPosition: position,
    RevolutionTime: 0.5,
    SingleCollimationWidth: 0.625,
    TotalCollimationWidth: 40,
    TableSpeed: 78.75,
    TableFeedPerRotation: 39.375,
    SpiralPitchFactor: 0.984375,
    CTDIvol: Math.round(mA * 0.05 * 100) / 100,
    // CTDIvol is read against its phantom (PS3.3 C.8.15.3.8): the 32 cm body phantom.
    CTDIPhantomTypeCodeSequence: [
      { CodeValue: '113691', CodingSchemeDesignator: 'DCM', CodeMeaning: 'IEC Body Dosimetry Phantom' },
    ],
    // General Image and Image Plane (C.7.6.1, C.7.6.2).
    AcquisitionNumber: 1,
    InstanceNumber: instance.instanceNumber,
    ...imagePlaneAttributes(ctx, placed),
    RescaleIntercept: intercept,
    RescaleSlope: 1,
    RescaleType: 'HU',
    // VOI LUT (C.11.2).
    WindowCenter: lung ? -600 : 40,
    WindowWidth: lung ? 1600 : 400,
  });
  if (studyTemplate.contrast) putAttributes(ds, studyTemplate.contrast);
  const padding = equipment.pixel?.padding;
  if (padding !== undefined) putAttribute(ds, 'PixelPaddingValue', padding, signed ? 'SS' : 'US');
  const scout = localizerUid(ctx);
  // Axial images reference the localizer they were planned on (General Image, PS3.3 C.7.6.1).
  if (scout)
    putAttributes(ds, {
      ReferencedImageSequence: [{ ReferencedSOPClassUID: SopClass.CT, ReferencedSOPInstanceUID: scout }],
    });
  const frame = renderCtSlice(placed.geometry, phantomFor(ctx, { table: position.endsWith('S') }), {
    contrast: studyTemplate.contrast !== undefined,
    intercept,
    signed,
    bitsStored,
    seed: pixelSeed(ctx, series.seriesInstanceUid),
    fovRadius: fov / 2,
    ...(padding !== undefined && { padding }),
  });
  // The CT Image module allows one sample, MONOCHROME2, in 16 bits allocated (C.8.2.1.1).
  return imageInstance(SopClass.CT, ds, [frame], greyWordLayout(ctx, bitsStored, { signed }));
}

/**
 * A CT localizer (PS3.3 C.8.2.1.1.1: Image Type value 3 LOCALIZER): a frontal projection in the coronal
 * plane of the study's Frame of Reference, covering the body from the region's top down.
 */
function buildLocalizer(ctx: InstanceContext): BuiltInstance {
  const { series, instance } = ctx;
  const ds = buildCommon(ctx, SopClass.CT, 'CT');
  const width = 500;
  const spacing = Number((width / series.columns).toFixed(4));
  const x0 = Number((-(spacing * (series.columns - 1)) / 2).toFixed(4));
  // The scout starts 60 mm above the axial scan it plans.
  const zTop = scanStart(ctx) + 60;
  const seconds = series.startSeconds;
  putAttributes(ds, {
    ImageType: ['ORIGINAL', 'PRIMARY', 'LOCALIZER'],
    ...acquisitionAndContentTimes(ctx, seconds, seconds + 5),
    ScanOptions: 'SCOUT MODE',
    SliceThickness: 0.6,
    KVP: 120,
    ...GANTRY,
    TableHeight: 160,
    ExposureTime: 3000,
    XRayTubeCurrent: 35,
    Exposure: 105,
    FocalSpots: 0.7,
    PatientPosition: 'HFS',
    AcquisitionNumber: 1,
    InstanceNumber: instance.instanceNumber,
    // Coronal plane: rows run to the patient's left, columns to the feet (PS3.3 C.7.6.2.1.1).
    ...imagePlaneAttributes(ctx, {
      imagePosition: [x0, 0, zTop],
      imageOrientation: [1, 0, 0, 0, 0, -1],
      pixelSpacing: [spacing, spacing],
    }),
    RescaleIntercept: -1024,
    RescaleSlope: 1,
    // Rescale Type is left out: a localizer's values are not Hounsfield units (PS3.3 C.8.2.1.1.9).
    WindowCenter: 1000,
    WindowWidth: 3000,
  });
  const frame = renderScout(
    series.rows,
    series.columns,
    spacing,
    x0,
    zTop,
    phantomFor(ctx, { table: true }),
    pixelSeed(ctx, instance.sopInstanceUid),
  );
  return imageInstance(SopClass.CT, ds, [frame], greyWordLayout(ctx, 12));
}
