/**
 * MR Image Storage (PS3.3 A.4): axial slices of the phantom with the contrast of the series' weighting;
 * sequence attributes (Scanning Sequence, TR, TE, ...) come from the series template.
 */
import { putAttributes } from '../attributes.js';
import { renderMrSlice } from '../pixels/tomo.js';
import { buildCommon, instanceSeconds, pixelSeed, seriesRng } from './common.js';
import { SopClass, type BuiltInstance, type InstanceContext } from './context.js';
import { imagePlaneAttributes, phantomFor, placePlane } from './geometry.js';
import { acquisitionAndContentTimes, greyWordLayout, imageInstance } from './image.js';

/** Slab centre (z) and field of view per region, so slices cover the organ imaged. */
const MR_REGION: Record<string, { fov: number; centre: [number, number, number]; position: string }> = {
  head: { fov: 240, centre: [0, 0, -95], position: 'HFS' },
  breast: { fov: 340, centre: [0, -70, -430], position: 'HFP' },
  pelvis: { fov: 200, centre: [0, 10, -962], position: 'HFS' },
  neck: { fov: 220, centre: [0, 0, -250], position: 'HFS' },
};

/** Builds one MR slice. */
export function buildMr(ctx: InstanceContext): BuiltInstance {
  const { series, instance, seriesTemplate, studyTemplate, equipment } = ctx;
  const ds = buildCommon(ctx, SopClass.MR, 'MR');
  const region = MR_REGION[studyTemplate.region] ?? MR_REGION.head!;
  const sr = seriesRng(ctx);
  const thickness = seriesTemplate.sliceThickness ?? 3;
  const gap = thickness * 0.1;
  const spacingBetween = Number((thickness + gap).toFixed(2));
  const count = series.instances.length;
  const orientation = seriesTemplate.orientation ?? 'axial';
  // A sagittal breast series covers one breast; other stacks are centred on the region.
  const centre: [number, number, number] =
    orientation === 'sagittal' && studyTemplate.region === 'breast'
      ? [sr.pick([-80, 80]), region.centre[1], region.centre[2]]
      : region.centre;
  // Slices run from the far end of the stack towards the near end, centred on the region.
  const offset = ((count - 1) / 2 - (instance.instanceNumber - 1)) * spacingBetween;
  if (orientation === 'sagittal' && studyTemplate.region === 'breast') {
    // One breast: x grows to the patient's left (PS3.3 C.7.6.2.1.1).
    putAttributes(ds, { Laterality: centre[0] > 0 ? 'L' : 'R' });
  }
  const placed = placePlane(
    series.rows,
    series.columns,
    region.fov,
    centre,
    orientation,
    offset,
    region.position,
  );
  const weighting = seriesTemplate.weighting ?? 'T1';
  const bitsStored = 12;
  const seconds = instanceSeconds(ctx, 2);
  const field = Number(equipment.attributes.MagneticFieldStrength ?? 1.5);
  putAttributes(ds, {
    ImageType: ['ORIGINAL', 'PRIMARY', 'OTHER'],
    ...acquisitionAndContentTimes(ctx, seconds, seconds + 20),
    // MR Image (C.8.3.1); sequence attributes from the template.
    ...seriesTemplate.attributes,
    SliceThickness: thickness,
    SpacingBetweenSlices: spacingBetween,
    NumberOfAverages: weighting === 'DWI' ? 4 : 1,
    ImagedNucleus: '1H',
    EchoNumbers: 1,
    MagneticFieldStrength: field,
    NumberOfPhaseEncodingSteps: Math.round(series.rows * 0.8),
    PercentSampling: 100,
    PercentPhaseFieldOfView: 100,
    PixelBandwidth: sr.pick([130, 200, 260, 390]),
    ReceiveCoilName:
      studyTemplate.region === 'breast'
        ? 'BreastCoil'
        : studyTemplate.region === 'head'
          ? 'HeadNeck_20'
          : 'Body_18',
    AcquisitionMatrix: [0, series.columns, Math.round(series.rows * 0.8), 0],
    InPlanePhaseEncodingDirection: 'ROW',
    VariableFlipAngleFlag: 'N',
    SAR: Number(sr.float(0.2, 2.5).toFixed(3)),
    dBdt: 0,
    PatientPosition: region.position,
    AcquisitionNumber: 1,
    InstanceNumber: instance.instanceNumber,
    ...imagePlaneAttributes(ctx, placed),
    WindowCenter: weighting === 'T2' ? 700 : 500,
    WindowWidth: weighting === 'T2' ? 1400 : 1000,
  });
  const frame = renderMrSlice(
    placed.geometry,
    phantomFor(ctx, { breasts: studyTemplate.region === 'breast' }),
    {
      weighting,
      bitsStored,
      seed: pixelSeed(ctx, series.seriesInstanceUid),
      sliceKey: instance.instanceNumber,
    },
  );
  return imageInstance(SopClass.MR, ds, [frame], greyWordLayout(ctx, bitsStored));
}
