/**
 * Issue 6's figure, the scale section of `npm run bench`: the clean corpus of the `midi-b-test` profile is
 * built once, then the same input folder is processed, in the same run, by `pseudophi generate` (W workers
 * = the machine's cores, and 1 worker for reference), by the single-process pydicom baseline (read, change
 * ten elements, MD5 of Pixel Data, write), and by the floor (read, MD5 of all bytes, write a copy; Node, one
 * thread). Targets: pseudophi at least 3x the pydicom baseline's throughput, at most 2x the floor's time,
 * peak memory under 1 GiB. Every figure printed is measured here; the corpus build is timed separately and
 * is not part of the comparison.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { REFERENCE_DATE } from '../config/reference-date.js';
import { loadCorpusTemplates, planCorpus, resolveCorpusOptions, type PatientPlan } from '../corpus/index.js';

const PROFILE = 'midi-b-test';
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(PACKAGE_ROOT, 'dist', 'cli', 'main.js');
const PYDICOM_SCRIPT = join(PACKAGE_ROOT, 'src', 'bench', 'pydicom-baseline.py');
const GIB = 2 ** 30;

const run = promisify(execFile);

/** One timed task: its wall seconds, instances and, when known, peak memory in MiB. */
interface Measured {
  readonly name: string;
  readonly seconds: number;
  readonly instances: number;
  readonly peakMiB?: number;
  /** VmHWM sampled by the bench (child processes only). */
  readonly sampledMiB?: number;
  readonly note?: string;
}

/** Progress goes to stderr as each step ends: the full-size section runs for tens of minutes. */
const progress = (text: string): void => void process.stderr.write(`scale: ${text}\n`);

/**
 * Peak resident memory (VmHWM) of a running child in MiB, sampled from /proc (Linux) every 250 ms until
 * stop(): known even when the child fails before printing its own figure; undefined elsewhere.
 */
function watchPeak(pid: number | undefined): { stop(): number | undefined } {
  let peakKiB: number | undefined;
  const sample = (): void => {
    if (pid === undefined) return;
    try {
      const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peakKiB = Math.max(peakKiB ?? 0, Number(m[1]));
    } catch {
      // Not Linux, or the child has exited: keep the last sample.
    }
  };
  const timer = setInterval(sample, 250);
  return {
    stop: () => {
      clearInterval(timer);
      return peakKiB === undefined ? undefined : Math.round(peakKiB / 1024);
    },
  };
}

/** Seconds from process start to exit, with its output and sampled peak; a failure is returned, not thrown. */
async function timeProcess(
  file: string,
  args: string[],
): Promise<{ seconds: number; stdout: string; stderr: string; sampledMiB?: number; error?: string }> {
  const start = process.hrtime.bigint();
  const child = run(file, args, { maxBuffer: 1 << 28 });
  const watch = watchPeak(child.child.pid);
  try {
    const { stdout, stderr } = await child;
    const sampledMiB = watch.stop();
    return {
      seconds: Number(process.hrtime.bigint() - start) / 1e9,
      stdout,
      stderr,
      ...(sampledMiB !== undefined && { sampledMiB }),
    };
  } catch (e) {
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const sampledMiB = watch.stop();
    const err = e as { code?: unknown; signal?: unknown; stdout?: string; stderr?: string; message?: string };
    const tail = (err.stderr ?? err.message ?? '').trim().split('\n').slice(-3).join(' | ');
    return {
      seconds,
      stdout: err.stdout ?? '',
      stderr: err.stderr ?? '',
      ...(sampledMiB !== undefined && { sampledMiB }),
      error: `exit ${String(err.code ?? err.signal)}: ${tail}`,
    };
  }
}

/** Every file under dir, sorted, as absolute paths. */
async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) await walk(p);
      else if (entry.isFile()) out.push(p);
    }
  };
  await walk(dir);
  return out.sort();
}

/** Total bytes of the files under dir (0 when it does not exist). */
async function folderBytes(dir: string): Promise<number> {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const f of await listFiles(dir)) total += (await stat(f)).size;
  return total;
}

