/**
 * The scorer's report: its shape (what `--json` prints), the discrepancy CSV with the columns of the
 * seed paper's Table B1 (the NCI script's discrepancy_report_participant.csv), and the readable tables
 * a person gets.
 */
import type { Action } from '../phi/index.js';
import type { DateShiftReport, LeakReport, OverRemovalReport } from './beyond.js';
import { csvLine } from './mappings.js';
import type { PairRule } from './pairing.js';
import type { CategoryTally, ModeReport, Tally } from './tally.js';

/** Where the scorer's mapping came from, and what it found wrong with it. */
export interface MappingReport {
  /** `csv`: a mapping file; `derived`: paired element by element from the paired files. */
  source: 'csv' | 'derived';
  /** The mapping file read (source `csv`). */
  file?: string;
  /** old -> new entries in force. */
  entries: number;
  /** Rows of the mapping file that repeat an id_old with another id_new (the first wins). */
  conflicts: Array<{ idOld: string; kept: string; ignored: string; line: number }>;
  /** Old identifiers the output gave several new values (most frequent first). */
  inconsistent: Array<{ idOld: string; values: Array<{ idNew: string; elements: number }> }>;
  /** New identifiers that several old identifiers ended up as. */
  collisions: Array<{ idNew: string; idOld: string[] }>;
}

/** One paired file. */
export interface PairReport {
  /** The dataset file (path in DIR, or the SOP Instance UID for keys without a files table). */
  dataset: string;
  /** The output file, relative to the de-identified folder. */
  output: string;
  rule: PairRule;
}

/** Files: what was paired how, what is missing, what is wrong with the output. */
export interface FilesReport {
  datasetInstances: number;
  outputFiles: number;
  paired: number;
  byRule: Partial<Record<PairRule, number>>;
  pairs: PairReport[];
  /** Dataset instances without a usable output file (scored as missing files). */
  missing: Array<{ dataset: string; reason: string }>;
  /** Output files no dataset instance was paired with. */
  unpaired: Array<{ output: string; reason: string }>;
  /** Output files that could not be read (some are paired, and then scored as missing). */
  unreadable: Array<{ output: string; problem: string }>;
  /** Output files without attributes the NCI script needs (it crashes or skips them). */
  missingAttributes: Array<{ output: string; attributes: string[] }>;
  /** Output files without the 128-byte preamble and DICM (the NCI script does not read them). */
  noPreamble: string[];
}

/** Everything `pseudophi score` reports. */
export interface ScoreReport {
  dataset: string;
  deidentified: string;
  /** Which mode the headline score is (`--series`). */
  headline: 'instance' | 'series';
  /** Checks of the key by action (the denominators of instance mode). */
  checks: Partial<Record<Action, number>>;
  midiB: { instance: ModeReport; series: ModeReport };
  files: FilesReport;
  mappings: { uid: MappingReport; patientId: MappingReport };
  beyondMidiB: { dateShift: DateShiftReport; leaks: LeakReport; overRemoval: OverRemovalReport };
  /** pixels_hidden boxes read by OCR (0 with OCR off: those checks are then blank). */
  ocr: { enabled: boolean; boxesRead: number };
  /** Rows of the discrepancy report (failed and blank checks, instance mode). */
  discrepancies: number;
  /** Where pseudophi knowingly departs from the NCI script, and why. */
  notes: string[];
}

/** The columns of Table B1 (the script's participant discrepancy report, `index` first). */
export const DISCREPANCY_COLUMNS = [
  'index',
  'check_passed',
  'check_score',
  'tag_ds',
  'tag_name',
  'file_value',
  'answer_value',
  'action',
  'action_text',
  'category',
  'subcategory',
  'modality',
  'class',
  'patient',
  'study',
  'series',
  'instance',
  'file_name',
] as const;

/** One failed or blank check, in the script's form (text wrapped in `<` `>`, null where it has None). */
export interface DiscrepancyRow {
  index: number;
  /** 0 for a failure, null for a blank (the script's NaN). */
  check_passed: 0 | null;
  check_score: number | null;
  tag_ds: string;
  tag_name: string;
  file_value: string | null;
  answer_value: string;
  action: string;
  action_text: string | null;
  category: string;
  subcategory: string;
  modality: string;
  class: string;
  patient: string;
  study: string;
  series: string;
  instance: string;
  file_name: string | null;
}

/** The CSV header line of the discrepancy report. */
export const discrepancyCsvHeader = (): string => csvLine(DISCREPANCY_COLUMNS);

