/**
 * `verify`: re-reads every output file and proves the answer key against the files, independently of
 * how they were generated. Each check must name an element the file has, with the value the key records;
 * each removed and retained span must be in that value; each MD5 must match; SOP Instance UIDs must be
 * unique; every UID reference must resolve within the dataset (or have been dangling in the input); and
 * no PHI value of a patient may appear in any element of that patient's files without a text_removed
 * check covering it. Burned-in text: every pixels_hidden box must hold the PHI lines burned_text records
 * inside the image, with Burned In Annotation YES; given the inputs, every line box must hold changed
 * pixels and every pixel outside the boxes must equal the source's.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ANSWER_KEY_FILE,
  normalizeScorerText,
  AnswerKeySource,
  type BurnedTextRow,
  type Check,
} from '../answerkey/index.js';
import {
  getNumber,
  getString,
  indexDataset,
  initializeCodecs,
  isStringVr,
  parseDicom,
  requireTag,
  storedPixelDataMd5,
  type DicomFile,
} from '../dicom/index.js';
import { PseudophiError } from '../errors/index.js';
import { collectUidLinks } from './references.js';
import { silentReporter, type Reporter } from './reporter.js';
import { checkBurnedPixels, parseHiddenBox, type HiddenBox } from './verify-pixels.js';

/** One failed proof. */
export interface VerifyProblem {
  file: string;
  path?: string;
  problem: string;
}

/** The result of verifying a dataset. */
export interface VerifyReport {
  files: number;
  checks: number;
  /** Instances with burned-in text, and how many of them were compared with their source pixels. */
  burned: number;
  burnedAgainstSource: number;
  problems: VerifyProblem[];
}

/** Options of verifyDataset. */
export interface VerifyOptions {
  /**
   * The folder the dataset was generated from (manifest `inputs` paths are relative to it). Given, the
   * burned pixels of each instance are compared with its source; without it only the key is proved.
   */
  sources?: string | undefined;
}

/** The manifest fields verify relies on. */
interface Manifest {
  outputs: Array<{ path: string; sha256: string; source?: string }>;
  danglingReferences?: string[];
}

/** PHI values shorter than this are not scanned for (initials match inside too many words). */
const MIN_SCANNED_PHI = 4;

/** Verifies the dataset in `dir`; never throws for a problem in the data, only for an unreadable dataset. */
export async function verifyDataset(
  dir: string,
  reporter: Reporter = silentReporter,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  } catch (error) {
    throw new PseudophiError(
      `${dir} is not a complete pseudophi dataset: manifest.json (${(error as Error).message})`,
      { file: dir },
    );
  }
  // Read instance by instance: a whole key in memory grows with the dataset (AnswerKeySource).
  const key = AnswerKeySource.open(join(dir, ANSWER_KEY_FILE));
  try {
    return await verifyWithKey(key, manifest, dir, reporter, options);
  } finally {
    key.close();
  }
}

