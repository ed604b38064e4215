/**
 * The answer key read streaming, one instance's checks at a time (the scorer's reader). `readAnswerKey`
 * (sqlite.ts) holds every check of a key in memory at once, about 650 bytes per check; a key of 30,000
 * instances has some 8 million checks. Here the light columns (instance identity, the `files` and
 * `burned_text` tables) are read up front and each instance's AnswerData is parsed when it is asked for,
 * then dropped. Table and column names are sqlite.ts's.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { fromAnswerDataEntry, parseAnswerData } from './answer-data.js';
import { AnswerKeyError, type Check } from './check.js';
import { hasTable, readBurnedText, readFileRecords, type BurnedTextRow, type FileRecord } from './sqlite.js';

/** One answer_data row without its checks. */
export interface KeyInstance {
  /** Position in key order ("index" column order), from 0. */
  position: number;
  /** The key's `index` column. */
  index: number;
  sopInstanceUid: string;
  sopClassUid: string;
  modality: string;
  patientId: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  /** SQLite rowid, to fetch the AnswerData of this row alone. */
  rowid: number;
}

/** A text_removed value of one patient, for the leak scan: the PHI text and where it came from. */
export interface PatientPhi {
  text: string;
  /** HIPAA kind (`G`) where the key records it. */
  kind: string | null;
  /** Identity field (`patient.ssn`) where the key records it. */
  field: string | null;
}

/** An open answer key, read instance by instance. Close it when done. */
export class AnswerKeySource {
  /** Every instance, in key order. */
  readonly instances: KeyInstance[];
  /** The `files` rows by SOP Instance UID (empty for keys without the table, e.g. published MIDI-B keys). */
  readonly files: Map<string, FileRecord>;
  /** Burned-in lines by SOP Instance UID, in plan order (empty without the table). */
  readonly burnedText: Map<string, BurnedTextRow[]>;
  /** Whether the normalized `checks` table is there (decoy flags, PHI kinds, identity fields). */
  readonly hasChecksTable: boolean;
  private readonly db: Database.Database;
  private readonly answerData: Database.Statement;
  private readonly decoys: Database.Statement | undefined;

  private constructor(db: Database.Database) {
    this.db = db;
    this.instances = (
      db
        .prepare(
          `SELECT rowid AS rowid, "index" AS idx, SOPInstanceUID, SOPClassUID, Modality, PatientID,
                  StudyInstanceUID, SeriesInstanceUID
           FROM answer_data ORDER BY "index", rowid`,
        )
        .all() as Array<{
        rowid: number;
        idx: number;
        SOPInstanceUID: string | null;
        SOPClassUID: string | null;
        Modality: string | null;
        PatientID: string | null;
        StudyInstanceUID: string | null;
        SeriesInstanceUID: string | null;
      }>
    ).map((r, position) => ({
      position,
      index: r.idx,
      rowid: r.rowid,
      sopInstanceUid: r.SOPInstanceUID ?? '',
      sopClassUid: r.SOPClassUID ?? '',
      modality: r.Modality ?? '',
      patientId: r.PatientID ?? '',
      studyInstanceUid: r.StudyInstanceUID ?? '',
      seriesInstanceUid: r.SeriesInstanceUID ?? '',
    }));
    this.answerData = db.prepare('SELECT AnswerData FROM answer_data WHERE rowid = ?').pluck();
    this.files = readFileRecords(db);
    this.burnedText = readBurnedText(db);
    this.hasChecksTable = hasTable(db, 'checks');
    // The files index on sop_instance_uid, then check_rows' key (answer_index, check_index): a short range
    // scan per instance.
    this.decoys = this.hasChecksTable
      ? db.prepare('SELECT check_index FROM checks WHERE sop_instance_uid = ? AND is_decoy = 1').pluck()
      : undefined;
  }

  /** Opens DIR/answer_key.db (or any MIDI-B key) read-only. */
  static open(path: string): AnswerKeySource {
    if (!existsSync(path)) throw new AnswerKeyError(`no answer key at ${path}`);
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      if (!hasTable(db, 'answer_data')) throw new AnswerKeyError(`${path} has no answer_data table`);
      return new AnswerKeySource(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** The checks of one instance, parsed from its AnswerData, with the decoy flags of the `checks` table. */
  checksOf(instance: KeyInstance): Check[] {
    const text = this.answerData.get(instance.rowid) as string | null | undefined;
    if (text === null || text === undefined) return [];
    let checks: Check[];
    try {
      checks = parseAnswerData(text).map(fromAnswerDataEntry);
    } catch (error) {
      throw new AnswerKeyError(
        `answer_data row ${instance.index} (${instance.sopInstanceUid}): ${(error as Error).message}`,
      );
    }
    if (this.decoys)
      for (const i of this.decoys.all(instance.sopInstanceUid) as number[]) {
        const check = checks[i];
        if (check) check.isDecoy = true;
      }
    return checks;
  }

  /**
   * Every text_removed value by Patient ID (the key's), distinct by text: what the leak scan looks for
   * in a patient's output files. From the `checks` table in one pass; empty without it (the scorer then
   * uses each instance's own checks).
   */
  phiByPatient(): Map<string, PatientPhi[]> {
    const out = new Map<string, PatientPhi[]>();
    if (!this.hasChecksTable) return out;
    const patientOf = new Map(this.instances.map((i) => [i.sopInstanceUid, i.patientId]));
    const seen = new Set<string>();
    for (const [sop, text, kind, field] of this.db
      .prepare(
        "SELECT sop_instance_uid, action_text, phi_kind, identity_field FROM checks WHERE action = 'text_removed'",
      )
      .raw(true)
      .iterate() as IterableIterator<[string, string | null, string | null, string | null]>) {
      const patient = patientOf.get(sop);
      if (patient === undefined || !text) continue;
      const key = `${patient}\u0000${text}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let list = out.get(patient);
      if (!list) out.set(patient, (list = []));
      list.push({ text, kind, field });
    }
    return out;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
