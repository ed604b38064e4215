/**
 * Issue 3, "Done when" 1: `generate --input` over the whole of Debian's pydicom test set (every file, the
 * subfolders and the non-DICOM files included) succeeds, its dataset passes `verify`, and every input it
 * cannot use is in rejects.json with a reason. The set of rejected files and the kind of each reason are
 * pinned, so that a change in what is accepted is noticed:
 *
 * - parse: not DICOM, or a length that runs past the end of the file; the reason names the byte offset.
 * - missing keys: a Type 1 key generate needs (Study/Series/SOP Instance UID, SOP Class UID) is absent:
 *   DICOMDIRs, and test files that are data set fragments.
 * - duplicate: another input has the same SOP Instance UID (pydicom ships one image in many transfer
 *   syntaxes). One of them is used; which one depends only on the files' keys and bytes, never on their
 *   names. MR_truncated.dcm is in this group: it is a duplicate of MR_small_RLE.dcm before it is a
 *   truncated file (the scan reads headers only), so it never reaches the full read.
 * Every character set is written now (J2K_pixelrep_mismatch.dcm, ISO 2022, was rejected before).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getString, readDicomFile, requireTag } from '../../src/dicom/index.js';
import type { GenerateSummary } from '../../src/pipeline/generate.js';
import { verifyDataset, type VerifyReport } from '../../src/pipeline/verify.js';
import {
  filesUnder,
  generateFromPydicom,
  readManifest,
  readRejects,
  type Manifest,
  type RejectEntry,
} from './generate-datasets.js';
import { TEST_FILES } from './support.js';

type Kind = 'parse' | 'missing keys' | 'duplicate';

const PARSE: Kind = 'parse';
const MISSING: Kind = 'missing keys';
const DUPLICATE: Kind = 'duplicate';

/** Every rejected input, with the kind of its reason. */
const EXPECTED_REJECTS: Record<string, Kind> = {
  'ExplVR_BigEndNoMeta.dcm': DUPLICATE,
  'JPEG-lossy.dcm': DUPLICATE,
  'JPEG2000-embedded-sequence-delimiter.dcm': DUPLICATE,
  'MR_small.dcm': DUPLICATE,
  'MR_small_bigendian.dcm': DUPLICATE,
  'MR_small_expb.dcm': DUPLICATE,
  'MR_small_implicit.dcm': DUPLICATE,
  'MR_small_jp2klossless.dcm': DUPLICATE,
  'MR_small_jpeg_ls_lossless.dcm': DUPLICATE,
  'MR_small_padded.dcm': DUPLICATE,
  'MR_truncated.dcm': DUPLICATE,
  'README.txt': PARSE,
  'SC_rgb_dcmtk_+eb+cy+n2.dcm': DUPLICATE,
  'SC_rgb_jpeg.dcm': DUPLICATE,
  'SC_rgb_jpeg_app14_dcmd.dcm': DUPLICATE,
  'SC_rgb_jpeg_gdcm.dcm': DUPLICATE,
  'SC_rgb_rle.dcm': DUPLICATE,
  'SC_rgb_rle_16bit.dcm': DUPLICATE,
  'SC_rgb_rle_16bit_2frame.dcm': DUPLICATE,
  'SC_rgb_rle_2frame.dcm': DUPLICATE,
  'SC_rgb_rle_32bit_2frame.dcm': DUPLICATE,
  'UN_sequence.dcm': MISSING,
  'badVR.dcm': DUPLICATE,
  'dicomdirtests/DICOMDIR': MISSING,
  'dicomdirtests/DICOMDIR-bigEnd': MISSING,
  'dicomdirtests/DICOMDIR-empty.dcm': MISSING,
  'dicomdirtests/DICOMDIR-implicit': MISSING,
  // The last item of its Directory Record Sequence claims 24 bytes more than the file holds.
  'dicomdirtests/DICOMDIR-nooffset': PARSE,
  'dicomdirtests/DICOMDIR-nopatient': MISSING,
  'dicomdirtests/DICOMDIR-reordered': MISSING,
  'dicomdirtests/README.txt': PARSE,
  'dicomdirtests/TINY_ALPHA/DICOMDIR': MISSING,
  'dicomdirtests/TINY_ALPHA/README': PARSE,
  'empty_charset_LEI.dcm': MISSING,
  'liver_1frame.dcm': DUPLICATE,
  'meta_missing_tsyntax.dcm': MISSING,
  'nested_priv_SQ.dcm': MISSING,
  // No Part 10 header and one stray byte before the data set: no plausible first element.
  'no_meta.dcm': PARSE,
  'no_meta_group_length.dcm': MISSING,
  'priv_SQ.dcm': MISSING,
  'reportsi_with_empty_number_tags.dcm': DUPLICATE,
  'rtdose_1frame.dcm': DUPLICATE,
  'rtdose_expb.dcm': DUPLICATE,
  'rtdose_expb_1frame.dcm': DUPLICATE,
  'rtdose_rle.dcm': DUPLICATE,
  'rtdose_rle_1frame.dcm': DUPLICATE,
  'rtplan.dump': PARSE,
  // Cut off inside Beam Sequence (300A,00B0).
  'rtplan_truncated.dcm': PARSE,
  'rtstruct.dump': PARSE,
  'test1.json': PARSE,
  'test_PN.json': PARSE,
  'zipMR.gz': PARSE,
};

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const KEY = '(StudyInstanceUID|SeriesInstanceUID|SOPInstanceUID|SOPClassUID)';
const REASONS: Array<[Kind, (relativePath: string) => RegExp]> = [
  [
    PARSE,
    (p) =>
      new RegExp(`^${escape(p)}: .+ at byte offset \\d+( \\(element \\([0-9A-F]{4},[0-9A-F]{4}\\)\\))?$`),
  ],
  [MISSING, () => new RegExp(`^missing ${KEY}(, ${KEY})*$`)],
  [DUPLICATE, () => /^duplicate SOP Instance UID of \S+$/],
];

