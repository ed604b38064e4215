/**
 * Secondary Capture Image Storage (PS3.3 A.8.1): workstation screen captures, a dose-summary-like RGB
 * panel or a PET MIP in MONOCHROME2, with the SC Equipment module (Conversion Type WSD).
 */
import { putAttributes } from '../attributes.js';
import { toDa, toTm } from '../dates.js';
import { renderDoseScreen, renderMip } from '../pixels/capture.js';
import { buildCommon, instanceSeconds, pixelSeed } from './common.js';
import { SopClass, type BuiltInstance, type InstanceContext } from './context.js';
import { phantomFor } from './geometry.js';
import { byteLayout, imageInstance } from './image.js';

const MIP_UPTAKE = [0, 0.35, 0.9, 0.75, 0.3, 1.1, 1.7, 2.3, 3.4, 14, 7.5, 0.8, 1.3, 9, 0, 1.4];

/** Builds one secondary capture image. */
export function buildSc(ctx: InstanceContext): BuiltInstance {
  const { series, instance, study } = ctx;
  const ds = buildCommon(ctx, SopClass.SC, 'OT');
  const content = ctx.seriesTemplate.content ?? 'dose';
  const rgb = content === 'dose';
  const seconds = instanceSeconds(ctx, 5);
  const day = toDa(study.studyDay);
  putAttributes(ds, {
    ImageType: ['DERIVED', 'SECONDARY'],
    ContentDate: day,
    ContentTime: toTm(seconds),
    InstanceNumber: instance.instanceNumber,
    PatientOrientation: null,
    // SC Equipment (C.8.6.1).
    ConversionType: 'WSD',
    DateOfSecondaryCapture: day,
    TimeOfSecondaryCapture: toTm(seconds),
  });
  // A MIP is derived from the study's PET images (Source Image Sequence, PS3.3 C.7.6.1).
  const pet = study.series.find((s) => s.modality === 'PT');
  if (!rgb && pet?.instances[0]) {
    putAttributes(ds, {
      SourceImageSequence: [
        { ReferencedSOPClassUID: SopClass.PET, ReferencedSOPInstanceUID: pet.instances[0].sopInstanceUid },
      ],
    });
  }
  const frame = rgb
    ? renderDoseScreen(series.rows, series.columns, pixelSeed(ctx, instance.sopInstanceUid))
    : renderMip(series.rows, series.columns, phantomFor(ctx), (t) => MIP_UPTAKE[t] ?? 0);
  return imageInstance(SopClass.SC, ds, [frame], byteLayout(ctx, rgb));
}
