/**
 * The answer key of merged shards: every instance's rows copied from its shard's key in the whole run's
 * order, through the same KeyStore (same schema, statements, final VACUUM INTO), so the file is
 * byte-identical to the key of the unsharded run.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { AnswerKeyError } from './check.js';
import {
  ANSWER_KEY_FILE,
  KeyStore,
  PARTIAL_SUFFIX,
  prepareKeyFiles,
  removeKeyScratch,
  type RunRecord,
} from './sqlite.js';

/** One instance of the merged key: which shard key holds it, and its output path there. */
export interface MergedInstance {
  shard: number;
  outputPath: string;
}

/** Instances copied per transaction. */
const BATCH = 256;

/**
 * Writes DIR/answer_key.db from the keys at `shardKeys` (paths), the instances in `order`, and the run row.
 * Throws AnswerKeyError naming the shard key and instance when a row is missing.
 */
export function writeMergedAnswerKey(
  dir: string,
  shardKeys: readonly string[],
  order: readonly MergedInstance[],
  run: RunRecord,
): string {
  const path = join(dir, ANSWER_KEY_FILE);
  prepareKeyFiles(path, false);
  const shards = shardKeys.map((file) => {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    // burned_text has no index (and few rows): read once, by instance.
    const burned = new Map<string, unknown[][]>();
    for (const row of db.prepare('SELECT * FROM burned_text ORDER BY rowid').raw().all() as unknown[][]) {
      const sop = row[0] as string;
      burned.set(sop, [...(burned.get(sop) ?? []), row]);
    }
    // answer_data has no index either: its rowids by instance, read once, then rows by rowid.
    const answerRowid = new Map<string, number>();
    for (const [rowid, sop] of db
      .prepare('SELECT rowid, SOPInstanceUID FROM answer_data')
      .raw()
      .all() as Array<[number, string]>)
      answerRowid.set(sop, rowid);
    return {
      file,
      db,
      burned,
      answerRowid,
      fileByPath: db.prepare('SELECT * FROM files WHERE output_path = ?').raw(),
      answer: db.prepare('SELECT * FROM answer_data WHERE rowid = ?').raw(),
      checks: db.prepare('SELECT * FROM checks WHERE sop_instance_uid = ? ORDER BY check_index').raw(),
    };
  });
  const store = new KeyStore(path + PARTIAL_SUFFIX);
  try {
    for (let start = 0; start < order.length; start += BATCH) {
      store.transaction(() => {
        for (const { shard: n, outputPath } of order.slice(start, start + BATCH)) {
          const shard = shards[n]!;
          const file = shard.fileByPath.get(outputPath) as unknown[] | undefined;
          const sop = file?.[0] as string | undefined;
          const rowid = sop === undefined ? undefined : shard.answerRowid.get(sop);
          const answer = rowid === undefined ? undefined : (shard.answer.get(rowid) as unknown[] | undefined);
          if (!file || !answer || sop === undefined)
            throw new AnswerKeyError(`${shard.file} has no rows for ${outputPath}`);
          store.copyInstanceRows({
            answer,
            checks: shard.checks.all(sop) as unknown[][],
            file,
            burned: shard.burned.get(sop) ?? [],
          });
        }
      });
    }
    store.finish(run, path);
    return path;
  } catch (error) {
    store.close();
    removeKeyScratch(path + PARTIAL_SUFFIX);
    throw error;
  } finally {
    for (const s of shards) s.db.close();
  }
}
