/** `pseudophi report DIR [--out FILE] [--thumbnails N]`: one self-contained HTML page about a dataset. */
import type { Command } from 'commander';
import { integerOption, terminalReporter } from '../options.js';

/** Registers the `report` command. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'write one self-contained HTML report of a dataset: composition, checks, burned-in thumbnails, the run',
    )
    .argument('<dir>', 'dataset directory written by generate')
    .option('--out <file>', 'output file (default DIR/report.html)')
    .option('--thumbnails <n>', 'most burned-in thumbnails (default 24)')
    .option('--quiet', 'no progress output')
    .action(async (dir: string, options: { out?: string; thumbnails?: string; quiet?: boolean }) => {
      const maxThumbnails =
        options.thumbnails === undefined ? undefined : integerOption('--thumbnails', options.thumbnails, 0);
      // Loaded here, not at start-up, so that other commands do not pay for the report's modules.
      const { writeReport } = await import('../../report/index.js');
      const reporter = terminalReporter(options.quiet);
      const result = await writeReport(dir, {
        out: options.out,
        maxThumbnails,
        progress: (stage, done, total) => reporter.progress(stage, done, total),
      });
      for (const e of result.thumbnailErrors)
        reporter.warn(`report: thumbnail of ${e.sopInstanceUid} not rendered: ${e.error}`);
      const t = result.summary.totals;
      process.stdout.write(
        `report: ${t.patients} patients, ${t.instances} instances, ${t.checks} checks, ` +
          `${result.summary.thumbnails.length} of ${t.burned} burned-in instances shown ` +
          `-> ${result.path} (${result.bytes} bytes)\n`,
      );
    });
}
