/**
 * Input discovery: walks a folder of any layout and file names, reads every file's header, and returns the
 * usable DICOM instances sorted by stable keys (never filesystem order), and a reject with a reason for
 * every file that cannot be used. Inputs are opened read-only; one bad file never stops the scan.
 */
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { PseudophiError } from '../errors/index.js';
import { getString, readDicomHeader, readInputBytes, requireTag, type DicomFile } from '../dicom/index.js';
import { silentReporter, type Reporter } from './reporter.js';

/** What the rest of the pipeline needs to know about one usable input instance. Pixels are re-read on demand. */
export interface SourceInstance {
  /** Absolute path of the input file. */
  path: string;
  /** Path relative to the input folder, with `/` separators (recorded in manifests). */
  relativePath: string;
  patientId: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  sopClassUid: string;
  modality: string;
  instanceNumber: number | undefined;
  transferSyntaxUid: string;
  /** Facts the identity planner uses (absent when the source has none). */
  patientSex: string | undefined;
  patientAge: string | undefined;
  studyDate: string | undefined;
  manufacturer: string | undefined;
}

/** An input file that cannot be used, and why. */
export interface Reject {
  relativePath: string;
  reason: string;
}

/** The result of scanning an input folder. */
export interface ScanResult {
  instances: SourceInstance[];
  rejects: Reject[];
}

/** Type 1 keys without which an instance cannot be placed in a dataset. */
const KEYS: ReadonlyArray<[keyof SourceInstance, string]> = [
  ['studyInstanceUid', 'StudyInstanceUID'],
  ['seriesInstanceUid', 'SeriesInstanceUID'],
  ['sopInstanceUid', 'SOPInstanceUID'],
  ['sopClassUid', 'SOPClassUID'],
];

/**
 * Why an input was rejected, from the error it raised: pseudophi's own message, a file-system error, or,
 * for anything else, a message labelled unexpected (a bug to report). No single input stops a run.
 */
export function rejectReason(error: unknown): string {
  if (error instanceof PseudophiError) return error.message;
  if (error instanceof Error && 'code' in error) return `cannot read: ${error.message}`;
  return `unexpected error: ${String(error)}`;
}

/** Lists regular files under a folder, depth first, names in code-point order. */
export async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) out.push(full);
    }
  };
  await walk(root);
  return out;
}

/** Extracts the identifying keys of a parsed file, or the reason it cannot be used. */
export function describeInstance(file: DicomFile): Omit<SourceInstance, 'path' | 'relativePath'> | string {
  const ds = file.dataset;
  const values: Partial<Record<keyof SourceInstance, string>> = {};
  const missing: string[] = [];
  for (const [field, keyword] of KEYS) {
    const value = getString(ds, requireTag(keyword));
    if (value === undefined) missing.push(keyword);
    else values[field] = value;
  }
  if (missing.length > 0) return `missing ${missing.join(', ')}`;
  // Patient ID is Type 2 and often empty in test data: such an instance is its study's own patient.
  const patientId = getString(ds, requireTag('PatientID')) ?? `(no Patient ID) ${values.studyInstanceUid!}`;
  const instanceNumberText = getString(ds, requireTag('InstanceNumber'));
  const instanceNumber =
    instanceNumberText !== undefined && /^\s*[+-]?\d+\s*$/.test(instanceNumberText)
      ? Number(instanceNumberText)
      : undefined;
  return {
    patientId,
    studyInstanceUid: values.studyInstanceUid!,
    seriesInstanceUid: values.seriesInstanceUid!,
    sopInstanceUid: values.sopInstanceUid!,
    sopClassUid: values.sopClassUid!,
    modality: getString(ds, requireTag('Modality')) ?? 'OT',
    instanceNumber,
    transferSyntaxUid: file.transferSyntaxUid,
    patientSex: getString(ds, requireTag('PatientSex')),
    patientAge: getString(ds, requireTag('PatientAge')),
    studyDate: getString(ds, requireTag('StudyDate')),
    manufacturer: getString(ds, requireTag('Manufacturer')),
  };
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Stable order: patient, study, series, instance number, SOP Instance UID; never file names. */
export function compareInstances(a: SourceInstance, b: SourceInstance): number {
  return (
    compare(a.patientId, b.patientId) ||
    compare(a.studyInstanceUid, b.studyInstanceUid) ||
    compare(a.seriesInstanceUid, b.seriesInstanceUid) ||
    (a.instanceNumber ?? Number.MAX_SAFE_INTEGER) - (b.instanceNumber ?? Number.MAX_SAFE_INTEGER) ||
    compare(a.sopInstanceUid, b.sopInstanceUid)
  );
}

/** Scans a folder: every readable DICOM file with the keys pseudophi needs becomes a SourceInstance. */
export async function scanInputs(root: string, reporter: Reporter = silentReporter): Promise<ScanResult> {
  const files = await listFiles(root);
  const instances: SourceInstance[] = [];
  const rejects: Reject[] = [];
  for (const [index, path] of files.entries()) {
    const relativePath = relative(root, path).split(sep).join('/');
    try {
      const file = await readDicomHeader(path, { displayPath: relativePath });
      const keys = describeInstance(file);
      if (typeof keys === 'string') rejects.push({ relativePath, reason: keys });
      else instances.push({ ...keys, path, relativePath });
    } catch (error) {
      rejects.push({ relativePath, reason: rejectReason(error) });
    }
    reporter.progress('scan', index + 1, files.length);
  }
  // Two files with one SOP Instance UID cannot both be used. The one kept must not depend on file
  // names, so duplicates are ordered by their keys and then by the SHA-256 of their bytes.
  const bySop = new Map<string, SourceInstance[]>();
  for (const instance of instances)
    bySop.set(instance.sopInstanceUid, [...(bySop.get(instance.sopInstanceUid) ?? []), instance]);
  const unique: SourceInstance[] = [];
  for (const group of bySop.values()) {
    if (group.length === 1) {
      unique.push(group[0]!);
      continue;
    }
    const hashed = await Promise.all(
      group.map(async (i) => ({
        i,
        sha: createHash('sha256')
          .update(await readInputBytes(i.path))
          .digest('hex'),
      })),
    );
    hashed.sort((a, b) => compareInstances(a.i, b.i) || compare(a.sha, b.sha));
    const [kept, ...others] = hashed;
    unique.push(kept!.i);
    for (const o of others)
      rejects.push({
        relativePath: o.i.relativePath,
        reason: `duplicate SOP Instance UID of ${kept!.i.relativePath}`,
      });
  }
  unique.sort(compareInstances);
  rejects.sort((a, b) => compare(a.relativePath, b.relativePath));
  return { instances: unique, rejects };
}
