/** `pseudophi corpus --out DIR [--seed N] [--profile NAME] [--patients N]`: writes the clean TCIA-style corpus. */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { ConfigError } from '../../errors/index.js';

/** Parses a non-negative integer option, or throws ConfigError naming the option. */
function integerOption(name: string, text: string, min: number): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
    throw new ConfigError(`${name} must be an integer >= ${min}, not ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/** Default worker threads: the cores available, at most 8. */
function defaultWorkers(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/** Registers the `corpus` command. */
export function registerCorpus(program: Command): void {
  program
    .command('corpus')
    .description('write a clean, TCIA-style DICOM corpus (no PHI) with manifest.json')
    .requiredOption('--out <dir>', 'output directory (dicom/ and manifest.json are written there)')
    .option('--seed <n>', 'root seed: same seed and profile give byte-identical files', '1')
    .option(
      '--profile <name>',
      'built-in profile (fixture, demo, midi-b-validation, midi-b-test) or a profile JSON file',
      'demo',
    )
    .option('--patients <n>', "number of patients (overrides the profile's)")
    .option(
      '--workers <n>',
      'threads that build instances (output does not depend on it)',
      String(defaultWorkers()),
    )
    .action(
      async (options: { out: string; seed: string; profile: string; patients?: string; workers: string }) => {
        const seed = String(integerOption('--seed', options.seed, 0));
        const workers = integerOption('--workers', options.workers, 1);
        const patients =
          options.patients === undefined ? undefined : integerOption('--patients', options.patients, 1);
        const started = process.hrtime.bigint();
        let lastReport = 0;
        const { generateCorpus } = await import('../../corpus/index.js');
        const summary = await generateCorpus(
          {
            out: options.out,
            seed,
            profile: options.profile,
            workers,
            ...(patients !== undefined && { patients }),
          },
          {
            progress: ({ written, total }) => {
              if (!process.stderr.isTTY) return;
              const now = Date.now();
              if (now - lastReport < 250 && written !== total) return;
              lastReport = now;
              process.stderr.write(`\r${written}/${total} instances`);
              if (written === total) process.stderr.write('\n');
            },
          },
        );
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        process.stdout.write(
          `corpus: ${summary.patients} patients, ${summary.studies} studies, ${summary.series} series, ` +
            `${summary.instances} instances, ${summary.bytes} bytes in ${seconds.toFixed(1)} s -> ${options.out}\n`,
        );
      },
    );
}
