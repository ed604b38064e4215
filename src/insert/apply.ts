/** The one applier: carries out an InstancePlan on a parsed data set (creating sequences and items as needed). */
import {
  deletePrivateBlock,
  DicomDataset,
  DicomElement,
  findTag,
  formatPath,
  resolvePath,
  setPrivate,
  setStrings,
  type ElementRef,
} from '../dicom/index.js';
import { ElementPathError } from '../errors/index.js';
import type { InstancePlan } from './plan.js';

/** The data set an item path leads to, creating the sequence and items up to the index if absent. */
function descend(ds: DicomDataset, ref: ElementRef, item: number, pathText: string): DicomDataset {
  if (ref.kind !== 'tag')
    throw new ElementPathError('private sequences are not created by the applier', pathText);
  let element = ds.get(ref.tag);
  if (!element) element = ds.put(new DicomElement(ref.tag, 'SQ', undefined, []));
  if (!element.items)
    throw new ElementPathError('an item index into an element that is not a sequence', pathText);
  while (element.items.length <= item) ds.addItem(ref.tag);
  return element.items[item]!;
}

/** Applies deletions, then private-block deletions, then sets in plan order. */
export function applyPlan(dataset: DicomDataset, plan: InstancePlan): void {
  for (const path of plan.deletes) {
    const found = resolvePath(dataset, path);
    if (found) found.dataset.delete(found.element.tag);
  }
  for (const { group, creator } of plan.deletePrivateBlocks) deletePrivateBlock(dataset, group, creator);
  for (const edit of plan.sets) {
    const pathText = formatPath(edit.path);
    let ds = dataset;
    const steps = edit.path.steps;
    for (let i = 0; i < steps.length - 1; i++) ds = descend(ds, steps[i]!.ref, steps[i]!.item!, pathText);
    const leaf = steps[steps.length - 1]!.ref;
    if (leaf.kind === 'private') {
      // An existing element of the creator keeps its tag; a new one goes into the creator's block.
      setPrivate(ds, leaf.group, leaf.creator, leaf.elementByte, edit.vr, edit.values);
    } else {
      const existing = findTag(ds, leaf);
      setStrings(ds, existing ?? leaf.tag, edit.values, edit.vr);
    }
  }
}
