/**
 * Ultrasound Image and Ultrasound Multi-frame Image Storage (PS3.3 A.6, A.7): 8-bit MONOCHROME2 or RGB
 * frames, cine loops with the Cine and Multi-frame modules, and one calibrated region (C.8.5.5).
 */
import { putAttributes } from '../attributes.js';
import { renderUltrasound } from '../pixels/ultrasound.js';
import { buildCommon, instanceSeconds, pixelSeed, seriesRng } from './common.js';
import { SopClass, type BuiltInstance, type InstanceContext } from './context.js';
import { acquisitionAndContentTimes, byteLayout, imageInstance } from './image.js';

/** Image Type value 3 for the exam (PS3.3 C.8.5.6.1.1 defined terms). */
const US_IMAGE_TYPE: Record<string, string> = { neck: 'SMALL PARTS', breast: 'BREAST', pelvis: 'PELVIC' };

/** Builds an ultrasound still or cine loop. */
export function buildUs(ctx: InstanceContext): BuiltInstance {
  const { series, instance, studyTemplate } = ctx;
  const variant = instance.variant ?? 'mono';
  const rgb = variant.startsWith('rgb');
  const frames = instance.frames;
  const multi = frames > 1;
  const sopClassUid = multi ? SopClass.USMultiFrame : SopClass.US;
  const ds = buildCommon(ctx, sopClassUid, 'US');
  const r = seriesRng(ctx);
  const depthCm = r.pick([4, 5, 6, 8]);
  const deltaCm = Number((depthCm / series.rows).toFixed(6));
  const seconds = instanceSeconds(ctx, 20);
  const frameTimeMs = 33.3;
  putAttributes(ds, {
    ImageType: ['ORIGINAL', 'PRIMARY', US_IMAGE_TYPE[studyTemplate.region] ?? 'SMALL PARTS'],
    ...acquisitionAndContentTimes(ctx, seconds, seconds),
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
  return imageInstance(sopClassUid, ds, data, byteLayout(ctx, rgb, frames));
}
