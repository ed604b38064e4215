/**
 * `verify`: re-reads every output file and proves the answer key against the files, independently of
 * how they were generated. Each check must name an element the file has, with the value the key records;
 * each removed and retained span must be in that value; each MD5 must match; SOP Instance UIDs must be
 * unique; every UID reference must resolve within the dataset (or have been dangling in the input); and
 * no PHI value of a patient may appear in any element of that patient's files without a text_removed
 * check covering it.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ANSWER_KEY_FILE, normalizeScorerText, readAnswerKey } from '../answerkey/index.js';
import { indexDataset, isStringVr, parseDicom, storedPixelDataMd5 } from '../dicom/index.js';
import { PseudophiError } from '../errors/index.js';
import { collectUidLinks } from './references.js';
import { silentReporter, type Reporter } from './reporter.js';

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
  problems: VerifyProblem[];
}

/** The manifest fields verify relies on. */
interface Manifest {
  outputs: Array<{ path: string; sha256: string }>;
  danglingReferences?: string[];
}

/** PHI values shorter than this are not scanned for (initials match inside too many words). */
const MIN_SCANNED_PHI = 4;

/** Verifies the dataset in `dir`; never throws for a problem in the data, only for an unreadable dataset. */
export async function verifyDataset(dir: string, reporter: Reporter = silentReporter): Promise<VerifyReport> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  } catch (error) {
    throw new PseudophiError(
      `${dir} is not a complete pseudophi dataset: manifest.json (${(error as Error).message})`,
      { file: dir },
    );
  }
  const key = readAnswerKey(join(dir, ANSWER_KEY_FILE));
  const problems: VerifyProblem[] = [];
  const pathOf = new Map(key.files.map((f) => [f.sopInstanceUid, f.outputPath]));
  const manifestSha = new Map(manifest.outputs.map((o) => [o.path, o.sha256]));
  if (manifest.outputs.length !== key.instances.length) {
    problems.push({
      file: 'manifest.json',
      problem: `${manifest.outputs.length} outputs but ${key.instances.length} key rows`,
    });
  }

  // PHI of each patient: every text_removed span of any of the patient's instances.
  const phiByPatient = new Map<string, Set<string>>();
  for (const instance of key.instances) {
    const set = phiByPatient.get(instance.patientId) ?? new Set<string>();
    for (const c of instance.checks) {
      if (c.action === 'text_removed' && c.actionText && c.actionText.length >= MIN_SCANNED_PHI)
        set.add(c.actionText);
    }
    phiByPatient.set(instance.patientId, set);
  }

  const sopUids = new Map<string, string>();
  const targets = new Set<string>();
  const references: Array<{ file: string; uid: string }> = [];
  let checks = 0;

  for (const [n, instance] of key.instances.entries()) {
    reporter.progress('verify', n, key.instances.length);
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
    const dataset = parseDicom(bytes, { path: relative }).dataset;
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
  return { files: key.instances.length, checks, problems };
}