/**
 * An upper bound of each patient's clean corpus bytes, from the plan alone (nothing is written):
 * rows x columns x frames x 3 bytes (covers 16-bit grey and 8-bit RGB; compressed syntaxes are smaller)
 * plus 16 KiB of header per instance.
 */
function estimatePatientBytes(patients: number | undefined): number[] {
  const { profile, patients: count } = resolveCorpusOptions({
    out: '',
    seed: '1',
    profile: PROFILE,
    ...(patients !== undefined && { patients }),
  });
  const plan = planCorpus({
    profile,
    templates: loadCorpusTemplates(),
    seed: '1',
    patients: count,
    referenceDate: REFERENCE_DATE,
  });
  return plan.patients.map((p: PatientPlan) => {
    let bytes = 0;
    for (const study of p.studies)
      for (const series of study.series)
        for (const instance of series.instances)
          bytes += series.rows * series.columns * instance.frames * 3 + 16 * 1024;
    return bytes;
  });
}

/**
 * The patients that fit in the free space of dir: room for the corpus and two outputs, each output
 * counted as twice the corpus estimate. An output is the DICOM copy plus the answer key and, while it is
 * compacted, the key's VACUUM copy: about 2.3x the real corpus at full size, which the estimate (an upper
 * bound) covers.
 */
async function fitPatients(
  dir: string,
  wanted: number | undefined,
): Promise<{ patients: number; full: number; needed: number; free: number }> {
  const perPatient = estimatePatientBytes(wanted);
  const fs = await statfs(dir);
  const free = fs.bavail * fs.bsize;
  let patients = 0;
  let corpus = 0;
  for (const bytes of perPatient) {
    if ((corpus + bytes) * 5 > free) break;
    corpus += bytes;
    patients++;
  }
  const needed = perPatient.reduce((a, b) => a + b, 0) * 5;
  return { patients, full: perPatient.length, needed, free };
}

/** The floor: read each file, MD5 of all its bytes, write the copy (Node, one thread). */
async function copyWithMd5(files: readonly string[], inputDir: string, outDir: string): Promise<void> {
  const made = new Set<string>();
  for (const f of files) {
    const bytes = await readFile(f);
    createHash('md5').update(bytes).digest('hex');
    const target = join(outDir, f.slice(inputDir.length + 1));
    const parent = dirname(target);
    if (!made.has(parent)) {
      await mkdir(parent, { recursive: true });
      made.add(parent);
    }
    await writeFile(target, bytes);
  }
}

/** Flushes written data between runs (untimed), so one run's write-back does not land in the next. */
async function settle(): Promise<void> {
  await run('sync').catch(() => undefined);
}

