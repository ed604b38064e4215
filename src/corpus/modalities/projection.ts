/**
 * Projection radiography: CR Image (PS3.3 A.2), Digital X-Ray For Presentation (A.26) and Digital
 * Mammography For Presentation (A.27). Large single frames of 10-14 bits, MONOCHROME1 or MONOCHROME2 as
 * the detector vendor stores them.
 */
import type { Rng } from '../../rng/index.js';
import type { PixelDescription } from '../../dicom/index.js';
import { putAttributes, type AttributeSet } from '../attributes.js';
import { renderChest, renderMammogram, type ProjectionFrame } from '../pixels/projection.js';
import { buildCommon, instanceSeconds, pixelSeed, seriesRng } from './common.js';
import { SopClass, type BuiltInstance, type InstanceContext } from './context.js';
import { acquisitionAndContentTimes, greyWordLayout, imageInstance } from './image.js';

/** Patient Orientation (0020,0020) of a chest view: row then column direction (PS3.3 C.7.6.1.1.1). */
const CHEST_ORIENTATION: Record<string, [string, string]> = {
  PA: ['L', 'F'],
  AP: ['L', 'F'],
  LL: ['P', 'F'],
  RL: ['A', 'F'],
};

/** Mammography orientation by view and laterality: the nipple points away from the chest-wall edge. */
const MG_ORIENTATION: Record<string, [string, string]> = {
  'CC-L': ['A', 'R'],
  'CC-R': ['P', 'L'],
  'MLO-L': ['A', 'F'],
  'MLO-R': ['P', 'F'],
};

/** DX view codes (PS3.16 CID 4010). */
const DX_VIEW: Record<string, AttributeSet> = {
  PA: { CodeValue: '272479007', CodingSchemeDesignator: 'SCT', CodeMeaning: 'postero-anterior' },
  AP: { CodeValue: '399348003', CodingSchemeDesignator: 'SCT', CodeMeaning: 'antero-posterior' },
  LL: { CodeValue: '399173006', CodingSchemeDesignator: 'SCT', CodeMeaning: 'left lateral' },
  RL: { CodeValue: '399198007', CodingSchemeDesignator: 'SCT', CodeMeaning: 'right lateral' },
};

/** Mammography view codes (PS3.16 CID 4014). */
const MG_VIEW: Record<string, AttributeSet> = {
  CC: { CodeValue: '399162004', CodingSchemeDesignator: 'SCT', CodeMeaning: 'cranio-caudal' },
  MLO: { CodeValue: '399368009', CodingSchemeDesignator: 'SCT', CodeMeaning: 'medio-lateral oblique' },
};

/** A radiograph's detector: the frame to render, its pixel layout, and the detector pixel size. */
interface ProjectionSetup {
  readonly frame: ProjectionFrame;
  readonly description: PixelDescription;
  readonly pixelMm: number;
}

/** The detector of the series' equipment, `detectorMm` across its longer side. */
function setup(ctx: InstanceContext, detectorMm: number): ProjectionSetup {
  const { series, equipment } = ctx;
  const bitsStored = equipment.pixel?.bitsStored ?? 12;
  const monochrome1 = equipment.pixel?.monochrome1 ?? false;
  const pixelMm = Number((detectorMm / Math.max(series.rows, series.columns)).toFixed(4));
  return {
    frame: {
      rows: series.rows,
      columns: series.columns,
      pixelMm,
      bitsStored,
      monochrome1,
      seed: pixelSeed(ctx, ctx.instance.sopInstanceUid),
    },
    pixelMm,
    description: greyWordLayout(ctx, bitsStored, {
      photometric: monochrome1 ? 'MONOCHROME1' : 'MONOCHROME2',
    }),
  };
}

/** A VOI window (C.11.2) over every stored value: radiographs use the detector's full range. */
function fullRangeWindow(s: ProjectionSetup): AttributeSet {
  const max = 2 ** s.description.bitsStored - 1;
  return { WindowCenter: Math.round(max / 2), WindowWidth: max };
}

/** When the exposure was taken, and its technique: tube voltage and tube current-time product. */
function acquisition(ctx: InstanceContext, kvp: number, mAs: number): AttributeSet {
  const seconds = instanceSeconds(ctx, 45);
  return {
    ...acquisitionAndContentTimes(ctx, seconds, seconds + 10),
    InstanceNumber: ctx.instance.instanceNumber,
    KVP: kvp,
    Exposure: Math.round(mAs),
    ExposureInuAs: Math.round(mAs * 1000),
  };
}

/**
 * A chest radiograph on a 43 cm detector, CR or DX. `modalityAttributes` gives what the modality records
 * beyond the view and technique. It draws from the series generator after the technique, and that order
 * is part of what makes a seed reproduce the same files.
 */
