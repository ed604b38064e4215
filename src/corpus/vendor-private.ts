/**
 * Applies an equipment's vendor private blocks (templates/corpus/private-blocks.json). A value `=Keyword`
 * copies that standard attribute of the same instance, as scanners repeat e.g. slice location privately.
 */
import { DicomDataset, readStrings, requireTag, textCodecOf, numberSize } from '../dicom/index.js';
import { putPrivateBlock, type PrivateAttribute } from './attributes.js';
import type { CorpusTemplates, EquipmentTemplate } from './templates.js';

function resolveValue(ds: DicomDataset, e: PrivateAttribute): PrivateAttribute | undefined {
  if (typeof e.value !== 'string' || !e.value.startsWith('=')) return e;
  const element = ds.get(requireTag(e.value.slice(1)));
  if (!element?.value) return undefined;
  const values = readStrings(element, textCodecOf(ds));
  if (values.length === 0) return undefined;
  if (numberSize(e.vr)) return { ...e, value: values.map(Number) };
  return { ...e, value: values };
}

/** Writes the private blocks an equipment template names, skipping `=Keyword` values the instance lacks. */
export function applyVendorPrivateBlocks(
  ds: DicomDataset,
  equipment: EquipmentTemplate,
  templates: CorpusTemplates,
): void {
  for (const key of equipment.privateBlocks) {
    const block = templates.privateBlocks[key]!;
    const elements = block.elements
      .map((e) => resolveValue(ds, e))
      .filter((e): e is PrivateAttribute => e !== undefined);
    putPrivateBlock(ds, block.group, block.creator, elements);
  }
}