/** One discrepancy row as a CSV line (numbers as pandas writes them: 0.0 for a float score). */
export function discrepancyCsvLine(row: DiscrepancyRow): string {
  const score =
    row.check_score === null
      ? null
      : Number.isInteger(row.check_score)
        ? `${row.check_score}.0`
        : String(row.check_score);
  return csvLine([
    row.index,
    row.check_passed === null ? null : '0.0',
    score,
    row.tag_ds,
    row.tag_name,
    row.file_value,
    row.answer_value,
    row.action,
    row.action_text,
    row.category,
    row.subcategory,
    row.modality,
    row.class,
    row.patient,
    row.study,
    row.series,
    row.instance,
    row.file_name,
  ]);
}

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------

const pct = (x: number | null): string => (x === null ? '-' : `${(100 * x).toFixed(2)}%`);
const num = (n: number): string => String(n);

function tallyCells(t: Tally | undefined): string[] {
  if (!t) return ['0', '0', '0', '0', '-'];
  return [num(t.passed), num(t.failed), num(t.blank), num(t.total), pct(t.score)];
}

/** Lays out rows of cells in columns (first column left-aligned, the rest right-aligned). */
function table(rows: string[][], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join('  ')
        .trimEnd(),
  );
}

const MAX_LISTED = 20;

function listed<T>(items: readonly T[], line: (t: T) => string): string[] {
  const out = items.slice(0, MAX_LISTED).map((t) => `    ${line(t)}`);
  if (items.length > MAX_LISTED) out.push(`    ... and ${items.length - MAX_LISTED} more (see --json)`);
  return out;
}

function mappingLines(name: string, m: MappingReport): string[] {
  const source = m.source === 'csv' ? `from ${m.file}` : 'derived from the paired files, element by element';
  const out = [
    `  ${name}: ${m.entries} entries ${source}; ${m.inconsistent.length} mapped inconsistently, ` +
      `${m.collisions.length} colliding${m.conflicts.length ? `, ${m.conflicts.length} conflicting rows` : ''}`,
  ];
  out.push(
    ...listed(
      m.inconsistent,
      (x) => `${x.idOld} -> ${x.values.map((v) => `${v.idNew} (${v.elements})`).join(', ')}`,
    ),
  );
  out.push(...listed(m.collisions, (x) => `${x.idOld.join(', ')} -> ${x.idNew}`));
  out.push(
    ...listed(m.conflicts, (x) => `line ${x.line}: ${x.idOld} -> ${x.ignored} ignored (first: ${x.kept})`),
  );
  return out;
}

