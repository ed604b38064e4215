/**
 * DIR/answer_key.db: the MIDI-B table `answer_data` exactly as the published keys have it (what the NCI
 * validation script reads, shared/reference/midi-b-answer-key.md section 2) and normalized tables for SQL
 * users (`checks`, `files`, `burned_text`, `run`; ARCHITECTURE.md section 6). better-sqlite3 stays behind
 * this file. `checks` is a view, one row per check: a check is stored once in `check_definitions` and
 * each instance's list in `check_rows` (three integers per check), since a series' instances share most
 * of their checks and binding 20 text columns per check was most of the writer's time.
 *
 * Crash safety: everything is written to `answer_key.db.partial` in the same directory and renamed to
 * `answer_key.db` only by `close()`, after the run row and a VACUUM; an incomplete run therefore leaves
 * no `answer_key.db` (an older one is removed when a writer opens, unless `keepExisting` is set). The
 * scratch file keeps a rollback journal and a `run_progress` row per source instance, committed with
 * the instance's rows, so that after the process is killed it holds whole instances only and a resumed
 * run carries on from it (`resume`); those tables are dropped before the final copy.
 * Determinism: fixed page size, rows in plan order, a final VACUUM INTO a fresh file (which copies table
 * by table, so neither the batch size nor how a table's rows interleaved with another's matter), no
 * timestamps: the same inputs give a byte-identical file.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { HipaaKind } from '../phi/index.js';
import { fromAnswerDataEntry, parseAnswerData, stableJson, toAnswerDataEntry } from './answer-data.js';
import {
  AnswerKeyError,
  assertCheckWellFormed,
  type Check,
  checkCategoryLabel,
  isFrozenCheck,
} from './check.js';

/** The file name the script is pointed at. */
export const ANSWER_KEY_FILE = 'answer_key.db';
/** Scratch name used until `close()` succeeds. */
export const PARTIAL_SUFFIX = '.partial';
/** Schema version, stored in the header's user_version. */
export const ANSWER_KEY_SCHEMA_VERSION = 2;

/** The identifying columns of one test-set instance (raw strings, not wrapped). */
export interface InstanceKey {
  sopInstanceUid: string;
  sopClassUid: string;
  modality: string;
  patientId: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  /** The published keys' `group` column (e.g. a split or collection name); null when unused. */
  group?: string | null;
  /** The published keys' `Digest` column; null when unused. */
  digest?: string | null;
}

/** One output file, for the `files` table. */
export interface FileRecord {
  sopInstanceUid: string;
  patientId: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  modality: string;
  sopClassUid: string;
  /** Path relative to the dataset directory, `/`-separated. */
  outputPath: string;
  /**
   * SHA-256 of the clean source file, null if there was none. The key names sources by content, not by
   * path, so that renaming or moving input files leaves it byte-identical; manifest.json has the paths.
   */
  sourceSha256: string | null;
  sha256: string;
  /** MD5 hex of the stored Pixel Data bytes (the pixels_retained value), null without pixels. */
  pixelDataMd5: string | null;
}

/**
 * One line of burned-in text on one frame, for the `burned_text` table: where it is drawn (the recorded
 * box, bottom-right exclusive), what it says, and whether it is PHI or a decoy a de-identifier must keep.
 */
export interface BurnedTextRow {
  /** Block number within the instance: the pixels_hidden check it belongs to, for PHI blocks. */
  block: number;
  /** The layout block it came from (templates/burn). */
  blockId: string;
  line: number;
  /** Zero-based frame. */
  frame: number;
  left: number;
  top: number;
  width: number;
  height: number;
  text: string;
  font: string;
  /** HIPAA kind and identity field of the line's first PHI value (its first value, for decoys). */
  kind: string | null;
  field: string | null;
  /** The burn value key (`patient.name.burned`), null for fixed text. */
  key: string | null;
  phi: boolean;
}

/** The one `run` row. */
export interface RunRecord {
  seed: string;
  toolVersion: string;
  dependencyVersions: Readonly<Record<string, string>>;
  options: unknown;
  counts: Readonly<Record<string, number>>;
}

/**
 * Instances per transaction: few enough that a killed run loses little work (a resumed run redoes the
 * instances of the last, uncommitted transaction), many enough that commits cost nothing to speak of.
 */
export const DEFAULT_BATCH_SIZE = 32;

