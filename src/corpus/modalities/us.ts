/**
 * Ultrasound Image and Ultrasound Multi-frame Image Storage (PS3.3 A.6, A.7): 8-bit MONOCHROME2 or RGB
 * frames, cine loops with the Cine and Multi-frame modules, and one calibrated region (C.8.5.5).
 */
import { rngFor } from '../../rng/index.js';
import { putAttributes } from '../attributes.js';
import { toDa, toTm } from '../dates.js';
import { renderUltrasound } from '../pixels/ultrasound.js';
import { buildCommon, instanceSeconds, pixelSeed } from './common.js';
import { SopClass, type BuiltInstance, type InstanceContext } from './context.js';

/** Image Type value 3 for the exam (PS3.3 C.8.5.6.1.1 defined terms). */
const US_IMAGE_TYPE: Record<string, string> = { neck: 'SMALL PARTS', breast: 'BREAST', pelvis: 'PELVIC' };

/** Builds an ultrasound still or cine loop. */
export function buildUs(ctx: InstanceContext): BuiltInstance {
  const { series, instance, study, studyTemplate } = ctx;
  const variant = instance.variant ?? 'mono';
  const rgb = variant.startsWith('rgb');
  const frames = instance.frames;
  const multi = frames > 1;
  const sopClassUid = multi ? SopClass.USMultiFrame : SopClass.US;
  const ds = buildCommon(ctx, sopClassUid, 'US');
  const r = rngFor(ctx.seed, 'series-header', series.seriesInstanceUid);
  const depthCm = r.pick([4, 5, 6, 8]);
  const deltaCm = Number((depthCm / series.rows).toFixed(6));
  const seconds = instanceSeconds(ctx, 20);
  const day = toDa(study.studyDay);
  const frameTimeMs = 33.3;
  putAttributes(ds, {
    ImageType: ['ORIGINAL', 'PRIMARY', US_IMAGE_TYPE[studyTemplate.region] ?? 'SMALL PARTS'],
    AcquisitionDate: day,
    ContentDate: day,
    AcquisitionTime: toTm(seconds),
    ContentTime: toTm(seconds),
    InstanceNumber: instance.instanceNumber,
    PatientOrientation: null,
    TransducerData: ['L12-5', '', ''],
    ProcessingFunction: 'SMALL PARTS',
    // US Region Calibration (C.8.5.5): the whole frame is one 2D tissue region, in centimetres.
    SequenceOfUltrasoundRegions: [
      {
        RegionSpatialFormat: 1,
        RegionDataType: 1,
        RegionFlags: 0,
        RegionLocationMinX0: 0,
        RegionLocationMinY0: 0,
        RegionLocationMaxX1: series.columns - 1,
        RegionLocationMaxY1: series.rows - 1,
        PhysicalUnitsXDirection: 3,
        PhysicalUnitsYDirection: 3,
        PhysicalDeltaX: deltaCm,
        PhysicalDeltaY: deltaCm,
      },
    ],
    SamplesPerPixel: rgb ? 3 : 1,
    PhotometricInterpretation: rgb ? 'RGB' : 'MONOCHROME2',
    ...(rgb && { PlanarConfiguration: 0 }),
    Rows: series.rows,
    Columns: series.columns,
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    BurnedInAnnotation: 'NO',
    LossyImageCompression: '00',
  });
  if (multi) {
    // Multi-frame and Cine (C.7.6.6, C.7.6.5): frames advance by Frame Time.
    putAttributes(ds, {
      NumberOfFrames: frames,
      FrameIncrementPointer: 0x00181063,
      FrameTime: frameTimeMs,
      CineRate: 30,
      RecommendedDisplayFrameRate: 30,
      EffectiveDuration: Number(((frames * frameTimeMs) / 1000).toFixed(3)),
      ActualFrameDuration: Math.round(frameTimeMs),
    });
  }
  const seed = pixelSeed(ctx, instance.sopInstanceUid);
  const data = Array.from({ length: frames }, (_, frameIndex) =>
    renderUltrasound({ rows: series.rows, columns: series.columns, rgb, frameIndex, seed }),
  );
  return {
    sopClassUid,
    dataset: ds,
    pixels: {
      frames: data,
      description: {
        rows: series.rows,
        columns: series.columns,
        samplesPerPixel: rgb ? 3 : 1,
        bitsAllocated: 8,
        bitsStored: 8,
        highBit: 7,
        pixelRepresentation: 0,
        photometricInterpretation: rgb ? 'RGB' : 'MONOCHROME2',
        planarConfiguration: 0,
        numberOfFrames: frames,
      },
    },
  };
}
