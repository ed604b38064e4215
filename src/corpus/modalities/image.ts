/**
 * What every image builder fills in the same way (PS3.3 C.7.6): the General Image dates and times, the
 * pixel layout of the frames, and the Image Pixel module, which is written from that same layout so the
 * header always describes the Pixel Data it is encoded with.
 */
import type { DicomDataset, PixelDescription } from '../../dicom/index.js';
import { putAttributes, type AttributeSet } from '../attributes.js';
import { toDa, toTm } from '../dates.js';
import type { BuiltInstance, InstanceContext } from './context.js';

/** Acquisition and Content Date and Time (General Image, C.7.6.1), both on the study day. */
export function acquisitionAndContentTimes(
  ctx: InstanceContext,
  acquisitionSeconds: number,
  contentSeconds: number,
): AttributeSet {
  const day = toDa(ctx.study.studyDay);
  return {
    AcquisitionDate: day,
    ContentDate: day,
    AcquisitionTime: toTm(acquisitionSeconds),
    ContentTime: toTm(contentSeconds),
  };
}

/** One frame of grey samples in 16-bit words, `bitsStored` of each used: CT, MR, PET and radiographs. */
export function greyWordLayout(
  ctx: InstanceContext,
  bitsStored: number,
  { signed = false, photometric = 'MONOCHROME2' }: { signed?: boolean; photometric?: string } = {},
): PixelDescription {
  return {
    rows: ctx.series.rows,
    columns: ctx.series.columns,
    samplesPerPixel: 1,
    bitsAllocated: 16,
    bitsStored,
    highBit: bitsStored - 1,
    pixelRepresentation: signed ? 1 : 0,
    photometricInterpretation: photometric,
    planarConfiguration: 0,
    numberOfFrames: 1,
  };
}

/** Frames of 8-bit samples, grey or colour-by-pixel RGB: screen captures and ultrasound. */
export function byteLayout(ctx: InstanceContext, rgb: boolean, numberOfFrames = 1): PixelDescription {
  return {
    rows: ctx.series.rows,
    columns: ctx.series.columns,
    samplesPerPixel: rgb ? 3 : 1,
    bitsAllocated: 8,
    bitsStored: 8,
    highBit: 7,
    pixelRepresentation: 0,
    photometricInterpretation: rgb ? 'RGB' : 'MONOCHROME2',
    planarConfiguration: 0,
    numberOfFrames,
  };
}

/**
 * Finishes an image: writes the Image Pixel module (C.7.6.3) from the layout its frames are encoded with,
 * and pairs the header with those frames.
 */
export function imageInstance(
  sopClassUid: string,
  dataset: DicomDataset,
  frames: readonly Uint8Array[],
  description: PixelDescription,
): BuiltInstance {
  const d = description;
  putAttributes(dataset, {
    SamplesPerPixel: d.samplesPerPixel,
    PhotometricInterpretation: d.photometricInterpretation,
    // Planar Configuration is sent only for more than one sample per pixel (Type 1C).
    ...(d.samplesPerPixel > 1 && { PlanarConfiguration: d.planarConfiguration }),
    Rows: d.rows,
    Columns: d.columns,
    BitsAllocated: d.bitsAllocated,
    BitsStored: d.bitsStored,
    HighBit: d.highBit,
    PixelRepresentation: d.pixelRepresentation,
    // The clean corpus burns in nothing that identifies the patient and never compresses lossily (C.7.6.1).
    BurnedInAnnotation: 'NO',
    LossyImageCompression: '00',
  });
  return { sopClassUid, dataset, pixels: { frames, description } };
}
