/** `pseudophi inspect FILE [--json]`: every element with its MIDI-B path, VR and value as the script sees it. */
import type { Command } from 'commander';

/** Longest value printed in the table form; --json prints values whole. */
const TABLE_VALUE_WIDTH = 100;

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('print every element of a DICOM file with its MIDI-B path (tag_ds), VR, name and value')
    .argument('<file>', 'DICOM file to read (opened read-only)')
    .option('--json', 'print one JSON object per element, one per line')
    .action(async (path: string, options: { json?: boolean }) => {
      const { indexDataset, readDicomFile, lookupTransferSyntax } = await import('../../dicom/index.js');
      const file = await readDicomFile(path);
      const rows = indexDataset(file.dataset);
      if (options.json) {
        for (const row of rows) {
          process.stdout.write(
            `${JSON.stringify({ tag_ds: row.pathText, vr: row.vr, name: row.name, value: row.value, depth: row.depth })}\n`,
          );
        }
        return;
      }
      const ts = lookupTransferSyntax(file.transferSyntaxUid);
      process.stdout.write(
        `# ${path}\n# transfer syntax ${file.transferSyntaxUid} (${ts?.name ?? 'unknown'}), ${rows.length} elements\n`,
      );
      const width = Math.min(60, Math.max(...rows.map((r) => r.pathText.length)));
      for (const row of rows) {
        const value =
          row.value.length > TABLE_VALUE_WIDTH
            ? `${row.value.slice(0, TABLE_VALUE_WIDTH - 3)}...`
            : row.value;
        process.stdout.write(
          `${row.pathText.padEnd(width)}  ${row.vr}  ${row.name.padEnd(36).slice(0, 36)}  <${value}>\n`,
        );
      }
    });
}
