/** The bytes a pydicom-based scorer hashes for `pixels_retained`, and their MD5. */
import { createHash } from 'node:crypto';
import type { DicomDataset } from './dataset.js';
import { Tags } from './tag.js';

/**
 * Pixel Data's value as pydicom holds it: the stored bytes of native data (in the file's byte order),
 * or, for encapsulated data, every item with its header up to the Sequence Delimitation Item.
 * Undefined when the data set has no Pixel Data.
 */
export function storedPixelDataBytes(dataset: DicomDataset): Uint8Array | undefined {
  const element = dataset.get(Tags.PixelData);
  if (!element) return undefined;
  if (element.value) return element.value;
  if (!element.fragments) return undefined;
  const parts: Uint8Array[] = [];
  for (const fragment of element.fragments) {
    const header = new Uint8Array(8);
    const view = new DataView(header.buffer);
    const big = element.bigEndian;
    view.setUint16(0, 0xfffe, !big);
    view.setUint16(2, 0xe000, !big);
    view.setUint32(4, fragment.length, !big);
    parts.push(header, fragment);
  }
  return Buffer.concat(parts);
}

/** MD5 (lower-case hex) of the stored Pixel Data bytes, as the MIDI-B script computes it. */
export function storedPixelDataMd5(dataset: DicomDataset): string | undefined {
  const bytes = storedPixelDataBytes(dataset);
  return bytes ? createHash('md5').update(bytes).digest('hex') : undefined;
}

/**
 * `storedPixelDataMd5(dataset)`, reusing an MD5 already known for some stored Pixel Data bytes (the
 * input's, hashed ahead in another thread) when the data set stores exactly those bytes; the bytes are
 * compared, never assumed equal, and hashed when they differ.
 */
export function storedPixelDataMd5Reusing(
  dataset: DicomDataset,
  known: { bytes: Uint8Array | undefined; md5: string | undefined },
): string | undefined {
  const bytes = storedPixelDataBytes(dataset);
  if (!bytes) return undefined;
  if (known.bytes && known.md5 !== undefined && Buffer.compare(bytes, known.bytes) === 0) return known.md5;
  return createHash('md5').update(bytes).digest('hex');
}
