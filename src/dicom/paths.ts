/**
 * Element paths in the exact form the MIDI-B validation script indexes them (its `tag_ds`):
 *   standard  <(0020,000d)>                        lower-case hex
 *   private   <(0009,"GEMS_IDEN_01",04)>           group, creator in upper case, last two hex digits
 *   creator / orphan private  <(0009,0010)>        plain form
 *   nested    <(0008,1140)>[<0000>]<(0008,1155)>   4-digit item index from 0
 * One function formats and one parses; `resolvePath` finds what a path names in a data set.
 */
import { ElementPathError } from '../errors/index.js';
import type { DicomDataset, DicomElement } from './dataset.js';
import { creatorTagOf, elementOf, formatTagLower, groupOf, type Tag, toTag } from './tag.js';
import { asciiText } from './values.js';

/** A step's element: a tag, or a private element by creator and element byte. */
export type ElementRef =
  | { readonly kind: 'tag'; readonly tag: Tag }
  | {
      readonly kind: 'private';
      readonly group: number;
      readonly creator: string;
      readonly elementByte: number;
    };

/** An element path: the refs from the top level down, each but the last with the item index it enters. */
export interface ElementPath {
  readonly steps: ReadonlyArray<{ readonly ref: ElementRef; readonly item?: number }>;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/** Formats one ref as the script does (without the angle brackets). */
export function formatRef(ref: ElementRef): string {
  if (ref.kind === 'tag') return formatTagLower(ref.tag);
  return `(${hex(ref.group, 4)},"${ref.creator.toUpperCase()}",${hex(ref.elementByte, 2)})`;
}

/** Formats a path: `<(0008,1140)>[<0000>]<(0008,1155)>`. */
export function formatPath(path: ElementPath): string {
  const steps = path.steps;
  let out = '';
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const last = i === steps.length - 1;
    if (!last && step.item === undefined)
      throw new ElementPathError('a non-final step needs an item index', JSON.stringify(step));
    out += `<${formatRef(step.ref)}>${last ? '' : `[<${String(step.item).padStart(4, '0')}>]`}`;
  }
  return out;
}

const STEP =
  /^<\(([0-9a-fA-F]{4}),(?:([0-9a-fA-F]{4})|"((?:[^"]|"(?!,[0-9a-fA-F]{2}\)>))*)",([0-9a-fA-F]{2}))\)>(?:\[<(\d{4,})>\])?/;

/** Parses a path in the script's form; throws ElementPathError on anything else. */
export function parsePath(text: string): ElementPath {
  const steps: Array<{ ref: ElementRef; item?: number }> = [];
  let rest = text;
  while (rest.length > 0) {
    const m = STEP.exec(rest);
    if (!m) throw new ElementPathError(`cannot parse at ${JSON.stringify(rest.slice(0, 40))}`, text);
    const group = parseInt(m[1]!, 16);
    const ref: ElementRef =
      m[2] !== undefined
        ? { kind: 'tag', tag: toTag(group, parseInt(m[2], 16)) }
        : { kind: 'private', group, creator: m[3]!, elementByte: parseInt(m[4]!, 16) };
    const item = m[5] === undefined ? undefined : Number(m[5]);
    steps.push(item === undefined ? { ref } : { ref, item });
    rest = rest.slice(m[0].length);
    if (item === undefined && rest.length > 0)
      throw new ElementPathError('an element with children needs [<iiii>]', text);
  }
  if (steps.length === 0) throw new ElementPathError('empty path', text);
  // A path names an element, never an item: `<(0008,1140)>[<0000>]` alone would format back without its index.
  if (steps[steps.length - 1]!.item !== undefined) {
    throw new ElementPathError('ends with an item index, not an element', text);
  }
  return { steps };
}

/** The private creator string of a private element in its data set, trailing padding removed. */
export function privateCreatorOf(dataset: DicomDataset, tag: Tag): string | undefined {
  const creatorTag = creatorTagOf(tag);
  if (creatorTag === undefined) return undefined;
  const creator = dataset.get(creatorTag)?.value;
  return creator
    ? asciiText(creator)
        .replace(/[\0 ]+$/, '')
        .replace(/^ +/, '')
    : undefined;
}

/**
 * The private creator pydicom attaches to an element as the MIDI-B script iterates a data set. pydicom 2.x
 * parses a sequence of undefined length while reading and never gives it a creator, so such a private
 * sequence is indexed in the plain form `(gggg,eeee)` and named `Private tag data`.
 */
export function indexedCreatorOf(dataset: DicomDataset, element: DicomElement): string | undefined {
  if (element.items && element.undefinedLength) return undefined;
  return privateCreatorOf(dataset, element.tag);
}

/** The ref the script would write for an element of a data set. */
export function refOf(dataset: DicomDataset, element: DicomElement): ElementRef {
  const creator = indexedCreatorOf(dataset, element);
  if (creator === undefined) return { kind: 'tag', tag: element.tag };
  return {
    kind: 'private',
    group: groupOf(element.tag),
    creator,
    elementByte: elementOf(element.tag) & 0xff,
  };
}

/** Finds the tag a ref names in a data set (private refs through their creator, case-insensitively). */
export function findTag(dataset: DicomDataset, ref: ElementRef): Tag | undefined {
  if (ref.kind === 'tag') return dataset.has(ref.tag) ? ref.tag : undefined;
  const wanted = ref.creator.toUpperCase();
  for (let block = 0x10; block <= 0xff; block++) {
    const creator = dataset.get(toTag(ref.group, block))?.value;
    if (
      creator &&
      asciiText(creator)
        .replace(/[\0 ]+$/, '')
        .replace(/^ +/, '')
        .toUpperCase() === wanted
    ) {
      const tag = toTag(ref.group, (block << 8) | ref.elementByte);
      if (dataset.has(tag)) return tag;
    }
  }
  return undefined;
}

/** The element a path names, with the data set holding it, or undefined when any step is missing. */
export function resolvePath(
  root: DicomDataset,
  path: ElementPath,
): { dataset: DicomDataset; element: DicomElement } | undefined {
  let dataset = root;
  for (let i = 0; i < path.steps.length; i++) {
    const step = path.steps[i]!;
    const tag = findTag(dataset, step.ref);
    if (tag === undefined) return undefined;
    const element = dataset.get(tag)!;
    if (i === path.steps.length - 1) return { dataset, element };
    const item = element.items?.[step.item!];
    if (!item) return undefined;
    dataset = item;
  }
  return undefined;
}
