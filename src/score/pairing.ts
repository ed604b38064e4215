/**
 * Which output file is the de-identified copy of which dataset instance.
 *
 * With a UID mapping (the MIDI-B way): the instance whose SOP Instance UID maps to an output file's SOP
 * Instance UID (modules/file_organizer.py and answer_preparer.py of the NCI script).
 *
 * Without one (most de-identifiers write none), pairs are derived by rules tried in order, each only
 * among what the earlier rules left, each pairing only where it is unambiguous:
 *   1. `path`: the same path relative to the dataset and the output folder (a leading `dicom/` ignored);
 *   2. `sop-instance-uid`: the same SOP Instance UID (a de-identifier that kept UIDs);
 *   3. `stored-pixels`: the same MD5 of the stored Pixel Data bytes (pixels kept byte for byte);
 *   4. `decoded-pixels`: the same hash of the decoded frames (pixels re-encoded losslessly);
 *   5. `series-order`: within a series paired through the pairs found so far (or, failing that, the only
 *      series of the same modality and size in the paired study, patient or folder), instances in
 *      Instance Number order.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { FileRecord } from '../answerkey/index.js';
import {
  decodePixels,
  getString,
  initializeCodecs,
  parseDicom,
  readDicomHeader,
  readInputBytes,
  storedPixelDataMd5,
} from '../dicom/index.js';
import type { KeyInstance } from '../answerkey/index.js';
import type { OutputFile } from './outputs.js';
import { majority, vote } from './mappings.js';

/** How an output file was paired with its dataset instance. */
export type PairRule =
  | 'uid-map'
  | 'path'
  | 'sop-instance-uid'
  | 'stored-pixels'
  | 'decoded-pixels'
  | 'series-order';

/** The rules in the order they are tried (`uid-map` alone when a UID mapping is given). */
export const PAIR_RULES: readonly PairRule[] = [
  'uid-map',
  'path',
  'sop-instance-uid',
  'stored-pixels',
  'decoded-pixels',
  'series-order',
];

/** One dataset instance and its output file. */
export interface FilePair {
  /** KeyInstance.position */
  instance: number;
  /** OutputFile.position */
  output: number;
  rule: PairRule;
}

/** An output file no dataset instance was paired with, and why. */
export interface UnpairedOutput {
  output: number;
  reason: string;
}

/** The pairing of a dataset with a de-identified folder. */
export interface Pairing {
  /** By KeyInstance.position; undefined where no output file was found (a missing file). */
  byInstance: Array<FilePair | undefined>;
  unpairedOutputs: UnpairedOutput[];
}

/** What the pairing needs of the dataset. */
export interface DatasetSide {
  dir: string;
  instances: readonly KeyInstance[];
  files: ReadonlyMap<string, FileRecord>;
}