/** verifyDataset's work, with the key open. */
async function verifyWithKey(
  key: AnswerKeySource,
  manifest: Manifest,
  dir: string,
  reporter: Reporter,
  options: VerifyOptions,
): Promise<VerifyReport> {
  const problems: VerifyProblem[] = [];
  const files = [...key.files.values()];
  const pathOf = new Map(files.map((f) => [f.sopInstanceUid, f.outputPath]));
  const sourceShaOf = new Map(files.map((f) => [f.sopInstanceUid, f.sourceSha256]));
  const manifestSha = new Map(manifest.outputs.map((o) => [o.path, o.sha256]));
  const sourceOf = new Map(manifest.outputs.map((o) => [o.path, o.source]));
  if (options.sources) await initializeCodecs();
  let burned = 0;
  let burnedAgainstSource = 0;
  if (manifest.outputs.length !== key.instances.length) {
    problems.push({
      file: 'manifest.json',
      problem: `${manifest.outputs.length} outputs but ${key.instances.length} key rows`,
    });
  }

  // PHI of each patient: every text_removed span of any of the patient's instances.
  const phiByPatient = new Map<string, Set<string>>();
  for (const [patient, phi] of key.phiByPatient())
    phiByPatient.set(patient, new Set(phi.map((p) => p.text).filter((t) => t.length >= MIN_SCANNED_PHI)));

  const sopUids = new Map<string, string>();
  const targets = new Set<string>();
  const references: Array<{ file: string; uid: string }> = [];
  let checks = 0;

  for (const [n, keyInstance] of key.instances.entries()) {
    reporter.progress('verify', n, key.instances.length);
    const instance = { ...keyInstance, checks: key.checksOf(keyInstance) };
    const relative = pathOf.get(instance.sopInstanceUid);
    if (!relative) {
      problems.push({ file: instance.sopInstanceUid, problem: 'key row without a file record' });
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(join(dir, relative));
    } catch (error) {
      problems.push({ file: relative, problem: `cannot read (${(error as Error).message})` });
      continue;
    }
    const sha = createHash('sha256').update(bytes).digest('hex');
    if (manifestSha.get(relative) !== sha)
      problems.push({ file: relative, problem: 'SHA-256 differs from manifest.json' });
    const outputFile = parseDicom(bytes, { path: relative });
    const dataset = outputFile.dataset;
    const rows = indexDataset(dataset);
    const values = new Map<string, string>();
    for (const row of rows) if (!values.has(row.pathText)) values.set(row.pathText, row.value);

    // UIDs: uniqueness and references.
    const first = sopUids.get(instance.sopInstanceUid);
    if (first) problems.push({ file: relative, problem: `SOP Instance UID also used by ${first}` });
    sopUids.set(instance.sopInstanceUid, relative);
    const links = collectUidLinks(dataset);
    for (const uid of links.targets) targets.add(uid);
    for (const uid of links.references) references.push({ file: relative, uid });

    // Every check against the file.
    // What the key asks to remove or change at each path: a PHI value found there is covered by it.
    const removedByPath = new Map<string, string[]>();
    for (const check of instance.checks) {
      checks++;
      const fail = (problem: string): void =>
        void problems.push({ file: relative, path: check.path, problem: `${check.action}: ${problem}` });
      if (check.action === 'pixels_hidden') continue; // proved with the burned lines below
      if (check.action === 'pixels_retained') {
        if (storedPixelDataMd5(dataset) !== check.actionText) fail('Pixel Data MD5 differs');
        continue;
      }
      if (check.action === 'date_shifted' || check.action === 'uid_changed') {
        removedByPath.set(check.path, [...(removedByPath.get(check.path) ?? []), check.value]);
      }
      const value = values.get(check.path);
      if (value === undefined) {
        fail('the file has no element at this path');
        continue;
      }
      if (value !== check.value)
        fail(`value ${JSON.stringify(check.value)} is not the file's ${JSON.stringify(value)}`);
      if (
        (check.action === 'text_removed' || check.action === 'text_retained') &&
        check.actionText !== null
      ) {
        if (!normalizeScorerText(value).includes(normalizeScorerText(check.actionText)))
          fail(`${JSON.stringify(check.actionText)} is not in the value`);
        if (check.action === 'text_removed')
          removedByPath.set(check.path, [...(removedByPath.get(check.path) ?? []), check.actionText]);
      }
    }

    // Burned-in text: the key's boxes against the image, and (given the inputs) against the source pixels.
    const lines = key.burnedText.get(instance.sopInstanceUid) ?? [];
    if (lines.length > 0 || instance.checks.some((c) => c.action === 'pixels_hidden')) {
      burned++;
      for (const problem of burnedTextProblems(outputFile, instance.checks, lines))
        problems.push({ file: relative, path: '<(7fe0,0010)>', problem });
      const source = sourceOf.get(relative);
      if (options.sources && source) {
        const sourceProblems = await burnedPixelProblems(
          join(options.sources, source),
          sourceShaOf.get(instance.sopInstanceUid) ?? null,
          outputFile,
          lines,
        );
        for (const problem of sourceProblems)
          problems.push({ file: relative, path: '<(7fe0,0010)>', problem });
        burnedAgainstSource++;
      }
    }

    // Leak scan: the patient's PHI anywhere in a text value must be covered by a text_removed check there.
    const phi = phiByPatient.get(instance.patientId) ?? new Set<string>();
    for (const row of rows) {
      if (!isStringVr(row.vr) || row.value === '') continue;
      const text = normalizeScorerText(row.value);
      const covered = (removedByPath.get(row.pathText) ?? []).map(normalizeScorerText);
      for (const value of phi) {
        const needle = normalizeScorerText(value);
        if (text.includes(needle) && !covered.some((c) => c.includes(needle))) {
          problems.push({
            file: relative,
            path: row.pathText,
            problem: `PHI ${JSON.stringify(value)} without a text_removed check`,
          });
        }
      }
    }
  }
  reporter.progress('verify', key.instances.length, key.instances.length);

  const dangling = new Set(manifest.danglingReferences ?? []);
  for (const r of references) {
    if (!targets.has(r.uid) && !dangling.has(r.uid)) {
      problems.push({ file: r.file, problem: `reference ${r.uid} resolves to nothing in the dataset` });
    }
  }
  return { files: key.instances.length, checks, burned, burnedAgainstSource, problems };
}