/** `generate: ... N instances ... in S s, peak memory M MB -> DIR`, from generate.ts summaryLines. */
function parseGenerateSummary(
  stdout: string,
): { instances: number; seconds: number; peakMiB: number } | undefined {
  const m = /(\d+) instances \(.*? in ([\d.]+) s, peak memory (\d+) MB/.exec(stdout);
  if (!m) return undefined;
  return { instances: Number(m[1]), seconds: Number(m[2]), peakMiB: Number(m[3]) };
}

const pass = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');

/** The scale section; BENCH_SCALE=0 skips it, BENCH_SCALE_PATIENTS sets fewer patients than the profile. */
export async function benchScale(): Promise<string[]> {
  if (process.env.BENCH_SCALE === '0') return ['', 'scale section skipped (BENCH_SCALE=0)'];
  const wantedText = process.env.BENCH_SCALE_PATIENTS;
  const wanted = wantedText ? Number(wantedText) : undefined;
  if (wanted !== undefined && !(Number.isInteger(wanted) && wanted >= 1)) {
    return ['', `scale section skipped: BENCH_SCALE_PATIENTS must be an integer >= 1, not ${wantedText}`];
  }
  const parent = process.env.BENCH_SCALE_DIR ?? tmpdir();
  const workers = availableParallelism();
  const lines = ['', `scale: ${PROFILE} profile, generate vs pydicom vs copy + MD5 on the same files`];

  const fit = await fitPatients(parent, wanted);
  if (fit.patients === 0) {
    lines.push(
      `scale section skipped: ${(fit.free / GIB).toFixed(1)} GiB free in ${parent}, not room for one patient`,
    );
    return lines;
  }
  const reduced = fit.patients < fit.full;
  if (reduced) {
    lines.push(
      `  not enough disk in ${parent}: ${(fit.free / GIB).toFixed(1)} GiB free, about ${(fit.needed / GIB).toFixed(1)} GiB ` +
        `needed for ${fit.full} patients (corpus + 2 outputs); running ${fit.patients} patients instead`,
    );
    progress(lines[lines.length - 1]!.trim());
  }
  const patients = reduced ? fit.patients : wanted;

  const work = await mkdtemp(join(parent, 'pseudophi-scale-'));
  try {
    const corpusDir = join(work, 'corpus');
    const inputDir = join(corpusDir, 'dicom');
    const outDir = join(work, 'out');
    progress(`building the clean corpus in ${corpusDir} (${patients ?? fit.full} patients)`);
    const corpus = await timeProcess(process.execPath, [
      CLI,
      'corpus',
      '--profile',
      PROFILE,
      '--out',
      corpusDir,
      ...(patients !== undefined ? ['--patients', String(patients)] : []),
    ]);
    if (corpus.error) {
      lines.push(`scale section failed: corpus build ${corpus.error}`);
      return lines;
    }
    const files = await listFiles(inputDir);
    const inputBytes = await folderBytes(inputDir);
    const corpusLine = corpus.stdout.trim().split('\n').pop() ?? '';
    lines.push(
      `  corpus build (not compared): ${corpus.seconds.toFixed(1)} s for ${files.length} files, ` +
        `${(inputBytes / GIB).toFixed(2)} GiB (${(files.length / corpus.seconds).toFixed(0)} inst/s) ` +
        `[${corpusLine.replace(/ -> .*/, '')}]`,
    );
    progress(lines[lines.length - 1]!.trim());

    const results: Measured[] = [];

    // The floor.
    await settle();
    progress('floor: read, MD5 of all bytes, write a copy (Node, 1 thread)');
    {
      const start = process.hrtime.bigint();
      await copyWithMd5(files, inputDir, outDir);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      results.push({ name: 'floor: copy + MD5 (Node, 1 thread)', seconds, instances: files.length });
      progress(`floor: ${seconds.toFixed(1)} s`);
    }
    await rm(outDir, { recursive: true, force: true });

    // pseudophi generate, W workers then 1 worker.
    const generate = async (w: number): Promise<Measured | string> => {
      await settle();
      progress(`pseudophi generate --workers ${w}`);
      const r = await timeProcess(process.execPath, [
        CLI,
        'generate',
        '--input',
        inputDir,
        '--profile',
        PROFILE,
        '--out',
        outDir,
        '--workers',
        String(w),
        '--no-verify',
        '--quiet',
      ]);
      const outBytes = await folderBytes(outDir);
      const keyBytes = existsSync(join(outDir, 'answer_key.db'))
        ? (await stat(join(outDir, 'answer_key.db'))).size
        : 0;
      await rm(outDir, { recursive: true, force: true });
      const name = `pseudophi generate (${w} worker${w === 1 ? '' : 's'})`;
      if (r.error) {
        progress(`${name} failed: ${r.error}`);
        return (
          `${name} failed after ${r.seconds.toFixed(1)} s (${files.length} input files, sampled peak ` +
          `${r.sampledMiB ?? '?'} MiB, output ${(outBytes / GIB).toFixed(2)} GiB, answer key ` +
          `${(keyBytes / GIB).toFixed(2)} GiB): ${r.error}`
        );
      }
      const summary = parseGenerateSummary(r.stdout);
      if (!summary) return `${name}: summary line not found in: ${r.stdout.trim().split('\n')[0] ?? ''}`;
      progress(
        `${name}: ${r.seconds.toFixed(1)} s (CLI says ${summary.seconds} s), ${summary.peakMiB} MB peak`,
      );
      return {
        name,
        seconds: r.seconds,
        instances: summary.instances,
        peakMiB: summary.peakMiB,
        ...(r.sampledMiB !== undefined && { sampledMiB: r.sampledMiB }),
        note:
          `output ${(outBytes / GIB).toFixed(2)} GiB (answer key ${(keyBytes / GIB).toFixed(2)} GiB)` +
          (summary.instances !== files.length ? `; ${files.length} input files` : ''),
      };
    };
    const failures: string[] = [];
    const many = await generate(workers);
    if (typeof many === 'string') failures.push(many);
    else results.push(many);

    // The pydicom baseline, one process.
    const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
    const havePydicom = await run(python, ['-c', 'import pydicom']).then(
      () => true,
      () => false,
    );
    let pydicom: Measured | undefined;
    if (!havePydicom) {
      failures.push(`pydicom baseline skipped: ${python} cannot import pydicom (Debian: python3-pydicom)`);
    } else {
      await settle();
      progress(`pydicom baseline (${python}, 1 process)`);
      const r = await timeProcess(python, [PYDICOM_SCRIPT, '--input-dir', inputDir, outDir]);
      await rm(outDir, { recursive: true, force: true });
      if (r.error) failures.push(`pydicom baseline failed after ${r.seconds.toFixed(1)} s: ${r.error}`);
      else {
        const out = JSON.parse(r.stdout) as {
          files: number;
          failed: number;
          errors: string[];
          seconds: number;
        };
        pydicom = {
          name: 'pydicom baseline (1 process)',
          seconds: r.seconds,
          instances: out.files - out.failed,
          ...(r.sampledMiB !== undefined && { sampledMiB: r.sampledMiB }),
          note:
            `loop alone ${out.seconds.toFixed(1)} s` +
            (out.failed > 0 ? `; ${out.failed} files failed, e.g. ${out.errors[0] ?? ''}` : ''),
        };
        results.push(pydicom);
        progress(`pydicom: ${r.seconds.toFixed(1)} s`);
      }
    }

    const one = workers > 1 ? await generate(1) : undefined;
    if (typeof one === 'string') failures.push(one);
    else if (one) results.push(one);

    lines.push(
      `  ${'task'.padEnd(38)}${'instances'.padStart(10)}${'seconds'.padStart(10)}${'inst/s'.padStart(9)}${'peak MiB'.padStart(10)}${'sampled'.padStart(9)}`,
    );
    for (const r of results) {
      lines.push(
        `  ${r.name.padEnd(38)}${String(r.instances).padStart(10)}${r.seconds.toFixed(1).padStart(10)}` +
          `${(r.instances / r.seconds).toFixed(1).padStart(9)}${(r.peakMiB === undefined ? '-' : String(r.peakMiB)).padStart(10)}` +
          `${(r.sampledMiB === undefined ? '-' : String(r.sampledMiB)).padStart(9)}` +
          (r.note ? `  ${r.note}` : ''),
      );
    }
    lines.push(
      '  (peak MiB: as the CLI prints it, maxRSS of its process; sampled: VmHWM read by the bench every 250 ms)',
    );
    lines.push(...failures.map((f) => `  ${f}`));

    const floor = results[0]!;
    const rate = (r: Measured): number => r.instances / r.seconds;
    const targets = (g: Measured, reference: boolean): void => {
      const tag = reference ? ' (reference, no target)' : '';
      if (pydicom) {
        const x = rate(g) / rate(pydicom);
        lines.push(
          `  ${g.name} vs pydicom throughput: ${x.toFixed(2)}x` +
            (reference ? tag : ` (target >= 3x) ${pass(x >= 3)}`),
        );
      }
      // Per instance, so that a run that rejects some inputs is compared on what it wrote.
      const t = rate(floor) / rate(g);
      lines.push(
        `  ${g.name} time vs floor time: ${t.toFixed(2)}x` +
          (reference ? tag : ` (target <= 2x) ${pass(t <= 2)}`),
      );
      lines.push(
        `  ${g.name} peak memory: ${g.peakMiB ?? '?'} MiB` +
          (reference ? tag : ` (target < 1024 MiB) ${pass((g.peakMiB ?? Infinity) < 1024)}`),
      );
    };
    if (typeof many !== 'string') targets(many, false);
    if (one && typeof one !== 'string') targets(one, true);
    return lines;
  } finally {
    // Always removed: the full corpus is several GB.
    await rm(work, { recursive: true, force: true });
  }
}
