/**
 * Private elements addressed by creator and element byte (PS3.5 7.8.1): a creator (gggg,00xx) reserves
 * the block (gggg,xx00)-(gggg,xxFF). Blocks are found by creator string, and new ones take the lowest free
 * block number in the group.
 */
import { PseudophiError } from '../errors/index.js';
import { DicomDataset, DicomElement } from './dataset.js';
import { groupOf, toTag, type Tag } from './tag.js';
import { asciiText, encodeNumbers, encodeStrings, textCodecOf } from './values.js';
import { isStringVr, numberSize, type Vr } from './vr.js';

const creatorText = (element: DicomElement | undefined): string | undefined =>
  element?.value
    ? asciiText(element.value)
        .replace(/[\0 ]+$/, '')
        .replace(/^ +/, '')
    : undefined;

/** The block byte (0x10-0xFF) a creator holds in a group, or undefined. Creator match is exact. */
export function findPrivateBlock(dataset: DicomDataset, group: number, creator: string): number | undefined {
  for (let block = 0x10; block <= 0xff; block++) {
    if (creatorText(dataset.get(toTag(group, block))) === creator) return block;
  }
  return undefined;
}

/** The block a creator holds in a group, reserving the lowest free one (and writing its creator element) if none. */
export function reservePrivateBlock(dataset: DicomDataset, group: number, creator: string): number {
  if (group % 2 === 0 || group <= 0x0008)
    throw new PseudophiError(`group ${group.toString(16)} is not a private group`);
  const existing = findPrivateBlock(dataset, group, creator);
  if (existing !== undefined) return existing;
  for (let block = 0x10; block <= 0xff; block++) {
    const creatorTag = toTag(group, block);
    // A block is taken by its creator element, or by orphan elements already sitting in it.
    const used =
      dataset.has(creatorTag) ||
      dataset.elements.some(
        (e) => groupOf(e.tag) === group && (e.tag & 0xffff) >= 0x1000 && (e.tag & 0xff00) >>> 8 === block,
      );
    if (!used) {
      dataset.put(
        new DicomElement(creatorTag, 'LO', encodeStrings('LO', [creator], textCodecOf(dataset), creatorTag)),
      );
      return block;
    }
  }
  throw new PseudophiError(`no free private block in group ${group.toString(16)} for ${creator}`);
}

/** The tag of element byte `elementByte` in a block. */
export function privateTagIn(group: number, block: number, elementByte: number): Tag {
  return toTag(group, (block << 8) | (elementByte & 0xff));
}

/** The element a creator holds at an element byte, or undefined. */
export function getPrivate(
  dataset: DicomDataset,
  group: number,
  creator: string,
  elementByte: number,
): DicomElement | undefined {
  const block = findPrivateBlock(dataset, group, creator);
  return block === undefined ? undefined : dataset.get(privateTagIn(group, block, elementByte));
}

/** A private value: strings for string VRs, numbers for binary-number VRs, bytes otherwise. */
export type PrivateValue = string | readonly string[] | readonly number[] | Uint8Array;

/** Sets a private element by creator and element byte, reserving the creator's block if needed. */
export function setPrivate(
  dataset: DicomDataset,
  group: number,
  creator: string,
  elementByte: number,
  vr: Vr,
  value: PrivateValue,
): DicomElement {
  const block = reservePrivateBlock(dataset, group, creator);
  const tag = privateTagIn(group, block, elementByte);
  let bytes: Uint8Array;
  if (value instanceof Uint8Array) bytes = value;
  else if (isStringVr(vr)) {
    const list = typeof value === 'string' ? [value] : (value as readonly string[]);
    bytes = encodeStrings(vr, list, textCodecOf(dataset), tag);
  } else if (numberSize(vr)) bytes = encodeNumbers(vr, value as readonly number[]);
  else throw new PseudophiError(`private ${vr} value must be given as bytes`);
  return dataset.put(new DicomElement(tag, vr, bytes));
}

/** Deletes a creator's whole block (its creator element and every element in it); returns how many went. */
export function deletePrivateBlock(dataset: DicomDataset, group: number, creator: string): number {
  const block = findPrivateBlock(dataset, group, creator);
  if (block === undefined) return 0;
  const doomed = dataset.elements
    .filter(
      (e) =>
        e.tag === toTag(group, block) ||
        (groupOf(e.tag) === group && (e.tag & 0xff00) >>> 8 === block && (e.tag & 0xffff) >= 0x1000),
    )
    .map((e) => e.tag);
  for (const tag of doomed) dataset.delete(tag);
  return doomed.length;
}
