/** Transfer syntaxes (PS3.5 Section 10 and Annex A) as one table of facts the reader, writer and codecs share. */

/** How the pixel data of a transfer syntax is compressed, and so which codec decodes it. */
export type PixelEncoding = 'native' | 'rle' | 'jpeg' | 'jpeg-ls' | 'jpeg2000' | 'htj2k' | 'unsupported';

/** Facts about one transfer syntax. */
export interface TransferSyntax {
  readonly uid: string;
  readonly name: string;
  readonly explicitVr: boolean;
  readonly littleEndian: boolean;
  readonly deflated: boolean;
  readonly encapsulated: boolean;
  readonly pixelEncoding: PixelEncoding;
  readonly lossless: boolean;
}

const ts = (
  uid: string,
  name: string,
  pixelEncoding: PixelEncoding,
  lossless: boolean,
  extra: Partial<Pick<TransferSyntax, 'explicitVr' | 'littleEndian' | 'deflated'>> = {},
): TransferSyntax => ({
  uid,
  name,
  explicitVr: extra.explicitVr ?? true,
  littleEndian: extra.littleEndian ?? true,
  deflated: extra.deflated ?? false,
  encapsulated: pixelEncoding !== 'native',
  pixelEncoding,
  lossless,
});

/** UIDs of the transfer syntaxes pseudophi writes. */
export const TS = {
  ImplicitVRLittleEndian: '1.2.840.10008.1.2',
  ExplicitVRLittleEndian: '1.2.840.10008.1.2.1',
  DeflatedExplicitVRLittleEndian: '1.2.840.10008.1.2.1.99',
  ExplicitVRBigEndian: '1.2.840.10008.1.2.2',
  JPEGBaseline8Bit: '1.2.840.10008.1.2.4.50',
  JPEGLosslessSV1: '1.2.840.10008.1.2.4.70',
  JPEGLSLossless: '1.2.840.10008.1.2.4.80',
  JPEG2000Lossless: '1.2.840.10008.1.2.4.90',
  RLELossless: '1.2.840.10008.1.2.5',
} as const;

const TABLE: readonly TransferSyntax[] = [
  ts(TS.ImplicitVRLittleEndian, 'Implicit VR Little Endian', 'native', true, { explicitVr: false }),
  ts(TS.ExplicitVRLittleEndian, 'Explicit VR Little Endian', 'native', true),
  ts(TS.DeflatedExplicitVRLittleEndian, 'Deflated Explicit VR Little Endian', 'native', true, {
    deflated: true,
  }),
  ts(TS.ExplicitVRBigEndian, 'Explicit VR Big Endian', 'native', true, { littleEndian: false }),
  ts(TS.JPEGBaseline8Bit, 'JPEG Baseline (Process 1)', 'jpeg', false),
  ts('1.2.840.10008.1.2.4.51', 'JPEG Extended (Process 2 & 4)', 'jpeg', false),
  ts('1.2.840.10008.1.2.4.57', 'JPEG Lossless, Non-Hierarchical (Process 14)', 'jpeg', true),
  ts(TS.JPEGLosslessSV1, 'JPEG Lossless, Non-Hierarchical, First-Order Prediction', 'jpeg', true),
  ts(TS.JPEGLSLossless, 'JPEG-LS Lossless', 'jpeg-ls', true),
  ts('1.2.840.10008.1.2.4.81', 'JPEG-LS Lossy (Near-Lossless)', 'jpeg-ls', false),
  ts(TS.JPEG2000Lossless, 'JPEG 2000 (Lossless Only)', 'jpeg2000', true),
  ts('1.2.840.10008.1.2.4.91', 'JPEG 2000', 'jpeg2000', false),
  ts('1.2.840.10008.1.2.4.201', 'High-Throughput JPEG 2000 (Lossless Only)', 'htj2k', true),
  ts('1.2.840.10008.1.2.4.202', 'High-Throughput JPEG 2000 with RPCL Options (Lossless Only)', 'htj2k', true),
  ts('1.2.840.10008.1.2.4.203', 'High-Throughput JPEG 2000', 'htj2k', false),
  ts(TS.RLELossless, 'RLE Lossless', 'rle', true),
  ts('1.2.840.10008.1.2.4.100', 'MPEG2 Main Profile / Main Level', 'unsupported', false),
  ts('1.2.840.10008.1.2.4.102', 'MPEG-4 AVC/H.264 High Profile / Level 4.1', 'unsupported', false),
];

const BY_UID = new Map(TABLE.map((t) => [t.uid, t]));

/** Facts about a transfer syntax UID, or undefined when pseudophi does not know it. */
export function lookupTransferSyntax(uid: string): TransferSyntax | undefined {
  return BY_UID.get(uid);
}

/** Every transfer syntax the reader understands. */
export const TRANSFER_SYNTAXES = TABLE;
