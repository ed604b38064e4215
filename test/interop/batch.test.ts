/**
 * A batch over every regular file of pydicom's test set (DICOM or not, good or bad) goes on past each bad
 * file: every failure is a DicomParseError naming the file and the byte offset, nothing else is thrown, and
 * the set of rejected files is pinned so that a change is noticed.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDicomFile, writeDicom } from '../../src/dicom/index.js';
import { DicomParseError } from '../../src/errors/index.js';
import { TEST_FILES } from './support.js';

interface Outcome {
  name: string;
  ok: boolean;
  error?: unknown;
}

/** Reads and re-encodes each file; collects outcomes instead of stopping at the first failure. */
async function readAll(paths: readonly string[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const path of paths) {
    try {
      writeDicom(await readDicomFile(path));
      outcomes.push({ name: path, ok: true });
    } catch (error) {
      outcomes.push({ name: path, ok: false, error });
    }
  }
  return outcomes;
}

const regularFiles = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());

describe('a batch over all of pydicom test_files', () => {
  it('continues past every bad file, each failing with a DicomParseError naming file and offset', async () => {
    const paths = [...regularFiles(TEST_FILES), ...regularFiles(join(TEST_FILES, 'dicomdirtests'))];
    const outcomes = await readAll(paths);
    expect(outcomes).toHaveLength(paths.length);
    const failed = outcomes.filter((o) => !o.ok);
    for (const o of failed) {
      expect(o.error, o.name).toBeInstanceOf(DicomParseError);
      const error = o.error as DicomParseError;
      expect(error.file).toBe(o.name);
      expect(error.message.startsWith(`${o.name}: `), error.message).toBe(true);
      expect(error.message).toMatch(/ at byte offset \d+( \(element \([0-9A-F]{4},[0-9A-F]{4}\)\))?$/);
    }
    const relative = (o: Outcome): string => o.name.slice(TEST_FILES.length + 1);
    expect(failed.map(relative)).toEqual([
      'MR_truncated.dcm', // cut off inside Pixel Data
      'README.txt', // not DICOM
      'no_meta.dcm', // no Part 10 header and a stray leading byte
      'rtplan.dump', // dcmdump text
      'rtplan_truncated.dcm', // cut off inside a sequence
      'rtstruct.dump',
      'test1.json', // DICOM JSON, not Part 10
      'test_PN.json',
      'zipMR.gz', // gzip of a DICOM file
      // Known discrepancy: the last item of its Directory Record Sequence claims 24 bytes more than the
      // file holds; pydicom and dcmtk read it anyway (its elements end exactly at the end of the file).
      'dicomdirtests/DICOMDIR-nooffset',
      'dicomdirtests/README.txt',
    ]);
    expect(outcomes.filter((o) => o.ok).length).toBeGreaterThanOrEqual(70);
  });
});
