/**
 * `report`: one self-contained HTML page about a dataset directory (composition, checks, burned-in
 * thumbnails, the run), written atomically to DIR/report.html or another path. Deterministic: no clock,
 * no absolute path in the page.
 */
import { basename, join, resolve } from 'node:path';
import { PseudophiError } from '../errors/index.js';
import { writeFileAtomic } from '../dicom/index.js';
import { toReportHtml, type ThumbnailPixels } from './html.js';
import { DEFAULT_MAX_THUMBNAILS, summarizeDataset, type ReportSummary } from './summary.js';
import { renderThumbnail } from './thumbnail.js';

export * from './html.js';
export * from './summary.js';
export * from './thumbnail.js';

/** The file name `report` writes into the dataset directory by default. */
export const REPORT_FILE = 'report.html';

/** Options of writeReport. */
export interface ReportOptions {
  /** Output file (default DIR/report.html). */
  readonly out?: string;
  /** Most thumbnails (default 24). */
  readonly maxThumbnails?: number;
  /** Progress of the stages (`report: checks`, `report: thumbnails`); the CLI draws it. */
  readonly progress?: (stage: string, done: number, total: number) => void;
}

/** What writeReport did. */
export interface ReportResult {
  readonly path: string;
  readonly bytes: number;
  readonly summary: ReportSummary;
  /** Thumbnails that could not be rendered, with the reason. */
  readonly thumbnailErrors: ReadonlyArray<{ readonly sopInstanceUid: string; readonly error: string }>;
}

/** Builds the report of dataset DIR and writes it atomically. */
export async function writeReport(dir: string, options: ReportOptions = {}): Promise<ReportResult> {
  const out = options.out ?? join(dir, REPORT_FILE);
  const summary = await summarizeDataset(dir, {
    maxThumbnails: options.maxThumbnails ?? DEFAULT_MAX_THUMBNAILS,
    progress: (done, total) => options.progress?.('report: checks', done, total),
  });
  const pixels: ThumbnailPixels[] = [];
  const thumbnailErrors: Array<{ sopInstanceUid: string; error: string }> = [];
  for (const [i, choice] of summary.thumbnails.entries()) {
    try {
      if (!choice.outputPath) throw new PseudophiError("not in the key's files table");
      pixels.push(await renderThumbnail(dir, choice.outputPath, choice.frame));
    } catch (error) {
      if (!(error instanceof PseudophiError) && (error as NodeJS.ErrnoException).code === undefined)
        throw error;
      const message = (error as Error).message.split(resolve(dir)).join('DIR');
      pixels.push({ error: message });
      thumbnailErrors.push({ sopInstanceUid: choice.sopInstanceUid, error: message });
    }
    options.progress?.('report: thumbnails', i + 1, summary.thumbnails.length);
  }
  const html = toReportHtml(summary, pixels, basename(resolve(dir)));
  const bytes = Buffer.from(html, 'utf8');
  await writeFileAtomic(out, bytes);
  return { path: out, bytes: bytes.length, summary, thumbnailErrors };
}