/** Options of a writer. */
export interface AnswerKeyWriterOptions {
  /** Instances per transaction (default DEFAULT_BATCH_SIZE). */
  batchSize?: number;
  /** Leave an existing answer_key.db in place until close() replaces it (default: remove it at open). */
  keepExisting?: boolean;
  /** Run assertCheckWellFormed on every check before queueing it (default true). */
  validate?: boolean;
  /** Distinct checks held encoded before numbering starts afresh (default MAX_DEFINED_CHECKS; tests lower it). */
  maxDefinedChecks?: number;
  /**
   * Carry on with the scratch file an interrupted run left (its committed rows stay; a hot journal is
   * rolled back by SQLite on open); a fresh one when there is none. Default false: start afresh.
   */
  resume?: boolean;
}

/**
 * What a run records of one source instance, in scan order, in the same transaction as its rows: a resumed
 * run knows from these which instances are done and rebuilds its manifest from their details.
 */
export interface ProgressRecord {
  /** The instance's index in the run's scan of its inputs. */
  scanIndex: number;
  /** JSON written by the pipeline (its outcome, file record, counts). */
  detail: string;
}

/**
 * An instance's checks numbered by a generating thread with its own CheckInterner: the numbers, in that
 * thread's `namespace`, of checks defined beforehand with `defineChecks` (see AsyncAnswerKeyWriter).
 */
export interface InternedChecks {
  namespace: number;
  ids: number[];
}

/** One source instance for the key: its progress record and, when it was written, its rows. */
export interface KeyEntry {
  progress: ProgressRecord;
  instance?: {
    key: InstanceKey;
    checks: readonly Check[] | InternedChecks;
    burned: readonly BurnedTextRow[];
    file: FileRecord;
  };
}

/** A KeyEntry whose checks are numbers (in `namespace`) of encodings the store holds: what the store inserts. */
export interface NumberedEntry {
  progress: ProgressRecord;
  instance?: {
    key: InstanceKey;
    ids: readonly number[];
    burned: readonly BurnedTextRow[];
    file: FileRecord;
    namespace: number;
  };
}

/** Namespace of the checks a writer numbers itself (addEntry with a Check[]). */
export const OWN_NAMESPACE = 0;

const SCHEMA = `
CREATE TABLE answer_data (
  "index" INTEGER,
  "group" TEXT,
  "Modality" TEXT,
  "SOPClassUID" TEXT,
  "PatientID" TEXT,
  "StudyInstanceUID" TEXT,
  "SeriesInstanceUID" TEXT,
  "SOPInstanceUID" TEXT,
  "Digest" TEXT,
  "AnswerData" TEXT
);
CREATE TABLE files (
  sop_instance_uid TEXT PRIMARY KEY,
  patient_id TEXT NOT NULL,
  study_instance_uid TEXT NOT NULL,
  series_instance_uid TEXT NOT NULL,
  modality TEXT NOT NULL,
  sop_class_uid TEXT NOT NULL,
  output_path TEXT NOT NULL,
  source_sha256 TEXT,
  sha256 TEXT NOT NULL,
  pixel_data_md5 TEXT,
  answer_index INTEGER NOT NULL UNIQUE
);
CREATE TABLE check_definitions (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  tag TEXT NOT NULL,
  tag_name TEXT NOT NULL,
  action TEXT NOT NULL,
  value TEXT NOT NULL,
  action_text TEXT,
  tokens TEXT NOT NULL,
  hipaa_z TEXT,
  hipaa_m TEXT,
  dicom_p15 TEXT,
  dicom_iod TEXT,
  dicom_safe TEXT,
  tcia_ptkb TEXT,
  tcia_p15 TEXT,
  tcia_rev TEXT,
  prev_cat TEXT,
  category TEXT,
  identity_field TEXT,
  phi_kind TEXT,
  is_decoy INTEGER NOT NULL
);
CREATE TABLE check_rows (
  answer_index INTEGER NOT NULL,
  check_index INTEGER NOT NULL,
  definition INTEGER NOT NULL,
  PRIMARY KEY (answer_index, check_index)
) WITHOUT ROWID;
CREATE VIEW checks AS
SELECT f.sop_instance_uid, r.check_index, d.path, d.tag, d.tag_name, d.action, d.value, d.action_text, d.tokens, d.hipaa_z, d.hipaa_m, d.dicom_p15, d.dicom_iod, d.dicom_safe, d.tcia_ptkb, d.tcia_p15, d.tcia_rev, d.prev_cat, d.category, d.identity_field, d.phi_kind, d.is_decoy
FROM check_rows r
JOIN files f ON f.answer_index = r.answer_index
JOIN check_definitions d ON d.id = r.definition;
CREATE TABLE burned_text (
  sop_instance_uid TEXT NOT NULL,
  block INTEGER NOT NULL,
  block_id TEXT NOT NULL,
  line INTEGER NOT NULL,
  frame INTEGER NOT NULL,
  left INTEGER NOT NULL,
  top INTEGER NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  text TEXT NOT NULL,
  font TEXT NOT NULL,
  phi_kind TEXT,
  identity_field TEXT,
  value_key TEXT,
  is_phi INTEGER NOT NULL
);
CREATE TABLE run (
  seed TEXT NOT NULL,
  tool_version TEXT NOT NULL,
  dependency_versions TEXT NOT NULL,
  options TEXT NOT NULL,
  counts TEXT NOT NULL
);
CREATE TABLE run_progress (
  scan_index INTEGER PRIMARY KEY,
  detail TEXT NOT NULL
);
`;

