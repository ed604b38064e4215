/**
 * `pseudophi score DIR --deidentified DIR2 [--uid-map CSV] [--patid-map CSV] [--series] [--json]`:
 * scores a de-identifier's output against a dataset's answer key with the MIDI-B metric, and reports
 * the checks beyond it. Exit code 0 whatever the score; 1 when the inputs cannot be read.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { terminalReporter } from '../options.js';

interface ScoreCommandOptions {
  deidentified: string;
  uidMap?: string;
  patidMap?: string;
  series?: boolean;
  json?: boolean;
  csv?: string;
  saveMappings?: string;
  ocr?: boolean;
  quiet?: boolean;
}

/** Registers the `score` command. */
export function registerScore(program: Command): void {
  program
    .command('score')
    .description("score a de-identifier's output against a dataset's answer key (the MIDI-B metric and more)")
    .argument('<dir>', 'dataset directory written by generate (answer_key.db, dicom/...)')
    .requiredOption('--deidentified <dir2>', "the de-identifier's output folder (any layout)")
    .option(
      '--uid-map <csv>',
      'id_old,id_new UID mapping (default: DIR2/uid_mapping.csv if present, else derived from the files)',
    )
    .option(
      '--patid-map <csv>',
      'id_old,id_new Patient ID mapping (default: DIR2/patid_mapping.csv if present, else derived)',
    )
    .option('--series', 'headline the series-based score (the MIDI-B ranking); both are always computed')
    .option('--json', 'print the whole report as one JSON object')
    .option('--csv <file>', 'write the discrepancy report (failed and blank checks, Table B1 columns)')
    .option(
      '--save-mappings <dir>',
      'write the UID and Patient ID mappings used, as uid_mapping.csv and patid_mapping.csv',
    )
    .option('--no-ocr', 'do not OCR pixels_hidden boxes (those checks are then blank)')
    .option('--quiet', 'no progress output')
    .action(async (dir: string, options: ScoreCommandOptions) => {
      // Loaded here, not at start-up, so that other commands do not pay for them.
      const { scoreDataset, formatScoreReport, formatMappingCsv, discrepancyCsvHeader, discrepancyCsvLine } =
        await import('../../score/index.js');
      const reporter = terminalReporter(options.quiet || options.json);
      const csv = options.csv ? createWriteStream(options.csv) : undefined;
      const closed = csv
        ? new Promise<void>((resolve, reject) => {
            csv.on('finish', resolve);
            csv.on('error', reject);
          })
        : Promise.resolve();
      csv?.write(discrepancyCsvHeader());
      let result;
      try {
        result = await scoreDataset(
          {
            dataset: dir,
            deidentified: options.deidentified,
            uidMap: options.uidMap,
            patidMap: options.patidMap,
            series: options.series,
            ocr: options.ocr,
            onDiscrepancy: csv ? (row) => void csv.write(discrepancyCsvLine(row)) : undefined,
          },
          reporter,
        );
      } finally {
        csv?.end();
        await closed;
      }
      if (options.saveMappings) {
        await mkdir(options.saveMappings, { recursive: true });
        await writeFile(join(options.saveMappings, 'uid_mapping.csv'), formatMappingCsv(result.mappings.uid));
        await writeFile(
          join(options.saveMappings, 'patid_mapping.csv'),
          formatMappingCsv(result.mappings.patientId),
        );
      }
      process.stdout.write(
        options.json ? `${JSON.stringify(result.report, null, 2)}\n` : formatScoreReport(result.report),
      );
    });
}
