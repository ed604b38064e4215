/**
 * The de-identified folder as the scorer finds it: every file under it, in any layout, surveyed from its
 * header (identity attributes, Instance Number) without reading pixel data. Whatever a de-identifier
 * left there is reported, never fatal: files that are not DICOM or cannot be parsed, files without the
 * attributes the NCI script needs, files without the Part 10 preamble.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import {
  getString,
  readDicomHeader,
  readInputBytes,
  parseDicom,
  storedPixelDataMd5,
  Tags,
  type DicomFile,
} from '../dicom/index.js';
import type { Reporter } from '../pipeline/reporter.js';

/** One file found in the de-identified folder. */
export interface OutputFile {
  /** Position in the survey (sorted by path), from 0. */
  position: number;
  /** Path relative to the de-identified folder, `/`-separated. */
  path: string;
  absolutePath: string;
  /** Why the file cannot be read as DICOM (not DICOM, truncated at offset N, ...); undefined when it can. */
  problem?: string;
  sopInstanceUid?: string;
  sopClassUid?: string;
  modality?: string;
  patientId?: string;
  studyInstanceUid?: string;
  seriesInstanceUid?: string;
  instanceNumber?: number;
  /** Attributes the NCI script needs (section 1 of the reference page) that the file lacks or leaves empty. */
  missingAttributes: string[];
  /** No 128-byte preamble and `DICM`: the script's reader refuses such a file. */
  noPreamble: boolean;
}

/** The attributes the NCI script reads from every file (it crashes or skips the file without them). */
export const REQUIRED_ATTRIBUTES: ReadonlyArray<readonly [string, number]> = [
  ['Modality', 0x00080060],
  ['SOPClassUID', Tags.SOPClassUID],
  ['PatientID', 0x00100020],
  ['StudyInstanceUID', 0x0020000d],
  ['SeriesInstanceUID', 0x0020000e],
  ['SOPInstanceUID', Tags.SOPInstanceUID],
];

const INSTANCE_NUMBER = 0x00200013;

/** Code-unit order, locale-free (determinism). */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every regular file under `dir` (following symbolic links to files), sorted by relative path. */
export async function listFiles(dir: string, exclude: ReadonlySet<string> = new Set()): Promise<string[]> {
  const out: string[] = [];
  // Symbolic links are followed; a folder reached twice (a link cycle) is walked once.
  const visited = new Set<string>();
  const walk = async (d: string): Promise<void> => {
    const real = await realpath(d);
    if (visited.has(real)) return;
    visited.add(real);
    const entries = await readdir(d, { withFileTypes: true });
    entries.sort((a, b) => byCodeUnits(a.name, b.name));
    for (const e of entries) {
      const full = join(d, e.name);
      const target = e.isSymbolicLink() ? await stat(full).catch(() => undefined) : e;
      if (target?.isDirectory()) await walk(full);
      else if (target?.isFile() && !exclude.has(full)) out.push(full);
    }
  };
  await walk(dir);
  return out.sort((a, b) => byCodeUnits(toRelative(dir, a), toRelative(dir, b)));
}

/** A path relative to `dir`, `/`-separated. */
export const toRelative = (dir: string, path: string): string => relative(dir, path).split(sep).join('/');

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The identity attributes of a parsed file, filled into `out`. */
export function describeOutput(file: DicomFile, out: OutputFile): void {
  const ds = file.dataset;
  const text = (tag: number): string | undefined => {
    try {
      return getString(ds, tag)?.trim();
    } catch {
      return undefined;
    }
  };
  out.sopInstanceUid = text(Tags.SOPInstanceUID);
  out.sopClassUid = text(Tags.SOPClassUID);
  out.modality = text(0x00080060);
  out.patientId = text(0x00100020);
  out.studyInstanceUid = text(0x0020000d);
  out.seriesInstanceUid = text(0x0020000e);
  const number = Number.parseInt(text(INSTANCE_NUMBER) ?? '', 10);
  if (Number.isFinite(number)) out.instanceNumber = number;
  out.missingAttributes = REQUIRED_ATTRIBUTES.filter(([, tag]) => text(tag) === undefined).map(([n]) => n);
  out.noPreamble = file.preamble === undefined;
}

/** Surveys one file from its header; a file that cannot be parsed gets `problem`. */
export async function surveyOutput(dir: string, absolutePath: string, position: number): Promise<OutputFile> {
  const out: OutputFile = {
    position,
    path: toRelative(dir, absolutePath),
    absolutePath,
    missingAttributes: [],
    noPreamble: false,
  };
  try {
    describeOutput(await readDicomHeader(absolutePath, { displayPath: out.path }), out);
  } catch (error) {
    out.problem = errorText(error);
  }
  return out;
}

/** Surveys every file under the de-identified folder (except `exclude`, e.g. the mapping files). */
export async function surveyOutputs(
  dir: string,
  exclude: ReadonlySet<string>,
  reporter?: Reporter,
): Promise<OutputFile[]> {
  const paths = await listFiles(dir, exclude);
  const out: OutputFile[] = [];
  for (const [i, path] of paths.entries()) {
    out.push(await surveyOutput(dir, path, i));
    if (i % 100 === 99 || i === paths.length - 1) reporter?.progress('survey', i + 1, paths.length);
  }
  return out;
}

/** MD5 of a file's stored Pixel Data (undefined without pixels or when unreadable). */
export async function storedPixelMd5Of(path: string): Promise<string | undefined> {
  try {
    return storedPixelDataMd5(parseDicom(await readInputBytes(path), { path }).dataset);
  } catch {
    return undefined;
  }
}