/** Scratch-only tables, dropped before the final copy. */
const SCRATCH_TABLES = ['run_progress'];

/**
 * A check as the key stores it: its AnswerData entry text, its `check_definitions` columns after the id,
 * and that id, which is taken from the columns' content (see `definitionId`).
 */
export interface EncodedCheck {
  readonly entry: string;
  /** Dropped once the store has the definition row: from then on only the entry and id are needed. */
  columns: ReadonlyArray<string | number | null> | undefined;
  readonly definition: bigint;
}

/**
 * Bytes per database page. An instance's AnswerData is tens of KB: at 4 KB pages it is a chain of some
 * twenty overflow pages, and inserting it and the final VACUUM INTO spend their time walking them.
 */
const PAGE_SIZE = 8192;

/** Columns of `check_definitions` after its id. */
const DEFINITION_COLUMNS = 20;
/** Rows of `check_rows` per INSERT statement (three integers each). */
const CHECK_ROWS_PER_INSERT = 128;
/** Definition ids a store remembers having inserted before it forgets them (then lets SQLite skip repeats). */
const MAX_REMEMBERED_DEFINITIONS = 500_000;

/**
 * The `check_definitions` id of a check's columns: the first 64 bits of their SHA-256. A check that
 * recurs (a series' instances share most of theirs) is stored once, under the same id whatever the
 * order, batching, worker count, resume or merge that brought it, so the key stays byte-identical across
 * them (VACUUM INTO copies rows in id order). Two different checks with the same id would share a row
 * (odds about n^2 / 2^65 for n distinct checks: 1 in 2 x 10^8 for the 430,000 of a full midi-b-test run);
 * `verify` would then fail on the second one.
 */
export function definitionId(columns: ReadonlyArray<string | number | null>): bigint {
  return createHash('sha256').update(JSON.stringify(columns)).digest().readBigInt64BE(0);
}

/** Encodes one check for the key (the same bytes whichever thread does it). */
export function encodeCheck(c: Check): EncodedCheck {
  const columns = checkColumns(c);
  return { entry: JSON.stringify(toAnswerDataEntry(c)), columns, definition: definitionId(columns) };
}

/** The `check_definitions` columns of a check, after the id. */
function checkColumns(c: Check): Array<string | number | null> {
  return [
    c.path,
    c.tag,
    c.tagName,
    c.action,
    c.value,
    c.actionText,
    JSON.stringify(c.tokens),
    c.categories.hipaa.z,
    c.categories.hipaa.m,
    c.categories.dicom.p15,
    c.categories.dicom.iod,
    c.categories.dicom.safe,
    c.categories.tcia.ptkb,
    c.categories.tcia.p15,
    c.categories.tcia.rev,
    c.categories.prev_cat,
    checkCategoryLabel(c),
    c.identityField,
    c.phiKind,
    c.isDecoy ? 1 : 0,
  ];
}

/**
 * The AnswerData text of encoded checks: the same text as `serializeAnswerData` (JSON.stringify writes
 * the integer keys "0", "1", ... in ascending order, each entry as it stringifies alone).
 */
export function answerDataText(checks: readonly EncodedCheck[]): string {
  let out = '{';
  for (let i = 0; i < checks.length; i++) out += `${i === 0 ? '' : ','}"${i}":${checks[i]!.entry}`;
  return `${out}}`;
}

/** Removes a stale scratch file (and, unless kept, the previous key) before a writer opens. */
export function prepareKeyFiles(path: string, keepExisting: boolean, resume = false): void {
  const partialPath = path + PARTIAL_SUFFIX;
  // A resumed run keeps the scratch file and its journal (a hot journal undoes a half-done transaction).
  const stale = resume
    ? [`${partialPath}.vacuum`]
    : [partialPath, `${partialPath}-journal`, `${partialPath}.vacuum`];
  for (const file of stale) rmSync(file, { force: true });
  if (!keepExisting) rmSync(path, { force: true });
}