const withoutDicomPrefix = (path: string): string => path.replace(/^dicom\//, '');

/** Pairs through a UID mapping, as the NCI script finds files (old SOP UID -> new SOP UID -> file). */
export function pairByUidMap(
  dataset: DatasetSide,
  outputs: readonly OutputFile[],
  uidMap: ReadonlyMap<string, string>,
): Pairing {
  const bySop = new Map<string, OutputFile>();
  const unpairedOutputs: UnpairedOutput[] = [];
  for (const o of outputs) {
    if (o.problem) unpairedOutputs.push({ output: o.position, reason: `unreadable: ${o.problem}` });
    else if (o.sopInstanceUid === undefined)
      unpairedOutputs.push({ output: o.position, reason: 'no SOP Instance UID' });
    else if (bySop.has(o.sopInstanceUid))
      unpairedOutputs.push({
        output: o.position,
        reason: `SOP Instance UID ${o.sopInstanceUid} also in ${bySop.get(o.sopInstanceUid)!.path}`,
      });
    else bySop.set(o.sopInstanceUid, o);
  }
  const used = new Set<number>();
  const byInstance = dataset.instances.map((instance): FilePair | undefined => {
    const mapped = uidMap.get(instance.sopInstanceUid);
    const o = mapped === undefined ? undefined : bySop.get(mapped);
    if (!o || used.has(o.position)) return undefined;
    used.add(o.position);
    return { instance: instance.position, output: o.position, rule: 'uid-map' };
  });
  for (const o of bySop.values())
    if (!used.has(o.position))
      unpairedOutputs.push({
        output: o.position,
        reason: `SOP Instance UID ${o.sopInstanceUid} is not the new UID of any dataset instance in the UID mapping`,
      });
  unpairedOutputs.sort((a, b) => a.output - b.output);
  return { byInstance, unpairedOutputs };
}

/** MD5 over the decoded frames and their geometry; undefined when the pixels cannot be decoded. */
async function decodedPixelHash(path: string): Promise<string | undefined> {
  try {
    const file = parseDicom(await readInputBytes(path), { path });
    await initializeCodecs();
    const { frames, description: d } = decodePixels(file);
    const hash = createHash('md5').update(
      [d.rows, d.columns, d.samplesPerPixel, d.bitsAllocated, d.photometricInterpretation].join('|'),
    );
    for (const frame of frames) hash.update(frame);
    return hash.digest('hex');
  } catch {
    return undefined;
  }
}

async function storedPixelHash(path: string): Promise<string | undefined> {
  try {
    return storedPixelDataMd5(parseDicom(await readInputBytes(path), { path }).dataset);
  } catch {
    return undefined;
  }
}

/** Pairs where a hash names exactly one instance and exactly one output. */
function pairUnique(
  instanceHashes: ReadonlyMap<number, string | undefined>,
  outputHashes: ReadonlyMap<number, string | undefined>,
  pair: (instance: number, output: number) => void,
): void {
  const group = (m: ReadonlyMap<number, string | undefined>): Map<string, number[]> => {
    const g = new Map<string, number[]>();
    for (const [k, h] of m) {
      if (h === undefined) continue;
      const list = g.get(h) ?? [];
      list.push(k);
      g.set(h, list);
    }
    return g;
  };
  const outs = group(outputHashes);
  for (const [h, instances] of group(instanceHashes)) {
    const o = outs.get(h);
    if (instances.length === 1 && o?.length === 1) pair(instances[0]!, o[0]!);
  }
}

/** Instance Number of a dataset file (undefined without a file or the attribute). */
async function datasetInstanceNumber(
  dir: string,
  record: FileRecord | undefined,
): Promise<number | undefined> {
  if (!record) return undefined;
  try {
    const file = await readDicomHeader(join(dir, record.outputPath));
    const n = Number.parseInt(getString(file.dataset, 0x00200013) ?? '', 10);
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/** Derives the pairing without mapping files, by the rules of this file's comment. */
export async function derivePairing(dataset: DatasetSide, outputs: readonly OutputFile[]): Promise<Pairing> {
  const { instances, files } = dataset;
  const byInstance: Array<FilePair | undefined> = instances.map(() => undefined);
  const taken = new Set<number>();
  const pair = (instance: number, output: number, rule: PairRule): void => {
    byInstance[instance] = { instance, output, rule };
    taken.add(output);
  };
  const freeInstances = (): KeyInstance[] => instances.filter((i) => !byInstance[i.position]);
  const freeOutputs = (): OutputFile[] => outputs.filter((o) => !taken.has(o.position) && !o.problem);

  // 1. Same relative path. An unreadable file at an instance's path is still that instance's copy: it
  // is paired (and scored as missing, with its problem reported) rather than left as an unknown file.
  const byPath = new Map<string, number>();
  for (const i of instances) {
    const record = files.get(i.sopInstanceUid);
    if (record) byPath.set(withoutDicomPrefix(record.outputPath), i.position);
  }
  for (const o of outputs) {
    const instance = byPath.get(withoutDicomPrefix(o.path));
    if (instance !== undefined && !byInstance[instance]) pair(instance, o.position, 'path');
  }

  // 2. Same SOP Instance UID.
  const bySop = new Map<string, number>();
  for (const i of freeInstances()) if (!bySop.has(i.sopInstanceUid)) bySop.set(i.sopInstanceUid, i.position);
  for (const o of freeOutputs()) {
    const instance = o.sopInstanceUid === undefined ? undefined : bySop.get(o.sopInstanceUid);
    if (instance !== undefined && !byInstance[instance]) pair(instance, o.position, 'sop-instance-uid');
  }

  // 3. Same stored Pixel Data (the key records each file's MD5; outputs are hashed only when needed).
  let leftInstances = freeInstances();
  let leftOutputs = freeOutputs();
  if (leftInstances.length > 0 && leftOutputs.length > 0) {
    const instanceHashes = new Map<number, string | undefined>();
    for (const i of leftInstances)
      instanceHashes.set(i.position, files.get(i.sopInstanceUid)?.pixelDataMd5 ?? undefined);
    const outputHashes = new Map<number, string | undefined>();
    for (const o of leftOutputs) outputHashes.set(o.position, await storedPixelHash(o.absolutePath));
    pairUnique(instanceHashes, outputHashes, (i, o) => pair(i, o, 'stored-pixels'));
  }

  // 4. Same decoded pixels (the dataset's files are decoded too).
  leftInstances = freeInstances();
  leftOutputs = freeOutputs();
  if (leftInstances.length > 0 && leftOutputs.length > 0) {
    const instanceHashes = new Map<number, string | undefined>();
    for (const i of leftInstances) {
      const record = files.get(i.sopInstanceUid);
      instanceHashes.set(
        i.position,
        record ? await decodedPixelHash(join(dataset.dir, record.outputPath)) : undefined,
      );
    }
    const outputHashes = new Map<number, string | undefined>();
    for (const o of leftOutputs) outputHashes.set(o.position, await decodedPixelHash(o.absolutePath));
    pairUnique(instanceHashes, outputHashes, (i, o) => pair(i, o, 'decoded-pixels'));
  }

  // 5. Instance order within series paired through the pairs so far. A file holding the SOP Instance
  // UID of a file already paired is a copy of that one, not a candidate.
  leftInstances = freeInstances();
  const pairedSops = new Set<string>();
  for (const p of byInstance) {
    const sop = p && outputs[p.output]!.sopInstanceUid;
    if (sop !== undefined) pairedSops.add(sop);
  }
  leftOutputs = freeOutputs().filter(
    (o) => o.sopInstanceUid === undefined || !pairedSops.has(o.sopInstanceUid),
  );
  if (leftInstances.length > 0 && leftOutputs.length > 0) {
    const seriesVotes = new Map<string, Map<string, number>>();
    const studyVotes = new Map<string, Map<string, number>>();
    const patientVotes = new Map<string, Map<string, number>>();
    for (const p of byInstance) {
      if (!p) continue;
      const i = instances[p.instance]!;
      const o = outputs[p.output]!;
      vote(seriesVotes, i.seriesInstanceUid, o.seriesInstanceUid);
      vote(studyVotes, i.studyInstanceUid, o.studyInstanceUid);
      vote(patientVotes, i.patientId, o.patientId);
    }
    const seriesMap = majority(seriesVotes);
    const studyMap = majority(studyVotes);
    const patientMap = majority(patientVotes);
    const groupBy = <T>(items: readonly T[], key: (t: T) => string | undefined): Map<string, T[]> => {
      const g = new Map<string, T[]>();
      for (const item of items) {
        const k = key(item);
        if (k === undefined) continue;
        const list = g.get(k) ?? [];
        list.push(item);
        g.set(k, list);
      }
      return g;
    };
    const oldSeries = groupBy(leftInstances, (i) => i.seriesInstanceUid);
    const newSeries = groupBy(leftOutputs, (o) => o.seriesInstanceUid);
    const usedNew = new Set(seriesMap.values());
    const pairedOld = new Set<string>();
    const seriesPairs: Array<[string, string]> = [];
    for (const [s] of oldSeries) {
      const mapped = seriesMap.get(s);
      if (mapped === undefined) continue;
      pairedOld.add(s);
      if (newSeries.has(mapped)) seriesPairs.push([s, mapped]);
    }
    // Series none of whose files paired: the one output series of the same modality and size within the
    // paired study (else the paired patient, else the whole folder), when exactly one old series has
    // that shape there too. Repeated while it pairs more, as each pair narrows the others.
    // The narrowest known scope of an old series: its paired study, else its paired patient, else all.
    const scopeOf = (i: KeyInstance): { level: number; id: string } => {
      const study = studyMap.get(i.studyInstanceUid);
      if (study !== undefined) return { level: 0, id: study };
      const patient = patientMap.get(i.patientId);
      if (patient !== undefined) return { level: 1, id: patient };
      return { level: 2, id: '' };
    };
    const inScope = (scope: { level: number; id: string }, o: OutputFile): boolean =>
      scope.level === 0
        ? o.studyInstanceUid === scope.id
        : scope.level === 1
          ? o.patientId === scope.id
          : true;
    for (let progress = true; progress; ) {
      progress = false;
      for (const [s, list] of oldSeries) {
        if (pairedOld.has(s)) continue;
        const first = list[0]!;
        const scope = scopeOf(first);
        const shaped = (items: readonly { modality?: string }[]): boolean =>
          items.length === list.length && items[0]!.modality === first.modality;
        const candidates = [...newSeries].filter(
          ([n, outs]) => !usedNew.has(n) && inScope(scope, outs[0]!) && shaped(outs),
        );
        // ... and no other unpaired old series of that shape in the same scope.
        const rivals = [...oldSeries].filter(([other, others]) => {
          if (pairedOld.has(other) || !shaped(others)) return false;
          const o = scopeOf(others[0]!);
          return o.level === scope.level && o.id === scope.id;
        });
        if (candidates.length !== 1 || rivals.length !== 1) continue;
        const [n] = candidates[0]!;
        seriesPairs.push([s, n]);
        pairedOld.add(s);
        usedNew.add(n);
        progress = true;
      }
    }
    for (const [s, n] of seriesPairs) {
      const olds: Array<{ i: KeyInstance; number: number | undefined }> = [];
      for (const i of oldSeries.get(s)!)
        olds.push({ i, number: await datasetInstanceNumber(dataset.dir, files.get(i.sopInstanceUid)) });
      const news = newSeries.get(n)!.filter((o) => !taken.has(o.position));
      const order = (a: number | undefined, b: number | undefined): number =>
        (a ?? Number.MAX_SAFE_INTEGER) - (b ?? Number.MAX_SAFE_INTEGER);
      olds.sort((a, b) => order(a.number, b.number) || a.i.position - b.i.position);
      news.sort((a, b) => order(a.instanceNumber, b.instanceNumber) || a.position - b.position);
      // In order when the sizes agree (and no two Instance Numbers that are both known disagree).
      const agree = (a: number | undefined, b: number | undefined): boolean =>
        a === undefined || b === undefined || a === b;
      if (olds.length === news.length && olds.every((old, k) => agree(old.number, news[k]!.instanceNumber))) {
        olds.forEach((old, k) => pair(old.i.position, news[k]!.position, 'series-order'));
      } else {
        // Different sizes: only instances whose Instance Numbers match one to one.
        const newsByNumber = groupBy(news, (o) =>
          o.instanceNumber === undefined ? undefined : String(o.instanceNumber),
        );
        const oldsByNumber = groupBy(olds, (x) => (x.number === undefined ? undefined : String(x.number)));
        for (const [num, list] of oldsByNumber) {
          const match = newsByNumber.get(num);
          if (list.length === 1 && match?.length === 1)
            pair(list[0]!.i.position, match[0]!.position, 'series-order');
        }
      }
    }
  }

  const unpairedOutputs: UnpairedOutput[] = [];
  const sopOwner = new Map<string, string>();
  for (const p of byInstance) {
    const o = p && outputs[p.output];
    if (o?.sopInstanceUid !== undefined) sopOwner.set(o.sopInstanceUid, o.path);
  }
  for (const o of outputs) {
    if (taken.has(o.position)) continue;
    let reason: string;
    if (o.problem) reason = `unreadable: ${o.problem}`;
    else if (o.sopInstanceUid !== undefined && sopOwner.has(o.sopInstanceUid))
      reason = `SOP Instance UID ${o.sopInstanceUid} also in ${sopOwner.get(o.sopInstanceUid)}`;
    else reason = 'no dataset instance matches it by path, SOP Instance UID, pixels or series order';
    unpairedOutputs.push({ output: o.position, reason });
  }
  return { byInstance, unpairedOutputs };
}
