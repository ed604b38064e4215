/** `pseudophi generate [--input DIR] --out DIR [--seed N] [--profile NAME] [--patients N]`. */
import type { Command } from 'commander';
import { integerOption, terminalReporter } from '../options.js';
import { printVerifyReport } from './verify.js';

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
    .option('--no-verify', 'skip proving the answer key against the files at the end')
    .option('--quiet', 'no progress output')
    .action(
      async (options: {
        out: string;
        input?: string;
        seed: string;
        profile: string;
        patients?: string;
        verify: boolean;
        quiet?: boolean;
      }) => {
        const seed = String(integerOption('--seed', options.seed, 0));
        const patients =
          options.patients === undefined ? undefined : integerOption('--patients', options.patients, 1);
        const started = process.hrtime.bigint();
        const reporter = terminalReporter(options.quiet);
        // Loaded here, not at start-up, so that other commands do not pay for the pipeline's modules.
        const { generate } = await import('../../pipeline/generate.js');
        const summary = await generate(
          {
            input: options.input,
            out: options.out,
            seed,
            profile: options.profile,
            patients,
            verify: options.verify,
          },
          reporter,
        );
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const actions = Object.entries(summary.checksByAction)
          .filter(([, n]) => n > 0)
          .map(([a, n]) => `${a} ${n}`)
          .join(', ');
        process.stdout.write(
          `generate: ${summary.patients} patients, ${summary.studies} studies, ${summary.series} series, ` +
            `${summary.instances} instances (${summary.rejects} rejected, ${summary.burned} with burned-in ` +
            `text${summary.burnSkipped ? `, ${summary.burnSkipped} not burnable` : ''}), ` +
            `${summary.checks} checks in ${seconds.toFixed(1)} s${summary.verify ? ' (verified)' : ''} ` +
            `-> ${options.out}\n  checks: ${actions}\n`,
        );
        if (summary.verify) printVerifyReport(options.out, summary.verify);
      },
    );
}
