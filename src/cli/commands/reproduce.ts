/**
 * `pseudophi reproduce DIR --out DIR2 [--input SRC]`: regenerates a dataset from its manifest and compares
 * every file by SHA-256; exit code 1 when anything differs.
 */
import type { Command } from 'commander';
import { PseudophiError } from '../../errors/index.js';
import type { ReproduceReport, ValueDifference } from '../../pipeline/reproduce.js';
import { terminalReporter } from '../options.js';

/** Most differing paths printed; the counts are always printed. */
const SHOWN = 50;

/** `name recorded -> current` for each difference. */
const describeValues = (ds: readonly ValueDifference[]): string =>
  ds.map((d) => `${d.name} ${d.recorded ?? '(none)'} -> ${d.current ?? '(none)'}`).join(', ');

/** Prints a reproduce report; throws (exit code 1) when an input or a file differs. */
export function printReproduceReport(report: ReproduceReport): void {
  const err = (line: string): void => void process.stderr.write(`${line}\n`);
  if (report.versions.length > 0)
    err(
      `pseudophi: note: versions differ from the recorded ones (the expected cause of differences): ` +
        describeValues(report.versions),
    );
  if (report.options.length > 0)
    err(`pseudophi: note: run options differ from the recorded ones: ${describeValues(report.options)}`);
  if (report.inputProblems.length > 0) {
    err(
      report.generated
        ? `pseudophi: the built-in corpus (${report.input}) regenerated differently from the recorded inputs:`
        : `pseudophi: the input folder is not the one ${report.dir} was generated from:`,
    );
    for (const p of report.inputProblems.slice(0, SHOWN)) err(`  ${p.problem}: ${p.path}`);
    if (report.inputProblems.length > SHOWN) err(`  ... and ${report.inputProblems.length - SHOWN} more`);
  }
  if (!report.generated)
    throw new PseudophiError(
      `reproduce: ${report.inputProblems.length} of ${report.inputsChecked} inputs missing or different ` +
        '(or not recorded); a different input cannot reproduce the dataset, nothing was generated',
    );
  if (report.notCompared.length > 0)
    err(`pseudophi: note: not written by generate, not compared: ${report.notCompared.join(', ')}`);
  const paths = [
    ...report.differing.map((d) => {
      const changed =
        d.recorded === d.reproduced
          ? ' (changed since generated: the manifest matches the reproduction)'
          : '';
      return `  differs: ${d.path}${changed}`;
    }),
    ...report.onlyInDir.map((p) => `  only in ${report.dir}: ${p}`),
    ...report.onlyInOut.map((p) => `  only in ${report.out}: ${p}`),
  ];
  for (const line of paths.slice(0, SHOWN)) err(line);
  if (paths.length > SHOWN) err(`  ... and ${paths.length - SHOWN} more`);
  const line =
    `reproduce: ${report.identical.length} files identical, ${report.differing.length} differing, ` +
    `${report.onlyInDir.length} only in ${report.dir}, ${report.onlyInOut.length} only in ${report.out}`;
  if (!report.reproduced) throw new PseudophiError(line);
  process.stdout.write(`${line} (seed ${report.seed}, ${report.input}): reproduced byte for byte\n`);
}

/** Registers the `reproduce` command. */
export function registerReproduce(program: Command): void {
  program
    .command('reproduce')
    .description('regenerate a dataset from its manifest.json and report every file whose SHA-256 differs')
    .argument('<dir>', 'dataset directory written by generate')
    .requiredOption('--out <dir>', 'output directory for the regenerated dataset (must be new or empty)')
    .option('--input <dir>', 'the folder the dataset was generated from (required when it was made from one)')
    .option('--quiet', 'no progress output')
    .action(async (dir: string, options: { out: string; input?: string; quiet?: boolean }) => {
      // Loaded here, not at start-up, so that other commands do not pay for the pipeline's modules.
      const { reproduce } = await import('../../pipeline/reproduce.js');
      const report = await reproduce(
        dir,
        { out: options.out, input: options.input },
        terminalReporter(options.quiet),
      );
      printReproduceReport(report);
    });
}