const lineBox = (r: BurnedTextRow): HiddenBox => ({
  topLeft: [r.left, r.top],
  bottomRight: [r.left + r.width, r.top + r.height],
  frame: r.frame,
});

const inside = (inner: HiddenBox, outer: HiddenBox): boolean =>
  inner.topLeft[0] >= outer.topLeft[0] &&
  inner.topLeft[1] >= outer.topLeft[1] &&
  inner.bottomRight[0] <= outer.bottomRight[0] &&
  inner.bottomRight[1] <= outer.bottomRight[1];

/**
 * What is wrong with an instance's burned-in text in the key alone: lines outside the image, PHI lines
 * no pixels_hidden box covers, boxes without PHI, pixels_retained beside pixels_hidden, Burned In
 * Annotation not YES.
 */
function burnedTextProblems(
  file: Pick<DicomFile, 'dataset'>,
  checks: readonly Check[],
  lines: readonly BurnedTextRow[],
): string[] {
  const problems: string[] = [];
  const ds = file.dataset;
  const rows = getNumber(ds, requireTag('Rows')) ?? 0;
  const columns = getNumber(ds, requireTag('Columns')) ?? 0;
  const frames = getNumber(ds, requireTag('NumberOfFrames')) ?? 1;
  const hidden = checks.filter((c) => c.action === 'pixels_hidden').map((c) => parseHiddenBox(c.actionText!));
  if (checks.some((c) => c.action === 'pixels_retained'))
    problems.push('pixels_retained beside pixels_hidden: burned pixels cannot keep their MD5');
  if (getString(ds, requireTag('BurnedInAnnotation')) !== 'YES')
    problems.push('Burned In Annotation is not YES on an image with burned-in text');
  for (const line of lines) {
    const box = lineBox(line);
    const name = `line ${JSON.stringify(line.text)} (frame ${line.frame})`;
    if (line.left < 0 || line.top < 0 || box.bottomRight[0] > columns || box.bottomRight[1] > rows)
      problems.push(`${name} lies outside the ${columns}x${rows} image`);
    if (line.frame < 0 || line.frame >= frames) problems.push(`${name} is on a frame the image lacks`);
    if (line.phi && !hidden.some((h) => inside(box, h)))
      problems.push(`${name} is PHI outside every pixels_hidden box`);
  }
  for (const h of hidden) {
    if (!lines.some((l) => l.phi && inside(lineBox(l), h)))
      problems.push(`pixels_hidden box ${JSON.stringify(h)} covers no PHI line`);
  }
  return problems;
}

/** What is wrong with burned pixels compared with the source file (which must be the one the key names). */
async function burnedPixelProblems(
  sourcePath: string,
  sourceSha256: string | null,
  output: DicomFile,
  lines: readonly BurnedTextRow[],
): Promise<string[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(sourcePath);
  } catch (error) {
    return [`cannot read the source ${sourcePath} (${(error as Error).message})`];
  }
  if (createHash('sha256').update(bytes).digest('hex') !== sourceSha256)
    return [`the source ${sourcePath} is not the file this instance was generated from (SHA-256 differs)`];
  return checkBurnedPixels(parseDicom(bytes, { path: sourcePath }), output, lines.map(lineBox));
}