/** The report as text tables for a person. */
export function formatScoreReport(r: ScoreReport): string {
  const { instance, series } = r.midiB;
  const head = r.headline === 'series' ? series : instance;
  const out: string[] = [
    `pseudophi score: ${r.deidentified} against ${r.dataset}`,
    '',
    `MIDI-B score (${r.headline}-based): ${pct(head.overall.score)}  ` +
      `(${head.overall.passed} of ${head.overall.total}; normalized ${pct(head.normalizedScore)})`,
    '',
  ];
  const modeHeader = [
    '',
    'pass',
    'fail',
    'blank',
    'total',
    'score',
    '|',
    'pass',
    'fail',
    'blank',
    'total',
    'score',
  ];
  out.push('MIDI-B by action            instance-based                      series-based');
  const actionRows: string[][] = [modeHeader];
  const actions = Object.keys(instance.actions) as Action[];
  for (const a of actions)
    actionRows.push([a, ...tallyCells(instance.actions[a]), '|', ...tallyCells(series.actions[a])]);
  actionRows.push(['all', ...tallyCells(instance.overall), '|', ...tallyCells(series.overall)]);
  actionRows.push([
    'normalized (mean of actions)',
    '',
    '',
    '',
    '',
    pct(instance.normalizedScore),
    '|',
    '',
    '',
    '',
    '',
    pct(series.normalizedScore),
  ]);
  out.push(...table(actionRows), '');
  out.push('MIDI-B by category (Table C3 first; * not in Table C3)');
  const byKey = (list: CategoryTally[]): Map<string, CategoryTally> =>
    new Map(list.map((c) => [`${c.category}/${c.subcategory}`, c]));
  const seriesCats = byKey(series.categories);
  const catRows: string[][] = [['', ...modeHeader.slice(1)]];
  for (const c of instance.categories) {
    const s = seriesCats.get(`${c.category}/${c.subcategory}`);
    catRows.push([
      `${c.category.padEnd(5)} ${c.subcategory}${c.tableC3 ? '' : ' *'}`,
      ...tallyCells(c),
      '|',
      ...tallyCells(s),
    ]);
  }
  out.push(...table(catRows), '');

  const f = r.files;
  const rules = Object.entries(f.byRule)
    .map(([rule, n]) => `${rule} ${n}`)
    .join(', ');
  out.push(
    `Files: ${f.datasetInstances} dataset instances, ${f.outputFiles} output files; ` +
      `${f.paired} paired (${rules || 'none'}), ${f.missing.length} missing, ${f.unpaired.length} unpaired outputs`,
  );
  if (f.missing.length)
    out.push(
      '  missing (scored as missing files):',
      ...listed(f.missing, (m) => `${m.dataset}: ${m.reason}`),
    );
  if (f.unpaired.length)
    out.push('  unpaired outputs:', ...listed(f.unpaired, (u) => `${u.output}: ${u.reason}`));
  if (f.unreadable.length)
    out.push('  unreadable outputs:', ...listed(f.unreadable, (u) => `${u.output}: ${u.problem}`));
  if (f.missingAttributes.length)
    out.push(
      '  outputs without attributes the NCI script needs:',
      ...listed(f.missingAttributes, (m) => `${m.output}: ${m.attributes.join(', ')}`),
    );
  if (f.noPreamble.length)
    out.push('  outputs without preamble and DICM:', ...listed(f.noPreamble, (p) => p));
  out.push(
    '',
    'Mappings',
    ...mappingLines('UIDs', r.mappings.uid),
    ...mappingLines('Patient IDs', r.mappings.patientId),
  );
  if (r.ocr.enabled) out.push(`  pixels_hidden: ${r.ocr.boxesRead} boxes read by OCR`);
  else out.push('  pixels_hidden: OCR off, those checks are blank');

  const { dateShift: d, leaks: l, overRemoval: o } = r.beyondMidiB;
  out.push('', 'Beyond MIDI-B (not part of the scores above)');
  out.push(
    `  date shift: ${d.patients} patients measured over ${d.elements} dated elements ` +
      `(${d.removed} removed, ${d.unparseable} without a date); ${d.consistentPatients} with one offset, ` +
      `${d.inconsistent.length} with several; ${d.shared.length} offsets shared by several patients; ` +
      `${d.unshiftedPatients.length} patients not shifted -> ${d.consistent ? 'consistent' : 'NOT consistent'}`,
  );
  out.push(
    ...listed(
      d.inconsistent,
      (p) => `${p.patient}: ${p.offsets.map((x) => `${x.days} d (${x.elements})`).join(', ')}`,
    ),
  );
  out.push(...listed(d.shared, (s) => `${s.days} d: ${s.patients.join(', ')}`));
  out.push(
    `  leak scan: ${l.values} PHI values looked for in ${l.files} files; ${l.hits} found ` +
      `(${l.leakedValues} distinct) in ${l.filesWithLeaks} files, ${l.unnamedHits} in elements the key names no check for`,
  );
  // Leaks the key names are failures of the MIDI-B score already: only the unnamed ones are listed.
  out.push(
    ...listed(
      l.examples.filter((h) => !h.named),
      (h) => `${h.file} ${h.path}: ${JSON.stringify(h.phi)} (${h.kind ?? '?'})`,
    ),
  );
  const lost = (c: { absent: number; emptied: number; changed: number }): string =>
    `${c.absent + c.emptied + c.changed} (${c.absent} removed, ${c.emptied} emptied, ${c.changed} changed)`;
  out.push(
    `  over-removal: clean text lost ${lost(o.cleanTextLost)} of ${o.cleanTextChecks}; decoys lost ` +
      `${lost(o.decoysLost)} of ${o.decoyChecks}; ${o.elementsRemoved} kept elements removed, ` +
      `${o.valuesEmptied} Type 1 values emptied, ${o.pixelsChanged} untouched images changed` +
      (o.burnedDecoys ? `; burned decoy lines unreadable ${o.burnedDecoysLost} of ${o.burnedDecoys}` : ''),
  );
  out.push(
    ...listed(
      o.examples,
      (x) =>
        `${x.file} ${x.path}: ${JSON.stringify(x.expected)}${x.decoy ? ' (decoy)' : ''} -> ${x.found === null ? 'absent' : JSON.stringify(x.found)}`,
    ),
  );
  out.push('', `Discrepancies: ${r.discrepancies} failed or blank checks`);
  if (r.notes.length) out.push('', 'Notes', ...r.notes.map((n) => `  - ${n}`));
  return `${out.join('\n')}\n`;
}
