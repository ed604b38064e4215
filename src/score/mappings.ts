/**
 * The mapping files a de-identifier writes for the MIDI-B script, `uid_mapping.csv` and
 * `patid_mapping.csv` (`id_old,id_new`, shared/reference/midi-b-answer-key.md section 1): read them as
 * the script does (every value a string, nothing turned into NaN, the first row of a repeated `id_old`
 * wins) and write derived ones in the same form.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors/index.js';

/** Default file names inside the de-identified folder. */
export const UID_MAPPING_FILE = 'uid_mapping.csv';
export const PATID_MAPPING_FILE = 'patid_mapping.csv';

/** One mapping file read. */
export interface MappingTable {
  /** old -> new, the first row of each `id_old`. */
  map: Map<string, string>;
  /** Data rows read. */
  rows: number;
  /** Rows whose `id_old` was seen before with another `id_new` (ignored). */
  conflicts: Array<{ idOld: string; kept: string; ignored: string; line: number }>;
  /** `id_new` values given to more than one `id_old`. */
  collisions: Array<{ idNew: string; idOld: string[] }>;
}

/** Splits CSV text into records of fields (RFC 4180: quoted fields, doubled quotes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let any = false;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    any = true;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      any = false;
    } else field += ch;
  }
  if (any || field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  // pandas skips blank lines.
  return records.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** Reads an `id_old,id_new` CSV (columns found by name, in any order). */
export async function readMappingCsv(path: string): Promise<MappingTable> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read mapping file ${path}: ${(error as Error).message}`);
  }
  return parseMappingCsv(text, path);
}

/** `readMappingCsv` on text already read. */
export function parseMappingCsv(text: string, path = 'mapping file'): MappingTable {
  const [header, ...rows] = parseCsv(text);
  const oldAt = header?.indexOf('id_old') ?? -1;
  const newAt = header?.indexOf('id_new') ?? -1;
  if (oldAt < 0 || newAt < 0)
    throw new ConfigError(`${path} needs the header id_old,id_new (found ${JSON.stringify(header ?? [])})`);
  const table: MappingTable = { map: new Map(), rows: 0, conflicts: [], collisions: [] };
  const olds = new Map<string, string[]>();
  rows.forEach((row, i) => {
    const idOld = row[oldAt] ?? '';
    const idNew = row[newAt] ?? '';
    table.rows++;
    const kept = table.map.get(idOld);
    if (kept === undefined) {
      table.map.set(idOld, idNew);
      let list = olds.get(idNew);
      if (!list) olds.set(idNew, (list = []));
      list.push(idOld);
    } else if (kept !== idNew) table.conflicts.push({ idOld, kept, ignored: idNew, line: i + 2 });
  });
  for (const [idNew, idOld] of olds) if (idOld.length > 1) table.collisions.push({ idNew, idOld });
  return table;
}

const csvField = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** A mapping as `id_old,id_new` CSV text, rows in the map's order. */
export function formatMappingCsv(map: ReadonlyMap<string, string>): string {
  let out = 'id_old,id_new\n';
  for (const [o, n] of map) out += `${csvField(o)},${csvField(n)}\n`;
  return out;
}

/** One CSV line of fields, quoted where needed (RFC 4180, as pandas writes them). */
export function csvLine(fields: ReadonlyArray<string | number | null | undefined>): string {
  return `${fields.map((f) => (f === null || f === undefined ? '' : csvField(String(f)))).join(',')}\n`;
}

/** Votes for what each old identifier became, counted over paired elements or files. */
export type MappingVotes = Map<string, Map<string, number>>;

/** Counts one vote: `from` was seen as `to` (nothing when `to` is unknown). */
export function vote(votes: MappingVotes, from: string, to: string | undefined): void {
  if (to === undefined) return;
  let counts = votes.get(from);
  if (!counts) votes.set(from, (counts = new Map()));
  counts.set(to, (counts.get(to) ?? 0) + 1);
}

/** The most frequent value of each key (first seen wins a tie). */
export function majority(votes: ReadonlyMap<string, ReadonlyMap<string, number>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, counts] of votes) {
    let best: string | undefined;
    let bestCount = 0;
    for (const [v, n] of counts)
      if (n > bestCount) {
        best = v;
        bestCount = n;
      }
    if (best !== undefined) out.set(k, best);
  }
  return out;
}
