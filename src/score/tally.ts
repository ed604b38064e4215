/**
 * Counting results the way the NCI script's reports do (modules/reports_helper.py): pass, fail and blank
 * per action, per category and subcategory, overall; score = passes / all (a blank counts against);
 * series-based mode with one result per (action, tag_ds, patient, study, series), a failure if any
 * instance failed (shared/reference/midi-b-answer-key.md section 5); the normalized score of the seed
 * paper (mean over action types of their accuracy).
 */
import { ACTIONS, type Action } from '../phi/index.js';

/** A check's outcome: 1 pass, 0 fail, -1 blank (the script's NaN). */
export type Status = 1 | 0 | -1;

/** Passes, failures and blanks of some set of results. */
export interface Tally {
  passed: number;
  failed: number;
  blank: number;
  total: number;
  /** passed / total; null when there is nothing. */
  score: number | null;
}

/** A tally of one category and subcategory (`hipaa` / `HIPAA-G`; `unknown` when the check has none). */
export interface CategoryTally extends Tally {
  category: string;
  subcategory: string;
  /** Whether the seed paper's Table C3 lists this subcategory. */
  tableC3: boolean;
}

/** The results of one scoring mode. */
export interface ModeReport {
  overall: Tally;
  /** Mean of the per-action scores over the actions with checks (the paper's normalized score). */
  normalizedScore: number | null;
  /** Per action, in the key's action order, actions without checks left out. */
  actions: Partial<Record<Action, Tally>>;
  /** Table C3's 25 subcategories in its order (zero rows included), then any others the key uses. */
  categories: CategoryTally[];
}

/** The 25 subcategories of the seed paper's Table C3, in its order. */
export const TABLE_C3: ReadonlyArray<readonly [string, string]> = [
  ['dicom', 'DICOM-IOD-1'],
  ['dicom', 'DICOM-IOD-2'],
  ['dicom', 'DICOM-P15-BASIC-C'],
  ['dicom', 'DICOM-P15-BASIC-U'],
  ['hipaa', 'HIPAA-A'],
  ['hipaa', 'HIPAA-B'],
  ['hipaa', 'HIPAA-C'],
  ['hipaa', 'HIPAA-D'],
  ['hipaa', 'HIPAA-G'],
  ['hipaa', 'HIPAA-H'],
  ['hipaa', 'HIPAA-R'],
  ['tcia', 'TCIA-P15-BASIC-D'],
  ['tcia', 'TCIA-P15-BASIC-X'],
  ['tcia', 'TCIA-P15-BASIC-X/Z/D'],
  ['tcia', 'TCIA-P15-BASIC-Z'],
  ['tcia', 'TCIA-P15-BASIC-Z/D'],
  ['tcia', 'TCIA-P15-DESC-C'],
  ['tcia', 'TCIA-P15-DEV-C'],
  ['tcia', 'TCIA-P15-DEV-K'],
  ['tcia', 'TCIA-P15-MOD-C'],
  ['tcia', 'TCIA-P15-PAT-K'],
  ['tcia', 'TCIA-P15-PIX-K'],
  ['tcia', 'TCIA-PTKB-K'],
  ['tcia', 'TCIA-PTKB-X'],
  ['tcia', 'TCIA-REV'],
];

class Counts {
  passed = 0;
  failed = 0;
  blank = 0;
  add(status: Status): void {
    if (status === 1) this.passed++;
    else if (status === 0) this.failed++;
    else this.blank++;
  }
  tally(): Tally {
    const total = this.passed + this.failed + this.blank;
    return {
      passed: this.passed,
      failed: this.failed,
      blank: this.blank,
      total,
      score: total === 0 ? null : this.passed / total,
    };
  }
}

/** Status order for series de-duplication: a failure beats a blank, a blank beats a pass. */
const rank = (s: Status): number => (s === 0 ? 2 : s === -1 ? 1 : 0);

/** Counts results of one mode. */
export class ModeCounter {
  private readonly overall = new Counts();
  private readonly actions = new Map<Action, Counts>();
  private readonly categories = new Map<string, Counts>();

  add(action: Action, category: string, subcategory: string, status: Status): void {
    this.overall.add(status);
    let a = this.actions.get(action);
    if (!a) this.actions.set(action, (a = new Counts()));
    a.add(status);
    const key = `${category}\u0000${subcategory}`;
    let c = this.categories.get(key);
    if (!c) this.categories.set(key, (c = new Counts()));
    c.add(status);
  }

  report(): ModeReport {
    const actions: Partial<Record<Action, Tally>> = {};
    const scores: number[] = [];
    for (const action of ACTIONS) {
      const counts = this.actions.get(action);
      if (!counts) continue;
      const t = counts.tally();
      actions[action] = t;
      if (t.score !== null) scores.push(t.score);
    }
    const known = new Set(TABLE_C3.map(([c, s]) => `${c}\u0000${s}`));
    const categories: CategoryTally[] = TABLE_C3.map(([category, subcategory]) => ({
      category,
      subcategory,
      tableC3: true,
      ...(this.categories.get(`${category}\u0000${subcategory}`) ?? new Counts()).tally(),
    }));
    const others = [...this.categories.keys()].filter((k) => !known.has(k)).sort();
    for (const key of others) {
      const [category, subcategory] = key.split('\u0000') as [string, string];
      categories.push({ category, subcategory, tableC3: false, ...this.categories.get(key)!.tally() });
    }
    return {
      overall: this.overall.tally(),
      normalizedScore: scores.length === 0 ? null : scores.reduce((s, x) => s + x, 0) / scores.length,
      actions,
      categories,
    };
  }
}

interface SeriesResult {
  action: Action;
  category: string;
  subcategory: string;
  status: Status;
}

/** Series-based de-duplication: one result per (action, tag_ds, patient, study, series). */
export class SeriesCounter {
  private readonly results = new Map<string, SeriesResult>();

  add(
    action: Action,
    path: string,
    series: { patient: string; study: string; series: string },
    category: string,
    subcategory: string,
    status: Status,
  ): void {
    const key = `${action}\u0000${path}\u0000${series.patient}\u0000${series.study}\u0000${series.series}`;
    const prev = this.results.get(key);
    // The result takes the category of the check that decided it (the first, or the first worse one).
    if (!prev) this.results.set(key, { action, category, subcategory, status });
    else if (rank(status) > rank(prev.status)) {
      prev.status = status;
      prev.category = category;
      prev.subcategory = subcategory;
    }
  }

  report(): ModeReport {
    const counter = new ModeCounter();
    for (const r of this.results.values()) counter.add(r.action, r.category, r.subcategory, r.status);
    return counter.report();
  }
}