/** the kind of a reason, or undefined when it is none of the three. */
const kindOf = (reject: RejectEntry): Kind | undefined =>
  REASONS.find(([, pattern]) => pattern(reject.relativePath).test(reject.reason))?.[0];

let work: string;
let out: string;
let summary: GenerateSummary;
let manifest: Manifest;
let rejects: RejectEntry[];
let report: VerifyReport;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pseudophi-generate-pydicom-'));
  out = join(work, 'out');
  summary = await generateFromPydicom(out);
  manifest = readManifest(out);
  rejects = readRejects(out);
  report = await verifyDataset(out);
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('generate --input <pydicom test_files>', () => {
  it('succeeds and accounts for every input file: an output or a reject, never both', () => {
    const all = filesUnder(TEST_FILES);
    const used = manifest.outputs.map((o) => o.source);
    const rejected = rejects.map((r) => r.relativePath);
    expect([...used, ...rejected].sort()).toEqual(all);
    expect(new Set(used).size).toBe(used.length);
    expect(summary.instances).toBe(manifest.outputs.length);
    expect(summary.rejects).toBe(rejects.length);
    process.stdout.write(
      `generate on pydicom test_files: ${all.length} files, ${summary.instances} instances ` +
        `(${summary.patients} patients, ${summary.studies} studies, ${summary.series} series), ` +
        `${summary.rejects} rejects, ${summary.checks} checks\n`,
    );
  });

  it('passes verify: every check proved against the files, UIDs unique and resolved, no PHI leak', () => {
    expect(report.files).toBe(manifest.outputs.length);
    expect(report.checks).toBe(summary.checks);
    expect(report.problems).toEqual([]);
  });

  it('rejects exactly the pinned files, each with a reason of the pinned kind', () => {
    const actual = Object.fromEntries(rejects.map((r) => [r.relativePath, kindOf(r) ?? `? ${r.reason}`]));
    expect(actual).toEqual(EXPECTED_REJECTS);
    const byKind = new Map<string, number>();
    for (const kind of Object.values(actual)) byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    process.stdout.write(`rejects by kind: ${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
  });

  it('keeps, for every rejected duplicate, an input with that SOP Instance UID', async () => {
    const used = new Set(manifest.outputs.map((o) => o.source));
    const sop = async (relativePath: string): Promise<string | undefined> =>
      getString((await readDicomFile(join(TEST_FILES, relativePath))).dataset, requireTag('SOPInstanceUID'));
    for (const r of rejects) {
      const kept = /^duplicate SOP Instance UID of (\S+)$/.exec(r.reason)?.[1];
      if (!kept) continue;
      expect(used.has(kept), `${r.relativePath}: ${kept} is not an output`).toBe(true);
      // A truncated duplicate cannot be read whole; its header is enough for the UID.
      const rejectedSop = await sop(r.relativePath).catch(() => undefined);
      if (rejectedSop !== undefined) expect(rejectedSop, r.relativePath).toBe(await sop(kept));
    }
  });
});
