/** `pseudophi verify DIR`: proves a dataset's answer key against its files; exit code 1 on any problem. */
import type { Command } from 'commander';
import { PseudophiError } from '../../errors/index.js';
import type { VerifyReport } from '../../pipeline/verify.js';
import { terminalReporter } from '../options.js';

/** Most problems printed; the count is always printed. */
const SHOWN_PROBLEMS = 50;

/** Prints a verify report; throws (exit code 1) when it has problems. */
export function printVerifyReport(dir: string, report: VerifyReport): void {
  for (const p of report.problems.slice(0, SHOWN_PROBLEMS)) {
    process.stderr.write(`  ${p.file}${p.path ? ` ${p.path}` : ''}: ${p.problem}\n`);
  }
  if (report.problems.length > SHOWN_PROBLEMS) {
    process.stderr.write(`  ... and ${report.problems.length - SHOWN_PROBLEMS} more\n`);
  }
  const burned =
    report.burned === 0
      ? ''
      : report.burnedAgainstSource === report.burned
        ? `, ${report.burned} burned images checked against their sources`
        : `, ${report.burned} burned images (${report.burnedAgainstSource} checked against their sources; ` +
          'give --input for the rest)';
  const line =
    `verify: ${report.files} files, ${report.checks} checks${burned}, ` +
    `${report.problems.length} problems`;
  if (report.problems.length > 0) throw new PseudophiError(`${line} in ${dir}`);
  process.stdout.write(`${line}\n`);
}

/** Registers the `verify` command. */
export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('re-read every output file and prove each answer-key check against it')
    .argument('<dir>', 'dataset directory written by generate')
    .option(
      '--input <dir>',
      'the folder the dataset was generated from, to check burned pixels against their sources ' +
        '(default: the built-in corpus is regenerated when the run used it)',
    )
    .option('--quiet', 'no progress output')
    .action(async (dir: string, options: { input?: string; quiet?: boolean }) => {
      const reporter = terminalReporter(options.quiet);
      // Loaded here, not at start-up, so that other commands do not pay for them.
      const { withDatasetSources } = await import('../../pipeline/sources.js');
      const { verifyDataset } = await import('../../pipeline/verify.js');
      const report = await withDatasetSources(
        dir,
        options.input,
        (sources) => verifyDataset(dir, reporter, { sources }),
        reporter,
      );
      printVerifyReport(dir, report);
    });
}