/**
 * The progress records an interrupted run committed to its scratch key, in scan order; undefined when
 * there is no scratch key. Opening it rolls back a half-done transaction (a hot journal).
 */
export function readKeyProgress(path: string): ProgressRecord[] | undefined {
  const partialPath = path + PARTIAL_SUFFIX;
  if (!existsSync(partialPath)) return undefined;
  const db = new Database(partialPath);
  try {
    if (!hasTable(db, 'run_progress')) return undefined;
    return db
      .prepare('SELECT scan_index AS scanIndex, detail FROM run_progress ORDER BY scan_index')
      .all() as ProgressRecord[];
  } finally {
    db.close();
  }
}

/** Deletes what an unfinished writer leaves: the scratch file and a half-written compact copy. */
export function removeKeyScratch(partialPath: string): void {
  rmSync(partialPath, { force: true });
  rmSync(`${partialPath}.vacuum`, { force: true });
}

/**
 * Numbers the checks a writer is given, so that each distinct check is encoded once: a check frozen by
 * `freezeCheck` (immutable, so its encoding cannot change) keeps its number; any other check gets a new
 * one every time. The store holds the encodings by number (`KeyStore.define`).
 */
export class CheckInterner {
  private ids = new WeakMap<Check, number>();
  private count = 0;

  /** Numbers defined so far (the store holds this many encodings). */
  get size(): number {
    return this.count;
  }

  /** The numbers of `checks`; checks the store has not been given yet are appended to `fresh`. */
  intern(checks: readonly Check[], fresh: Check[]): number[] {
    const out = new Array<number>(checks.length);
    for (let i = 0; i < checks.length; i++) {
      const check = checks[i]!;
      const frozen = isFrozenCheck(check);
      let id = frozen ? this.ids.get(check) : undefined;
      if (id === undefined) {
        id = this.count++;
        fresh.push(check);
        if (frozen) this.ids.set(check, id);
      }
      out[i] = id;
    }
    return out;
  }

  /** Starts numbering afresh (the store must forget its encodings at the same point). */
  reset(): void {
    this.ids = new WeakMap();
    this.count = 0;
  }
}

/** Encodings a store keeps before the writer starts afresh (bounds memory on very large runs). */
export const MAX_DEFINED_CHECKS = 20_000;

/** Checks already validated: a frozen check cannot change, so it is checked once. */
const validated = new WeakSet<Check>();

/** `assertCheckWellFormed`, once per frozen check. */
export function validateChecks(checks: readonly Check[]): void {
  for (const c of checks) {
    if (validated.has(c)) continue;
    assertCheckWellFormed(c);
    if (isFrozenCheck(c)) validated.add(c);
  }
}

/**
 * The SQLite side of a writer: the scratch database, its statements and the check encodings by number.
 * The in-thread writer and the writer thread (key-writer-worker.ts) both write through it, so the two
 * give the same rows, hence (after VACUUM INTO) the same bytes.
 */
export class KeyStore {
  private readonly db: Database.Database;
  /** Encodings by namespace, then by number. */
  private readonly encoded = new Map<number, EncodedCheck[]>();
  private nextIndex = 0;
  private readonly insertAnswer: Database.Statement;
  private readonly insertDefinition: Database.Statement;
  /** Definition ids inserted lately: a check met again costs one row of three integers, not 20 columns. */
  private insertedDefinitions = new Set<bigint>();
  /** `INSERT INTO check_rows` statements by their number of rows. */
  private readonly insertCheckRows = new Map<number, Database.Statement>();
  private readonly insertFileRow: Database.Statement;
  private readonly insertBurnedRow: Database.Statement;
  private readonly insertProgressRow: Database.Statement;

