/**
 * `pseudophi generate [--input DIR] --out DIR [--seed N] [--profile NAME] [--patients N] [--workers N]
 * [--split NAME=SHARE,...] [--shard K/N] [--resume]`.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../errors/index.js';
import type { GenerateSummary } from '../../pipeline/generate.js';
import type { SplitShare } from '../../pipeline/split.js';
import { integerOption, terminalReporter } from '../options.js';
import { printVerifyReport } from './verify.js';

/**
 * Parses `--split name=share,...`: names [a-z0-9-]+ and unique, shares numbers > 0 summing to 1 (within
 * 1e-9). Throws ConfigError naming the problem.
 */
export function parseSplitOption(text: string): SplitShare[] {
  const fail = (message: string): never => {
    throw new ConfigError(`--split ${JSON.stringify(text)}: ${message}`);
  };
  const shares: SplitShare[] = [];
  for (const part of text.split(',')) {
    const match = /^([^=]*)=(.*)$/.exec(part.trim());
    if (!match) return fail(`"${part.trim()}" is not NAME=SHARE`);
    const name = match[1]!.trim();
    const value = match[2]!.trim();
    if (!/^[a-z0-9-]+$/.test(name)) fail(`split name "${name}" must be made of a-z, 0-9 and -`);
    if (shares.some((s) => s.name === name)) fail(`split name "${name}" is given twice`);
    const share = Number(value);
    if (value === '' || !Number.isFinite(share) || share <= 0)
      fail(`the share of "${name}" must be a number > 0, not "${value}"`);
    shares.push({ name, share });
  }
  const sum = shares.reduce((a, s) => a + s.share, 0);
  if (Math.abs(sum - 1) > 1e-9) fail(`the shares must sum to 1, not ${sum}`);
  return shares;
}

/** The process's peak resident memory so far (every thread's), as `peak memory N MB`. */
const peakMemory = (): string => `peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`;

/** `name n, name n, ...` of the non-zero counts, largest first. */
const countList = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a, m], [b, n]) => n - m || (a < b ? -1 : 1))
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');

/** `%` with one decimal. */
const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

/** `action target T, achieved A` for each action a profile sets a target share of checks for. */
export function checkShareLine(
  checksByAction: Readonly<Record<string, number>>,
  targets: Readonly<Record<string, number>>,
): string {
  const total = Object.values(checksByAction).reduce((a, n) => a + n, 0);
  return Object.entries(targets)
    .map(([action, target]) => {
      const achieved = total > 0 ? (checksByAction[action] ?? 0) / total : 0;
      return `${action} target ${percent(target)}, achieved ${percent(achieved)}`;
    })
    .join('; ');
}

/**
 * The summary of a dataset, its checks per action and per MIDI-B category, and with a profile's target
 * shares each targeted action's share next to its target.
 */
function summaryLines(
  summary: GenerateSummary,
  seconds: number | undefined,
  out: string,
  targets: Readonly<Record<string, number>> | undefined,
): string {
  const resumed =
    summary.resumed > 0
      ? ` (resumed: ${summary.resumed} done before, ${summary.generated} generated now)`
      : '';
  return (
    `generate: ${summary.patients} patients, ${summary.studies} studies, ${summary.series} series, ` +
    `${summary.instances} instances (${summary.rejects} rejected, ${summary.burned} with burned-in ` +
    `text${summary.burnSkipped ? `, ${summary.burnSkipped} not burnable` : ''}), ` +
    `${summary.checks} checks${seconds === undefined ? '' : ` in ${seconds.toFixed(1)} s, ${peakMemory()}`}` +
    `${summary.verify ? ' (verified)' : ''}${resumed} -> ${out}\n` +
    `  checks by action: ${countList(summary.checksByAction)}\n` +
    `  checks by category: ${countList(summary.checksByCategory)}\n` +
    (targets ? `  check shares: ${checkShareLine(summary.checksByAction, targets)}\n` : '')
  );
}