function buildChest(
  ctx: InstanceContext,
  sopClassUid: string,
  modality: string,
  modalityAttributes: (view: string, r: Rng, s: ProjectionSetup) => AttributeSet,
): BuiltInstance {
  const ds = buildCommon(ctx, sopClassUid, modality);
  const view = ctx.seriesTemplate.view ?? 'PA';
  const r = seriesRng(ctx);
  const s = setup(ctx, 430);
  putAttributes(ds, {
    ImageType: ['ORIGINAL', 'PRIMARY'],
    ...acquisition(ctx, r.pick([110, 120, 125]), r.float(1.5, 4)),
    ViewPosition: view,
    DistanceSourceToDetector: view === 'AP' ? 1000 : 1800,
    PatientOrientation: CHEST_ORIENTATION[view] ?? ['L', 'F'],
    ...modalityAttributes(view, r, s),
    ...fullRangeWindow(s),
  });
  return imageInstance(sopClassUid, ds, [renderChest(s.frame, view)], s.description);
}

/** Builds a CR chest radiograph. */
export function buildCr(ctx: InstanceContext): BuiltInstance {
  return buildChest(ctx, SopClass.CR, 'CR', (view, r, s) => ({
    // CR Series and CR Image (C.8.1.1, C.8.1.2).
    ImagerPixelSpacing: [s.pixelMm, s.pixelMm],
    Sensitivity: r.int(150, 400),
    // Plate and processing as CR readers record them (CR Image, C.8.1.2).
    PlateType: r.pick(['ST-VI', 'HR-V', 'CR MD4.0']),
    PhosphorType: 'BaFBr',
    AcquisitionDeviceProcessingDescription: view === 'LL' ? 'CHEST LAT' : `CHEST ${view}`,
    RelativeXRayExposure: r.int(120, 480),
  }));
}

/** The DX family's shared modules (C.8.11): series intent, anatomy, image, detector, acquisition context. */
function dxCommon(s: ProjectionSetup, region: AttributeSet, laterality: string): AttributeSet {
  const monochrome1 = s.frame.monochrome1;
  return {
    PresentationIntentType: 'FOR PRESENTATION',
    ImageLaterality: laterality,
    AnatomicRegionSequence: [region],
    PixelIntensityRelationship: 'LOG',
    // Stored values rise with attenuation in MONOCHROME2, so higher values mean less beam (PS3.3 C.8.11.3.1.2).
    PixelIntensityRelationshipSign: monochrome1 ? 1 : -1,
    RescaleIntercept: 0,
    RescaleSlope: 1,
    RescaleType: 'US',
    PresentationLUTShape: monochrome1 ? 'INVERSE' : 'IDENTITY',
    DetectorType: 'SCINTILLATOR',
    DetectorConfiguration: 'AREA',
    ImagerPixelSpacing: [s.pixelMm, s.pixelMm],
    AcquisitionContextSequence: [],
  };
}

/** Builds a DX chest radiograph. */
export function buildDx(ctx: InstanceContext): BuiltInstance {
  return buildChest(ctx, SopClass.DXPresentation, 'DX', (view, r, s) => ({
    // DX Positioning (C.8.11.5): a chest stand, and the view both as a term and as a code.
    PositionerType: 'COLUMN',
    // Exposure indices of IEC 62494-1 (X-Ray Acquisition Dose, C.8.7.8).
    ExposureIndex: r.int(250, 600),
    TargetExposureIndex: 400,
    DeviationIndex: Number(r.float(-1.5, 1.5).toFixed(2)),
    FieldOfViewShape: 'RECTANGLE',
    FieldOfViewDimensions: [430, 430],
    Grid: ['FIXED', 'FOCUSED'],
    ViewCodeSequence: [{ ...(DX_VIEW[view] ?? DX_VIEW.PA!), ViewModifierCodeSequence: [] }],
    ...dxCommon(s, { CodeValue: '51185008', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Chest' }, 'U'),
  }));
}

/** Builds a mammogram (one view of one breast). */
export function buildMg(ctx: InstanceContext): BuiltInstance {
  const ds = buildCommon(ctx, SopClass.MGPresentation, 'MG');
  const view = ctx.seriesTemplate.view ?? 'CC';
  const laterality = ctx.seriesTemplate.laterality ?? 'L';
  const r = seriesRng(ctx);
  const s = setup(ctx, 240);
  const thickness = r.int(35, 70);
  putAttributes(ds, {
    ImageType: ['ORIGINAL', 'PRIMARY'],
    ...acquisition(ctx, r.pick([28, 29, 30, 31]), r.float(60, 140)),
    ViewPosition: view,
    PatientOrientation: MG_ORIENTATION[`${view}-${laterality}`] ?? ['A', 'R'],
    ...dxCommon(
      s,
      { CodeValue: '76752008', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Breast' },
      laterality,
    ),
    // Mammography Image (C.8.11.7).
    PositionerType: 'MAMMOGRAPHIC',
    OrganExposed: 'BREAST',
    ViewCodeSequence: [{ ...MG_VIEW[view]!, ViewModifierCodeSequence: [] }],
    BreastImplantPresent: 'NO',
    BodyPartThickness: thickness,
    CompressionForce: r.int(60, 140),
    DistanceSourceToDetector: 660,
    DistanceSourceToPatient: 660 - thickness - 20,
    EstimatedRadiographicMagnificationFactor: Number((660 / (660 - thickness - 20)).toFixed(4)),
    AnodeTargetMaterial: 'TUNGSTEN',
    FilterMaterial: 'RHODIUM',
    ...fullRangeWindow(s),
  });
  return imageInstance(
    SopClass.MGPresentation,
    ds,
    [renderMammogram(s.frame, view, laterality)],
    s.description,
  );
}