  /** Opens a fresh scratch file, or with `resume` the one an interrupted run left (when there is one). */
  constructor(
    readonly partialPath: string,
    resume = false,
  ) {
    const resuming = resume && existsSync(partialPath);
    const db = new Database(partialPath);
    this.db = db;
    // A rollback journal keeps the file whole when the process is killed (what --resume needs); no sync
    // to disk (an operating-system crash may cost the scratch file, never the finished key).
    db.pragma('journal_mode = DELETE');
    db.pragma('synchronous = OFF');
    if (resuming) {
      this.nextIndex = (db.prepare('SELECT count(*) AS n FROM answer_data').get() as { n: number }).n;
    } else {
      db.pragma(`page_size = ${PAGE_SIZE}`);
      db.pragma(`user_version = ${ANSWER_KEY_SCHEMA_VERSION}`);
      db.exec(SCHEMA);
    }
    this.insertProgressRow = db.prepare('INSERT INTO run_progress VALUES (?, ?)');
    this.insertAnswer = db.prepare('INSERT INTO answer_data VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.insertDefinition = db.prepare(
      `INSERT OR IGNORE INTO check_definitions VALUES (?${', ?'.repeat(DEFINITION_COLUMNS)})`,
    );
    this.insertFileRow = db.prepare('INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.insertBurnedRow = db.prepare(
      'INSERT INTO burned_text VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
  }

  /** The statement inserting `rows` rows into `check_rows` (prepared once per row count). */
  private insertChecks(rows: number): Database.Statement {
    let statement = this.insertCheckRows.get(rows);
    if (!statement) {
      statement = this.db.prepare(
        `INSERT INTO check_rows VALUES ${new Array<string>(rows).fill('(?, ?, ?)').join(', ')}`,
      );
      this.insertCheckRows.set(rows, statement);
    }
    return statement;
  }

  /** One instance's checks: their definitions not yet stored, then a row per check, in order. */
  private insertCheckList(answerIndex: number, checks: ReadonlyArray<Omit<EncodedCheck, 'entry'>>): void {
    const args: Array<number | bigint> = [];
    let rows = 0;
    for (let i = 0; i < checks.length; i++) {
      const check = checks[i]!;
      const { definition, columns } = check;
      if (columns) {
        // Another encoding of the same check (another thread's, or one started afresh) may have stored
        // it already: remembered here, or else skipped by SQLite (OR IGNORE).
        if (!this.insertedDefinitions.has(definition)) {
          if (this.insertedDefinitions.size >= MAX_REMEMBERED_DEFINITIONS)
            this.insertedDefinitions = new Set();
          this.insertDefinition.run(definition, ...columns);
          this.insertedDefinitions.add(definition);
        }
        check.columns = undefined;
      }
      args.push(answerIndex, i, definition);
      if (++rows === CHECK_ROWS_PER_INSERT || i === checks.length - 1) {
        this.insertChecks(rows).run(args);
        args.length = 0;
        rows = 0;
      }
    }
  }

  /** The SOP Instance UIDs of the files already stored (a resumed run's). */
  storedInstances(): string[] {
    return (this.db.prepare('SELECT sop_instance_uid AS uid FROM files').all() as Array<{ uid: string }>).map(
      (r) => r.uid,
    );
  }

  /** Encodes checks under the next numbers of `namespace` (in the order its CheckInterner handed them out). */
  define(checks: readonly Check[], namespace = OWN_NAMESPACE): void {
    let encoded = this.encoded.get(namespace);
    if (!encoded) this.encoded.set(namespace, (encoded = []));
    for (const c of checks) encoded.push(encodeCheck(c));
  }

  /** Drops the encodings of `namespace` (after its CheckInterner.reset). */
  forget(namespace = OWN_NAMESPACE): void {
    this.encoded.delete(namespace);
  }

  /** The rows of one entry: progress, and the instance's rows and file when it was written. */
  insertEntry({ progress, instance }: NumberedEntry): void {
    if (instance) {
      const answerIndex = this.insertInstance(
        instance.key,
        instance.ids,
        instance.burned,
        instance.namespace,
      );
      this.insertFile(instance.file, answerIndex);
    }
    this.insertProgressRow.run(progress.scanIndex, progress.detail);
  }

  begin(): void {
    this.db.exec('BEGIN');
  }

  commit(): void {
    this.db.exec('COMMIT');
  }

  /** Runs `fn` in one transaction. */
  transaction(fn: () => void): void {
    this.db.transaction(fn)();
  }

  /**
   * One answer_data row and one check row per check, from the checks' numbers; its burned lines. Returns
   * the instance's answer_data index (its `files` row must carry it).
   */
  insertInstance(
    key: InstanceKey,
    ids: readonly number[],
    burned: readonly BurnedTextRow[] = [],
    namespace = OWN_NAMESPACE,
  ): number {
    const encoded = this.encoded.get(namespace) ?? [];
    const checks = ids.map((id) => {
      const check = encoded[id];
      if (!check) throw new AnswerKeyError(`check ${id} of thread ${namespace} was never defined`);
      return check;
    });
    const answerIndex = this.nextIndex++;
    this.insertAnswer.run(
      answerIndex,
      key.group ?? null,
      key.modality,
      key.sopClassUid,
      key.patientId,
      key.studyInstanceUid,
      key.seriesInstanceUid,
      key.sopInstanceUid,
      key.digest ?? null,
      answerDataText(checks),
    );
    this.insertCheckList(answerIndex, checks);
    for (const r of burned) {
      this.insertBurnedRow.run(
        key.sopInstanceUid,
        r.block,
        r.blockId,
        r.line,
        r.frame,
        r.left,
        r.top,
        r.width,
        r.height,
        r.text,
        r.font,
        r.kind,
        r.field,
        r.key,
        r.phi ? 1 : 0,
      );
    }
    return answerIndex;
  }

  /**
   * Appends one instance's rows read from another key (`merge`): its answer_data row and its `files` row
   * renumbered to this key's next index, its checks (rows of the `checks` view) and burned-text rows as
   * they are, in their order.
   */
  copyInstanceRows(rows: {
    answer: unknown[];
    checks: unknown[][];
    file: unknown[];
    burned: unknown[][];
  }): void {
    const answerIndex = this.nextIndex++;
    this.insertAnswer.run(answerIndex, ...rows.answer.slice(1));
    this.insertCheckList(
      answerIndex,
      rows.checks.map((row) => {
        const columns = row.slice(2) as Array<string | number | null>;
        return { columns, definition: definitionId(columns) };
      }),
    );
    this.insertFileRow.run(...rows.file.slice(0, -1), answerIndex);
    for (const r of rows.burned) this.insertBurnedRow.run(r);
  }

  insertFile(f: FileRecord, answerIndex: number): void {
    this.insertFileRow.run(
      f.sopInstanceUid,
      f.patientId,
      f.studyInstanceUid,
      f.seriesInstanceUid,
      f.modality,
      f.sopClassUid,
      f.outputPath,
      f.sourceSha256,
      f.sha256,
      f.pixelDataMd5,
      answerIndex,
    );
  }

  /** Writes the run row, compacts the file into `path`'s compact copy and renames it to `path`. */
  finish(run: RunRecord, path: string): void {
    const db = this.db;
    db.prepare('INSERT INTO run VALUES (?, ?, ?, ?, ?)').run(
      run.seed,
      run.toolVersion,
      stableJson(run.dependencyVersions),
      stableJson(run.options ?? null),
      stableJson(run.counts),
    );
    for (const table of SCRATCH_TABLES) db.exec(`DROP TABLE ${table}`);
    // (VACUUM INTO carries the schema cookie over, which their CREATE and DROP moved on: every key is
    // written this way, fresh, resumed or merged, so every key has the same cookie.)
    // VACUUM INTO writes a fresh, compact copy whose header counters do not depend on how many
    // transactions built the scratch file (a plain VACUUM keeps the file change counter).
    const compact = `${this.partialPath}.vacuum`;
    rmSync(compact, { force: true });
    db.prepare('VACUUM INTO ?').run(compact);
    db.close();
    rmSync(this.partialPath, { force: true });
    const fd = openSync(compact, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(compact, path);
  }

  /** Closes the database without finishing it. */
  close(): void {
    if (this.db.open) this.db.close();
  }
}

/**
 * Writes one answer key in the calling thread. Call `addEntry` per source instance in scan order, then
 * `close(run)`; on any failure call `abort()`, which
 * deletes the scratch file (`resume` keeps it for the next run). `openAnswerKeyWriter`
 * (key-writer-thread.ts) gives the same file from a worker thread.
 */
export class AnswerKeyWriter {
  /** The final path, DIR/answer_key.db. */
  readonly path: string;
  /** The scratch path written until close(). */
  readonly partialPath: string;
  private store: KeyStore | undefined;
  private readonly batchSize: number;
  private readonly validate: boolean;
  private readonly interner = new CheckInterner();
  private readonly maxDefinedChecks: number;
  private pendingEntries: NumberedEntry[] = [];
  private readonly seen = new Set<string>();

  constructor(dir: string, options: AnswerKeyWriterOptions = {}) {
    this.path = join(dir, ANSWER_KEY_FILE);
    this.partialPath = this.path + PARTIAL_SUFFIX;
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.validate = options.validate ?? true;
    this.maxDefinedChecks = options.maxDefinedChecks ?? MAX_DEFINED_CHECKS;
    const resume = options.resume ?? false;
    prepareKeyFiles(this.path, options.keepExisting ?? false, resume);
    this.store = new KeyStore(this.partialPath, resume);
    for (const uid of this.store.storedInstances()) this.seen.add(uid);
  }

  private open(): KeyStore {
    if (!this.store) throw new AnswerKeyError('the answer-key writer is closed');
    return this.store;
  }

  /** Registers an instance once (one answer_data row per instance). */
  private admit(key: InstanceKey): void {
    if (this.seen.has(key.sopInstanceUid))
      throw new AnswerKeyError(
        `instance ${key.sopInstanceUid} added twice (one answer_data row per instance)`,
      );
    this.seen.add(key.sopInstanceUid);
  }

  /** Numbers checks in this writer's own namespace, defining the new ones in the store. */
  private intern(store: KeyStore, checks: readonly Check[]): number[] {
    if (this.validate) validateChecks(checks);
    if (this.interner.size > this.maxDefinedChecks) {
      this.flush();
      this.interner.reset();
      store.forget();
    }
    const fresh: Check[] = [];
    const ids = this.interner.intern(checks, fresh);
    store.define(fresh);
    return ids;
  }

  /** Queues one source instance: its progress record and, when written, its rows and file (one transaction). */
  addEntry(entry: KeyEntry): void {
    const store = this.open();
    const instance = entry.instance;
    if (!instance) {
      this.pendingEntries.push({ progress: entry.progress });
    } else {
      this.admit(instance.key);
      let ids: readonly number[];
      let namespace = OWN_NAMESPACE;
      if (Array.isArray(instance.checks)) {
        ids = this.intern(store, instance.checks as readonly Check[]);
      } else {
        ({ namespace, ids } = instance.checks as InternedChecks);
      }
      this.pendingEntries.push({
        progress: entry.progress,
        instance: { key: instance.key, ids, burned: instance.burned, file: instance.file, namespace },
      });
    }
    if (this.pendingEntries.length >= this.batchSize) this.flush();
  }

  /**
   * Defines the checks a generating thread numbered next in `namespace` (JSON of the Check array), before
   * any entry uses them.
   */
  defineChecks(namespace: number, defs: string): void {
    this.open().define(JSON.parse(defs) as Check[], namespace);
  }

  /** Drops the definitions of `namespace` once no entry still to come uses them. */
  forgetChecks(namespace: number): void {
    this.flush();
    this.open().forget(namespace);
  }

  /** Writes the queued rows in one transaction. */
  flush(): void {
    const store = this.open();
    const entries = this.pendingEntries;
    this.pendingEntries = [];
    store.transaction(() => {
      for (const e of entries) store.insertEntry(e);
    });
  }

  /** Writes the run row, compacts the file and renames it to answer_key.db. */
  close(run: RunRecord): string {
    const store = this.open();
    this.flush();
    store.finish(run, this.path);
    this.store = undefined;
    return this.path;
  }

  /** Closes the scratch file; deletes it unless `keepScratch` (an interrupted run to resume). */
  abort(keepScratch = false): void {
    if (this.store) {
      if (keepScratch) this.flush();
      this.store.close();
      this.store = undefined;
    }
    if (!keepScratch) removeKeyScratch(this.partialPath);
  }
}

/** One instance of a key read back: its answer_data columns and its checks. */
export interface AnswerKeyInstance extends Required<InstanceKey> {
  index: number;
  checks: Check[];
}

/** A key read back. `files`, `burnedText` and `run` are empty/null for keys without the normalized tables. */
export interface AnswerKey {
  instances: AnswerKeyInstance[];
  files: FileRecord[];
  /** Burned-in lines by SOP Instance UID, in plan order. */
  burnedText: Map<string, BurnedTextRow[]>;
  run: RunRecord | null;
}

interface AnswerRow {
  index: number;
  group: string | null;
  Modality: string;
  SOPClassUID: string;
  PatientID: string;
  StudyInstanceUID: string;
  SeriesInstanceUID: string;
  SOPInstanceUID: string;
  Digest: string | null;
  AnswerData: string;
}

interface CheckRow {
  sop_instance_uid: string;
  check_index: number;
  identity_field: string | null;
  phi_kind: string | null;
  is_decoy: number;
  tokens: string;
}

/** Whether a key has a table or view (published MIDI-B keys have answer_data only). */
export const hasTable = (db: Database.Database, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?").get(name) !==
  undefined;

/** The `files` rows by SOP Instance UID, in row order; empty without the table. */
export function readFileRecords(db: Database.Database): Map<string, FileRecord> {
  const files = new Map<string, FileRecord>();
  if (!hasTable(db, 'files')) return files;
  for (const f of db.prepare('SELECT * FROM files ORDER BY rowid').iterate() as IterableIterator<{
    sop_instance_uid: string;
    patient_id: string;
    study_instance_uid: string;
    series_instance_uid: string;
    modality: string;
    sop_class_uid: string;
    output_path: string;
    source_sha256: string | null;
    sha256: string;
    pixel_data_md5: string | null;
  }>) {
    files.set(f.sop_instance_uid, {
      sopInstanceUid: f.sop_instance_uid,
      patientId: f.patient_id,
      studyInstanceUid: f.study_instance_uid,
      seriesInstanceUid: f.series_instance_uid,
      modality: f.modality,
      sopClassUid: f.sop_class_uid,
      outputPath: f.output_path,
      sourceSha256: f.source_sha256,
      sha256: f.sha256,
      pixelDataMd5: f.pixel_data_md5,
    });
  }
  return files;
}

/** The `burned_text` rows by SOP Instance UID, in plan order; empty without the table. */
export function readBurnedText(db: Database.Database): Map<string, BurnedTextRow[]> {
  const burnedText = new Map<string, BurnedTextRow[]>();
  if (!hasTable(db, 'burned_text')) return burnedText;
  for (const r of db.prepare('SELECT * FROM burned_text ORDER BY rowid').iterate() as IterableIterator<{
    sop_instance_uid: string;
    block: number;
    block_id: string;
    line: number;
    frame: number;
    left: number;
    top: number;
    width: number;
    height: number;
    text: string;
    font: string;
    phi_kind: string | null;
    identity_field: string | null;
    value_key: string | null;
    is_phi: number;
  }>) {
    let rows = burnedText.get(r.sop_instance_uid);
    if (!rows) burnedText.set(r.sop_instance_uid, (rows = []));
    rows.push({
      block: r.block,
      blockId: r.block_id,
      line: r.line,
      frame: r.frame,
      left: r.left,
      top: r.top,
      width: r.width,
      height: r.height,
      text: r.text,
      font: r.font,
      kind: r.phi_kind,
      field: r.identity_field,
      key: r.value_key,
      phi: r.is_phi === 1,
    });
  }
  return burnedText;
}

/**
 * Reads an answer key (pseudophi's or a published MIDI-B one). Checks come from each row's AnswerData;
 * when the `checks` table is there, its normalized extras (identity field, HIPAA kind, decoy, tokens)
 * are joined back on (instance, check index).
 */
export function readAnswerKey(path: string): AnswerKey {
  if (!existsSync(path)) throw new AnswerKeyError(`no answer key at ${path}`);
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const extras = new Map<string, CheckRow>();
    if (hasTable(db, 'checks'))
      for (const row of db
        .prepare(
          'SELECT sop_instance_uid, check_index, identity_field, phi_kind, is_decoy, tokens FROM checks',
        )
        .iterate() as IterableIterator<CheckRow>)
        extras.set(`${row.sop_instance_uid}\u0000${row.check_index}`, row);
    const rows = db.prepare('SELECT * FROM answer_data ORDER BY "index"').all() as AnswerRow[];
    const instances = rows.map((row): AnswerKeyInstance => {
      const checks = parseAnswerData(row.AnswerData).map((entry, i) => {
        const check = fromAnswerDataEntry(entry);
        const extra = extras.get(`${row.SOPInstanceUID}\u0000${i}`);
        if (extra) {
          check.identityField = extra.identity_field;
          check.phiKind = extra.phi_kind as HipaaKind | null;
          check.isDecoy = extra.is_decoy === 1;
          check.tokens = JSON.parse(extra.tokens) as string[];
        }
        return check;
      });
      return {
        index: row.index,
        group: row.group ?? null,
        modality: row.Modality,
        sopClassUid: row.SOPClassUID,
        patientId: row.PatientID,
        studyInstanceUid: row.StudyInstanceUID,
        seriesInstanceUid: row.SeriesInstanceUID,
        sopInstanceUid: row.SOPInstanceUID,
        digest: row.Digest ?? null,
        checks,
      };
    });
    const files = [...readFileRecords(db).values()];
    const burnedText = readBurnedText(db);
    let run: RunRecord | null = null;
    if (hasTable(db, 'run')) {
      const r = db.prepare('SELECT * FROM run LIMIT 1').get() as
        | { seed: string; tool_version: string; dependency_versions: string; options: string; counts: string }
        | undefined;
      if (r)
        run = {
          seed: r.seed,
          toolVersion: r.tool_version,
          dependencyVersions: JSON.parse(r.dependency_versions) as Record<string, string>,
          options: JSON.parse(r.options) as unknown,
          counts: JSON.parse(r.counts) as Record<string, number>,
        };
    }
    return { instances, files, burnedText, run };
  } finally {
    db.close();
  }
}
