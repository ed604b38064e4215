/**
 * Scoring throughput (issue 5: "scoring 30,000 instances takes minutes, not hours"), for `npm run bench`.
 * A dataset is generated from the built-in corpus (profile BENCH_SCORE_PROFILE, default `demo`, with
 * BENCH_SCORE_PATIENTS patients, default 8), de-identified by the reference `oracle`, and scored three
 * ways: the dataset's own files as a do-nothing output with mappings derived from the files (OCR off:
 * the MIDI-B metric, the pairing and the beyond-MIDI-B scans), the same with OCR of every pixels_hidden
 * box, and the oracle's output with its mapping files and OCR. Each line gives instances per second and
 * what 30,000 instances would take at that rate.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deidentify } from '../deid/index.js';
import { generate } from '../pipeline/generate.js';
import { scoreDataset, type ScoreReport } from '../score/index.js';

const PROFILE = process.env.BENCH_SCORE_PROFILE ?? 'demo';
const PATIENTS = Number(process.env.BENCH_SCORE_PATIENTS ?? 8);
const TARGET = 30_000;

const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;

/** `12.3 min` or `45 s`. */
function duration(s: number): string {
  return s >= 120 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(0)} s`;
}

/** The scoring section of `npm run bench`, as lines. */
export async function benchScore(): Promise<string[]> {
  const work = await mkdtemp(join(tmpdir(), 'pseudophi-bench-score-'));
  try {
    const dataset = join(work, 'dataset');
    let start = process.hrtime.bigint();
    const summary = await generate({
      out: dataset,
      seed: 'bench-score',
      profile: PROFILE,
      patients: PATIENTS,
      verify: false,
    });
    const generated = seconds(start);
    const oracle = join(work, 'oracle');
    await deidentify({ input: dataset, out: oracle, mode: 'oracle' });

    const lines = [
      '',
      `scoring throughput: profile ${PROFILE}, ${summary.patients} patients, ${summary.instances} instances, ` +
        `${summary.checks} checks (${(summary.checks / Math.max(1, summary.instances)).toFixed(0)} per instance), ` +
        `${summary.burned} with burned-in text; generated in ${generated.toFixed(1)} s`,
      '',
      `${'run'.padEnd(58)}${'seconds'.padStart(9)}${'inst/s'.padStart(9)}${'OCR boxes'.padStart(11)}  ${TARGET} instances`,
    ];
    const runs: Array<[string, () => Promise<ScoreReport>]> = [
      [
        'own files, mappings derived, OCR off',
        async () =>
          (await scoreDataset({ dataset, deidentified: join(dataset, 'dicom'), ocr: false })).report,
      ],
      [
        'own files, mappings derived, OCR of pixels_hidden boxes',
        async () => (await scoreDataset({ dataset, deidentified: join(dataset, 'dicom') })).report,
      ],
      [
        'oracle output, its mapping files, OCR',
        async () => (await scoreDataset({ dataset, deidentified: oracle })).report,
      ],
    ];
    for (const [name, run] of runs) {
      start = process.hrtime.bigint();
      const report = await run();
      const s = seconds(start);
      const rate = summary.instances / s;
      lines.push(
        `${name.padEnd(58)}${s.toFixed(1).padStart(9)}${rate.toFixed(0).padStart(9)}` +
          `${String(report.ocr.boxesRead).padStart(11)}  ${duration(TARGET / rate)} ` +
          `(score ${(100 * (report.midiB.instance.overall.score ?? 0)).toFixed(2)}%)`,
      );
    }
    lines.push(
      '',
      'OCR time grows with the share of burned-in instances (here ' +
        `${((100 * summary.burned) / Math.max(1, summary.instances)).toFixed(1)}%), not with the instance count.`,
    );
    return lines;
  } finally {
    if (!process.env.BENCH_KEEP) await rm(work, { recursive: true, force: true });
  }
}