/** Registers the `generate` command. */
export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('insert seeded synthetic PHI into clean DICOM and write the MIDI-B answer key')
    .requiredOption('--out <dir>', 'output directory (must be new or empty)')
    .option('--input <dir>', 'folder of clean DICOM (any layout); default: the built-in corpus')
    .option('--seed <n>', 'root seed: same seed, inputs and version give byte-identical output', '1')
    .option('--profile <name>', 'built-in corpus profile when there is no --input', 'demo')
    .option('--patients <n>', 'patients of the built-in corpus (overrides the profile)')
    .option(
      '--split <splits>',
      'patient-level splits stratified by modality, each its own dataset in OUT/NAME (e.g. train=0.8,test=0.2)',
    )
    .option(
      '--workers <n>',
      "threads generating instances (default: the machine's cores); output is the same for any number",
    )
    .option(
      '--locale <mix>',
      "identity locales: one (ja) or a mix with shares (en_US=3,ja=1); default: the profile's, else en_US",
    )
    .option(
      '--charset <policy>',
      "character sets: locale (as a device of the patient's country writes) or utf8 (ISO_IR 192)",
      'locale',
    )
    .option('--shard <k/n>', 'generate only the K-th of N patient-level parts; `pseudophi merge` joins them')
    .option('--resume', 'finish an interrupted run of the same command in --out (or start it)')
    .option('--no-verify', 'skip proving the answer key against the files at the end')
    .option('--quiet', 'no progress output')
    .action(
      async (options: {
        out: string;
        input?: string;
        seed: string;
        profile: string;
        patients?: string;
        split?: string;
        workers?: string;
        locale?: string;
        charset: string;
        shard?: string;
        resume?: boolean;
        verify: boolean;
        quiet?: boolean;
      }) => {
        const seed = String(integerOption('--seed', options.seed, 0));
        const patients =
          options.patients === undefined ? undefined : integerOption('--patients', options.patients, 1);
        const split = options.split === undefined ? undefined : parseSplitOption(options.split);
        const workers =
          options.workers === undefined
            ? availableParallelism()
            : integerOption('--workers', options.workers, 1);
        const started = process.hrtime.bigint();
        const reporter = terminalReporter(options.quiet);
        // Loaded here, not at start-up, so that other commands do not pay for the pipeline's modules.
        const { generate, parseShard } = await import('../../pipeline/generate.js');
        const { parseLocaleMix } = await import('../../identity/index.js');
        const shard = options.shard === undefined ? undefined : parseShard(options.shard);
        const locales = options.locale === undefined ? undefined : parseLocaleMix(options.locale);
        if (options.charset !== 'locale' && options.charset !== 'utf8')
          throw new ConfigError(`--charset must be locale or utf8, not ${JSON.stringify(options.charset)}`);
        const summary = await generate(
          {
            input: options.input,
            out: options.out,
            seed,
            profile: options.profile,
            patients,
            split,
            workers,
            shard,
            locales,
            characterSet: options.charset,
            resume: options.resume ?? false,
            verify: options.verify,
          },
          reporter,
        );
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        // generate has read and validated the profile: its targets, if any, are printed beside the shares.
        const { loadProfile } = await import('../../corpus/profile.js');
        const targets = loadProfile(options.profile).checkShares;
        if (!summary.splits) {
          process.stdout.write(summaryLines(summary, seconds, options.out, targets));
          if (summary.verify) printVerifyReport(options.out, summary.verify);
          return;
        }
        for (const s of summary.splits) {
          const dir = join(options.out, s.name);
          process.stdout.write(
            `split ${s.name} (${s.share}): ${summaryLines(s.summary, undefined, dir, targets)}`,
          );
          if (s.summary.verify) printVerifyReport(dir, s.summary.verify);
        }
        process.stdout.write(
          `generate: ${summary.splits.length} splits, ${summary.patients} patients, ${summary.instances} ` +
            `instances in ${seconds.toFixed(1)} s, ${peakMemory()} -> ${options.out}\n`,
        );
      },
    );
}
