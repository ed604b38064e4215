/** A small data set built in memory with every kind of element the round-trip tests need, and a flattener. */
import {
  byteSwapUnit,
  DicomDataset,
  formatTag,
  requireTag,
  setBytes,
  setNumbers,
  setPrivate,
  setStrings,
  type Vr,
} from '../../src/dicom/index.js';

export const T = {
  SpecificCharacterSet: requireTag('SpecificCharacterSet'),
  ImageType: requireTag('ImageType'),
  SOPClassUID: requireTag('SOPClassUID'),
  SOPInstanceUID: requireTag('SOPInstanceUID'),
  StudyDate: requireTag('StudyDate'),
  StudyTime: requireTag('StudyTime'),
  AcquisitionDateTime: requireTag('AcquisitionDateTime'),
  RetrieveAETitle: requireTag('RetrieveAETitle'),
  ReferencedImageSequence: requireTag('ReferencedImageSequence'),
  ReferencedSOPClassUID: requireTag('ReferencedSOPClassUID'),
  ReferencedSOPInstanceUID: requireTag('ReferencedSOPInstanceUID'),
  SimpleFrameList: requireTag('SimpleFrameList'),
  ReferencedFrameNumber: requireTag('ReferencedFrameNumber'),
  StudyDescription: requireTag('StudyDescription'),
  DerivationDescription: requireTag('DerivationDescription'),
  RecommendedDisplayFrameRateInFloat: requireTag('RecommendedDisplayFrameRateInFloat'),
  CodeValue: requireTag('CodeValue'),
  CodingSchemeDesignator: requireTag('CodingSchemeDesignator'),
  CodeMeaning: requireTag('CodeMeaning'),
  LongCodeValue: requireTag('LongCodeValue'),
  URNCodeValue: requireTag('URNCodeValue'),
  PatientName: requireTag('PatientName'),
  PatientID: requireTag('PatientID'),
  PatientAge: requireTag('PatientAge'),
  PatientComments: requireTag('PatientComments'),
  SliceThickness: requireTag('SliceThickness'),
  DiffusionBValue: requireTag('DiffusionBValue'),
  InstanceNumber: requireTag('InstanceNumber'),
  SamplesPerPixel: requireTag('SamplesPerPixel'),
  PhotometricInterpretation: requireTag('PhotometricInterpretation'),
  NumberOfFrames: requireTag('NumberOfFrames'),
  FrameIncrementPointer: requireTag('FrameIncrementPointer'),
  Rows: requireTag('Rows'),
  Columns: requireTag('Columns'),
  BitsAllocated: requireTag('BitsAllocated'),
  BitsStored: requireTag('BitsStored'),
  HighBit: requireTag('HighBit'),
  PixelRepresentation: requireTag('PixelRepresentation'),
  PlanarConfiguration: requireTag('PlanarConfiguration'),
  RequestAttributesSequence: requireTag('RequestAttributesSequence'),
  ScheduledProtocolCodeSequence: requireTag('ScheduledProtocolCodeSequence'),
  ConceptNameCodeSequence: requireTag('ConceptNameCodeSequence'),
  SelectorSLValue: requireTag('SelectorSLValue'),
  SelectorSVValue: requireTag('SelectorSVValue'),
  RealWorldValueLUTData: requireTag('RealWorldValueLUTData'),
  PixelData: requireTag('PixelData'),
} as const;

/** Creator used for the sample's private block. */
export const CREATOR = 'PSEUDOPHI TEST';

/**
 * Builds the sample: strings of every family, binary numbers of every size, AT, OB/OW, a two-item sequence,
 * a sequence nested three deep (RequestAttributes > ScheduledProtocolCode > ConceptNameCode), and a private
 * block. 2x3 16-bit monochrome Pixel Data.
 */
