/** UID links inside a data set: the UIDs it defines and the UIDs it points at, for reference checks. */
import { readStrings, requireTag, textCodecOf, type DicomDataset } from '../dicom/index.js';

/** Attributes whose values point at other instances or frames of reference. */
const REFERENCE_TAGS = new Set(
  ['ReferencedSOPInstanceUID', 'ReferencedFrameOfReferenceUID', 'RelatedFrameOfReferenceUID'].map(requireTag),
);
/** Attributes whose values are what references point at. */
const TARGET_TAGS = new Set(
  ['SOPInstanceUID', 'SeriesInstanceUID', 'StudyInstanceUID', 'FrameOfReferenceUID'].map(requireTag),
);

/** The UIDs a data set defines (targets) and points at (references), at any depth. */
export function collectUidLinks(dataset: DicomDataset): { targets: string[]; references: string[] } {
  const targets: string[] = [];
  const references: string[] = [];
  const walk = (ds: DicomDataset): void => {
    const codec = textCodecOf(ds);
    for (const element of ds.elements) {
      if (element.items) element.items.forEach(walk);
      else if (TARGET_TAGS.has(element.tag)) targets.push(...readStrings(element, codec));
      else if (REFERENCE_TAGS.has(element.tag)) references.push(...readStrings(element, codec));
    }
  };
  walk(dataset);
  return { targets, references };
}
