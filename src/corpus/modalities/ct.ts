/**
 * CT Image Storage (PS3.3 A.3): axial slices in Hounsfield units through the phantom, with Rescale
 * Slope/Intercept, a Frame of Reference shared by the study, and positions stepping by the slice spacing.
 */
import { rngFor } from '../../rng/index.js';
import { putAttribute, putAttributes } from '../attributes.js';
import { toDa, toTm } from '../dates.js';
import { regionTop } from '../pixels/phantom.js';
import { renderCtSlice, renderScout } from '../pixels/tomo.js';
import { buildCommon, instanceSeconds, pixelSeed } from './common.js';
import { SopClass, type BuiltInstance, type InstanceContext } from './context.js';
import { phantomFor, placeAxialSlice } from './geometry.js';

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
  const { series, instance, study, seriesTemplate, studyTemplate, equipment } = ctx;
  const ds = buildCommon(ctx, SopClass.CT, 'CT');
  const sr = rngFor(ctx.seed, 'series-header', series.seriesInstanceUid);
  const gr = rngFor(ctx.seed, 'study-geometry', study.studyInstanceUid);
  const fov = sr.pick([320, 350, 380, 400, 420, 460, 500]);
  const thickness = seriesTemplate.sliceThickness ?? 5;
  const top = regionTop(studyTemplate.region) - gr.int(0, 20);
  const z = top - (instance.instanceNumber - 1) * thickness;
  const position = seriesTemplate.patientPosition ?? 'HFS';
  const placed = placeAxialSlice(series.rows, series.columns, fov, [0, 0], z, position);
  const signed = equipment.pixel?.signed ?? false;
  const bitsStored = equipment.pixel?.bitsStored ?? 12;
  const intercept = -1024;
  const kernels = equipment.kernels ?? ['STANDARD'];
  const kernel = kernels[(seriesTemplate.kernelIndex ?? 0) % kernels.length]!;
  const lung = (seriesTemplate.kernelIndex ?? 0) === 1;
  const mA = sr.int(120, 380);
  const seconds = instanceSeconds(ctx, 0.5);
  const kvp = sr.pick([100, 120, 120, 140]);
  const day = toDa(study.studyDay);
  putAttributes(ds, {
    ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
    AcquisitionDate: day,
    ContentDate: day,
    AcquisitionTime: toTm(seconds),
    ContentTime: toTm(seconds + 30),
    // CT Image (C.8.2.1).
    ScanOptions: 'HELICAL MODE',
    SliceThickness: thickness,
    KVP: kvp,
    DataCollectionDiameter: 500,
    ReconstructionDiameter: fov,
    DistanceSourceToDetector: 949.075,
    DistanceSourceToPatient: 541,
    GantryDetectorTilt: 0,
    TableHeight: sr.int(120, 180),
    RotationDirection: 'CW',
    ExposureTime: 500,
    XRayTubeCurrent: mA,
    Exposure: Math.round(mA / 2),
    FilterType: 'BODY FILTER',
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
    // Frame of Reference (C.7.4.1): one per study, so every series of the scan shares it.
    FrameOfReferenceUID: study.frameOfReferenceUid,
    PositionReferenceIndicator: null,
    // General Image and Image Plane (C.7.6.1, C.7.6.2).
    AcquisitionNumber: 1,
    InstanceNumber: instance.instanceNumber,
    ImagePositionPatient: placed.imagePosition,
    ImageOrientationPatient: placed.imageOrientation,
    SliceLocation: placed.geometry.z,
    PixelSpacing: placed.pixelSpacing,
    // Image Pixel (C.7.6.3) and CT Image constraints: 16 bits allocated, monochrome.
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: series.rows,
    Columns: series.columns,
    BitsAllocated: 16,
    BitsStored: bitsStored,
    HighBit: bitsStored - 1,
    PixelRepresentation: signed ? 1 : 0,
    RescaleIntercept: intercept,
    RescaleSlope: 1,
    RescaleType: 'HU',
    // VOI LUT (C.11.2).
    WindowCenter: lung ? -600 : 40,
    WindowWidth: lung ? 1600 : 400,
    BurnedInAnnotation: 'NO',
    LossyImageCompression: '00',
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
  return {
    sopClassUid: SopClass.CT,
    dataset: ds,
    pixels: {
      frames: [frame],
      description: {
        rows: series.rows,
        columns: series.columns,
        samplesPerPixel: 1,
        bitsAllocated: 16,
        bitsStored,
        highBit: bitsStored - 1,
        pixelRepresentation: signed ? 1 : 0,
        photometricInterpretation: 'MONOCHROME2',
        planarConfiguration: 0,
        numberOfFrames: 1,
      },
    },
  };
}

/**
 * A CT localizer (PS3.3 C.8.2.1.1.1: Image Type value 3 LOCALIZER): a frontal projection in the coronal
 * plane of the study's Frame of Reference, covering the body from the region's top down.
 */
function buildLocalizer(ctx: InstanceContext): BuiltInstance {
  const { series, instance, study, studyTemplate } = ctx;
  const ds = buildCommon(ctx, SopClass.CT, 'CT');
  const gr = rngFor(ctx.seed, 'study-geometry', study.studyInstanceUid);
  const width = 500;
  const spacing = Number((width / series.columns).toFixed(4));
  const x0 = Number((-(spacing * (series.columns - 1)) / 2).toFixed(4));
  const zTop = regionTop(studyTemplate.region) + 60 - gr.int(0, 20);
  const seconds = series.startSeconds;
  const day = toDa(study.studyDay);
  putAttributes(ds, {
    ImageType: ['ORIGINAL', 'PRIMARY', 'LOCALIZER'],
    AcquisitionDate: day,
    ContentDate: day,
    AcquisitionTime: toTm(seconds),
    ContentTime: toTm(seconds + 5),
    ScanOptions: 'SCOUT MODE',
    SliceThickness: 0.6,
    KVP: 120,
    DistanceSourceToDetector: 949.075,
    DistanceSourceToPatient: 541,
    GantryDetectorTilt: 0,
    TableHeight: 160,
    ExposureTime: 3000,
    XRayTubeCurrent: 35,
    Exposure: 105,
    FilterType: 'BODY FILTER',
    FocalSpots: 0.7,
    PatientPosition: 'HFS',
    FrameOfReferenceUID: study.frameOfReferenceUid,
    PositionReferenceIndicator: null,
    AcquisitionNumber: 1,
    InstanceNumber: instance.instanceNumber,
    // Coronal plane: rows run to the patient's left, columns to the feet (PS3.3 C.7.6.2.1.1).
    ImagePositionPatient: [x0, 0, zTop],
    ImageOrientationPatient: [1, 0, 0, 0, 0, -1],
    PixelSpacing: [spacing, spacing],
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: series.rows,
    Columns: series.columns,
    BitsAllocated: 16,
    BitsStored: 12,
    HighBit: 11,
    PixelRepresentation: 0,
    RescaleIntercept: -1024,
    RescaleSlope: 1,
    // Rescale Type is left out: a localizer's values are not Hounsfield units (PS3.3 C.8.2.1.1.9).
    WindowCenter: 1000,
    WindowWidth: 3000,
    BurnedInAnnotation: 'NO',
    LossyImageCompression: '00',
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
  return {
    sopClassUid: SopClass.CT,
    dataset: ds,
    pixels: {
      frames: [frame],
      description: {
        rows: series.rows,
        columns: series.columns,
        samplesPerPixel: 1,
        bitsAllocated: 16,
        bitsStored: 12,
        highBit: 11,
        pixelRepresentation: 0,
        photometricInterpretation: 'MONOCHROME2',
        planarConfiguration: 0,
        numberOfFrames: 1,
      },
    },
  };
}