export function buildSample(): DicomDataset {
  const ds = new DicomDataset();
  setStrings(ds, T.ImageType, ['ORIGINAL', 'PRIMARY', 'AXIAL']);
  setStrings(ds, T.SOPClassUID, '1.2.840.10008.5.1.4.1.1.7');
  setStrings(ds, T.SOPInstanceUID, '1.2.826.0.1.3680043.2.1125.1');
  setStrings(ds, T.StudyDate, '20240229');
  setStrings(ds, T.StudyTime, '235959.123456');
  setStrings(ds, T.AcquisitionDateTime, '20240229235959.5+0100');
  setStrings(ds, T.RetrieveAETitle, 'STORESCP');
  for (const n of [1, 2]) {
    const item = ds.addItem(T.ReferencedImageSequence);
    setStrings(item, T.ReferencedSOPClassUID, '1.2.840.10008.5.1.4.1.1.2');
    setStrings(item, T.ReferencedSOPInstanceUID, `1.2.3.4.${n}`);
  }
  setNumbers(ds, T.SimpleFrameList, [1, 4294967295]);
  setStrings(ds, T.StudyDescription, 'Brain MRI, with contrast');
  setStrings(ds, T.DerivationDescription, 'a\\b in ST is one value');
  setNumbers(ds, T.RecommendedDisplayFrameRateInFloat, [0.1, -2.5]);
  setStrings(ds, T.URNCodeValue, 'urn:oid:1.2.3');
  setStrings(ds, T.PatientName, 'DOE^JANE^^DR');
  setStrings(ds, T.PatientID, 'PID-0001');
  setStrings(ds, T.PatientAge, '045Y');
  setStrings(ds, T.PatientComments, 'line one\r\nline two');
  setStrings(ds, T.SliceThickness, '2.5');
  setNumbers(ds, T.DiffusionBValue, 1000.125);
  setStrings(ds, T.InstanceNumber, '7');
  setNumbers(ds, T.SamplesPerPixel, 1);
  setStrings(ds, T.PhotometricInterpretation, 'MONOCHROME2');
  setBytes(ds, T.FrameIncrementPointer, Uint8Array.of(0x28, 0x00, 0x08, 0x00), 'AT');
  setNumbers(ds, T.Rows, 2);
  setNumbers(ds, T.Columns, 3);
  setNumbers(ds, T.BitsAllocated, 16);
  setNumbers(ds, T.BitsStored, 12);
  setNumbers(ds, T.HighBit, 11);
  setNumbers(ds, T.PixelRepresentation, 0);
  const level1 = ds.addItem(T.RequestAttributesSequence);
  setStrings(level1, requireTag('RequestedProcedureID'), 'RP-1');
  const level2 = level1.addItem(T.ScheduledProtocolCodeSequence);
  setStrings(level2, T.CodeValue, 'P1');
  setStrings(level2, T.CodingSchemeDesignator, '99LOCAL');
  const level3 = level2.addItem(T.ConceptNameCodeSequence);
  setStrings(level3, T.CodeValue, 'C3');
  setStrings(level3, T.CodeMeaning, 'depth three');
  const level3b = level2.addItem(T.ConceptNameCodeSequence);
  setStrings(level3b, T.CodeValue, 'C3B');
  setNumbers(ds, T.SelectorSLValue, [-5, 2147483647]);
  setNumbers(ds, T.SelectorSVValue, [-9007199254740991]);
  setNumbers(ds, T.RealWorldValueLUTData, [Math.PI, -0]);
  setPrivate(ds, 0x0009, CREATOR, 0x01, 'LO', 'private text');
  setPrivate(ds, 0x0009, CREATOR, 0x02, 'US', [1, 65535]);
  setPrivate(ds, 0x0009, CREATOR, 0x03, 'OB', Uint8Array.of(1, 2, 3, 0));
  setBytes(
    ds,
    T.PixelData,
    Uint8Array.from([0x01, 0x02, 0xff, 0x0f, 0x00, 0x08, 0x34, 0x12, 0xaa, 0x0a, 0x00, 0x00]),
    'OW',
  );
  return ds;
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** Value bytes in little-endian order, whatever order they were read in (per the VR's swap unit). */
export function littleEndianValue(value: Uint8Array, vr: Vr, bigEndian: boolean): Uint8Array {
  const unit = byteSwapUnit(vr);
  if (!bigEndian || unit === 1) return value;
  const out = new Uint8Array(value.length);
  for (let i = 0; i + unit <= value.length; i += unit)
    for (let j = 0; j < unit; j++) out[i + j] = value[i + unit - 1 - j]!;
  return out;
}

/**
 * One line per element, depth first: `path VR little-endian-value-hex`; sequences as `path SQ n items`.
 * Comparing flattenings of two data sets compares every element's VR and value bytes independently of
 * the encoding they were read from.
 */
export function flatten(ds: DicomDataset, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of ds.elements) {
    const path = `${prefix}${formatTag(e.tag)}`;
    if (e.items) {
      out.push(`${path} SQ ${e.items.length} items`);
      e.items.forEach((item, i) => out.push(...flatten(item, `${path}[${i}]`)));
    } else if (e.fragments) {
      out.push(`${path} ${e.vr} fragments ${e.fragments.map(hex).join(',')}`);
    } else {
      out.push(`${path} ${e.vr} ${hex(littleEndianValue(e.value ?? new Uint8Array(0), e.vr, e.bigEndian))}`);
    }
  }
  return out;
}
