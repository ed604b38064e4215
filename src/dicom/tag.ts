/** Tags as 32-bit numbers `(group << 16) | element`, and their textual forms. */

export type Tag = number;

/** Builds a tag from its group and element numbers. */
export function toTag(group: number, element: number): Tag {
  return ((group & 0xffff) * 0x10000 + (element & 0xffff)) >>> 0;
}

/** Group number of a tag. */
export function groupOf(tag: Tag): number {
  return tag >>> 16;
}

/** Element number of a tag. */
export function elementOf(tag: Tag): number {
  return tag & 0xffff;
}

/** Private groups are odd, excluding 0001, 0003, 0005 and 0007 (PS3.5 7.8.1). */
export function isPrivateTag(tag: Tag): boolean {
  const group = groupOf(tag);
  return group % 2 === 1 && group > 0x0008 && group !== 0xffff;
}

/** Private Creator Data Elements are (gggg,0010)-(gggg,00FF) in a private group (PS3.5 7.8.1). */
export function isPrivateCreatorTag(tag: Tag): boolean {
  const element = elementOf(tag);
  return isPrivateTag(tag) && element >= 0x0010 && element <= 0x00ff;
}

/** The creator element that reserves the block of a private element: (gggg,00xx) for (gggg,xxee). */
export function creatorTagOf(tag: Tag): Tag | undefined {
  const element = elementOf(tag);
  if (!isPrivateTag(tag) || element < 0x1000) return undefined;
  return toTag(groupOf(tag), element >>> 8);
}

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/** `(0010,0010)`, upper case, the form used in messages. */
export function formatTag(tag: Tag): string {
  return `(${hex4(groupOf(tag))},${hex4(elementOf(tag))})`.toUpperCase();
}

/** `(0010,0010)`, lower case, the form pydicom 2.x prints and the MIDI-B script indexes. */
export function formatTagLower(tag: Tag): string {
  return `(${hex4(groupOf(tag))},${hex4(elementOf(tag))})`;
}

/** Parses `(gggg,eeee)` or `ggggeeee` (either case). */
export function parseTag(text: string): Tag | undefined {
  const m = /^\(?([0-9a-fA-F]{4}),?([0-9a-fA-F]{4})\)?$/.exec(text.trim());
  if (!m) return undefined;
  return toTag(parseInt(m[1]!, 16), parseInt(m[2]!, 16));
}

/** Well-known tags the I/O layer itself needs. */
export const Tags = {
  FileMetaInformationGroupLength: 0x00020000,
  FileMetaInformationVersion: 0x00020001,
  MediaStorageSOPClassUID: 0x00020002,
  MediaStorageSOPInstanceUID: 0x00020003,
  TransferSyntaxUID: 0x00020010,
  ImplementationClassUID: 0x00020012,
  ImplementationVersionName: 0x00020013,
  SpecificCharacterSet: 0x00080005,
  SOPClassUID: 0x00080016,
  SOPInstanceUID: 0x00080018,
  SamplesPerPixel: 0x00280002,
  PhotometricInterpretation: 0x00280004,
  PlanarConfiguration: 0x00280006,
  NumberOfFrames: 0x00280008,
  Rows: 0x00280010,
  Columns: 0x00280011,
  BitsAllocated: 0x00280100,
  BitsStored: 0x00280101,
  HighBit: 0x00280102,
  PixelRepresentation: 0x00280103,
  LossyImageCompression: 0x00282110,
  PixelData: 0x7fe00010,
  Item: 0xfffee000,
  ItemDelimitationItem: 0xfffee00d,
  SequenceDelimitationItem: 0xfffee0dd,
} as const;
