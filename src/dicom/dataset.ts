/**
 * The in-memory model of a DICOM data set that keeps every byte it was read from.
 *
 * Each element and each sequence item remembers its encoded bytes (`raw`) and the encoding they are in.
 * The writer copies those bytes verbatim unless the element, or something inside it, was edited, so
 * untouched elements are never re-encoded (ARCHITECTURE.md section 5).
 */
import { groupOf, type Tag } from './tag.js';
import type { Vr } from './vr.js';

/** The three element encodings of PS3.5 7.1: what `raw` bytes are in. */
export type ElementEncoding = 'implicit-le' | 'explicit-le' | 'explicit-be';

/** One data element. Exactly one of `value`, `items`, `fragments` is set. */
export class DicomElement {
  /** Encoded bytes of the whole element (header and value) as read; dropped when the element changes. */
  raw: Uint8Array | undefined;
  /** The encoding `raw` is in. */
  rawEncoding: ElementEncoding | undefined;
  /** Whether the source stored an undefined length (sequences and encapsulated pixel data). */
  undefinedLength = false;
  /** Byte order of `value` (values keep the order they were read in until written in another). */
  bigEndian = false;

  constructor(
    readonly tag: Tag,
    /** The VR: stored in the file (explicit VR) or, for implicit VR, from the dictionary (UN if unknown). */
    public vr: Vr,
    /** Value bytes of a non-sequence element, without padding removed. */
    public value: Uint8Array | undefined,
    /** Items of a sequence (SQ, or UN holding an implicit-VR sequence of undefined length). */
    public items: DicomDataset[] | undefined = undefined,
    /** Encapsulated pixel data: the Basic Offset Table item first, then the fragments (PS3.5 A.4). */
    public fragments: Uint8Array[] | undefined = undefined,
  ) {}

  /** Byte length of the value (sum of fragments for encapsulated data, 0 for sequences). */
  get valueLength(): number {
    if (this.value) return this.value.length;
    if (this.fragments) return this.fragments.reduce((n, f) => n + f.length, 0);
    return 0;
  }
}

/** Where a nested data set (a sequence item) hangs in its parent. */
interface ParentLink {
  readonly dataset: DicomDataset;
  readonly element: DicomElement;
}

/** An ordered set of elements: the top-level data set, the file meta group, or one sequence item. */
export class DicomDataset {
  /** Encoded bytes of this item (item header to delimiter) as read; undefined for top level or once edited. */
  raw: Uint8Array | undefined;
  rawEncoding: ElementEncoding | undefined;
  /** Whether the source stored this item with an undefined length. */
  undefinedLength = false;
  /** Groups in which an element was set or deleted; their group length elements are recomputed on write. */
  readonly modifiedGroups = new Set<number>();
  parent: ParentLink | undefined;

  private readonly list: DicomElement[] = [];
  private readonly byTag = new Map<Tag, DicomElement>();

  /** Elements in stored order (ascending tags in any well-formed file). */
  get elements(): readonly DicomElement[] {
    return this.list;
  }

  get size(): number {
    return this.list.length;
  }

  get(tag: Tag): DicomElement | undefined {
    return this.byTag.get(tag);
  }

  has(tag: Tag): boolean {
    return this.byTag.has(tag);
  }

  /** Adds an element as read from a file, keeping file order; duplicate tags keep the first for lookups. */
  appendParsed(element: DicomElement): void {
    this.list.push(element);
    if (!this.byTag.has(element.tag)) this.byTag.set(element.tag, element);
    if (element.items) for (const item of element.items) item.parent = { dataset: this, element };
  }

  /** Inserts or replaces an element, keeping ascending tag order, and marks the data set edited. */
  put(element: DicomElement): DicomElement {
    const existing = this.byTag.get(element.tag);
    if (existing) {
      this.list[this.list.indexOf(existing)] = element;
    } else {
      let at = this.list.length;
      while (at > 0 && this.list[at - 1]!.tag > element.tag) at--;
      this.list.splice(at, 0, element);
    }
    this.byTag.set(element.tag, element);
    if (element.items) for (const item of element.items) item.parent = { dataset: this, element };
    this.markModified(element.tag);
    return element;
  }

  /** Removes an element; returns whether it was there. */
  delete(tag: Tag): boolean {
    const existing = this.byTag.get(tag);
    if (!existing) return false;
    this.list.splice(this.list.indexOf(existing), 1);
    this.byTag.delete(tag);
    const duplicate = this.list.find((e) => e.tag === tag);
    if (duplicate) this.byTag.set(tag, duplicate);
    this.markModified(tag);
    return true;
  }

  /**
   * Records that the element `tag` (or something inside it) changed: its cached bytes, this item's and every
   * enclosing sequence's cached bytes are dropped so the writer re-encodes exactly the changed path.
   */
  markModified(tag: Tag): void {
    const element = this.byTag.get(tag);
    if (element) element.raw = undefined;
    this.modifiedGroups.add(groupOf(tag));
    this.raw = undefined;
    if (this.parent) this.parent.dataset.markModified(this.parent.element.tag);
  }

  /** Appends a new item to a sequence element of this data set (creating the SQ if absent). */
  addItem(tag: Tag, item: DicomDataset = new DicomDataset()): DicomDataset {
    let element = this.byTag.get(tag);
    if (!element || !element.items) element = this.put(new DicomElement(tag, 'SQ', undefined, []));
    element.items!.push(item);
    item.parent = { dataset: this, element };
    this.markModified(tag);
    return item;
  }
}

/** A DICOM file: optional preamble, the file meta group, and the data set. */
export interface DicomFile {
  /** The 128-byte preamble, or undefined when the source had no Part 10 header. */
  preamble: Uint8Array | undefined;
  /** File Meta Information (group 0002), always Explicit VR Little Endian. Empty if the source had none. */
  meta: DicomDataset;
  dataset: DicomDataset;
  /** Transfer syntax the data set is encoded in (from the meta group, or inferred for headerless files). */
  transferSyntaxUid: string;
  /** The encoding the data set was actually read in (differs from the transfer syntax in some broken files). */
  datasetEncoding: ElementEncoding;
  /** How the transfer syntax was found. */
  transferSyntaxSource: 'meta' | 'inferred';
  /** The path the file was read from, for messages. */
  path: string | undefined;
}
