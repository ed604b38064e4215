/**
 * Checks beyond the MIDI-B metric, reported apart so that the MIDI-B numbers stay comparable:
 * - date-shift consistency: the offset each date_shifted element moved by, per patient; a good
 *   de-identifier moves all of one patient's dates by one offset and different patients by different
 *   offsets (the check the MIDI-B authors said was missing);
 * - a leak scan: every PHI value the key asks to remove (text_removed action texts) looked for in every
 *   element of that patient's output files, including elements the key names no check for;
 * - over-removal: clean text and decoys that were lost, elements removed or emptied, pixels changed.
 */
import type { Check } from '../answerkey/index.js';
import { normalizeScorerText } from '../answerkey/index.js';
import type { PatientPhi } from '../answerkey/index.js';

// ---------------------------------------------------------------------------------------------
// Date shifts
// ---------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of the first date (YYYYMMDD, YYYY-MM-DD or YYYY.MM.DD) in a value, if any. */
export function dayNumberOf(value: string): number | undefined {
  const m = /(?<!\d)(\d{4})([-.]?)(\d{2})\2(\d{2})/.exec(value);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[3]), Number(m[4])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  const date = new Date(0);
  // setUTCFullYear takes the year as given (Date.UTC would map years 0-99 to 1900-1999).
  date.setUTCFullYear(y, mo - 1, d);
  if (date.getUTCMonth() !== mo - 1) return undefined; // 31 April and the like
  return Math.round(date.getTime() / DAY_MS);
}

/** One patient's date offsets. */
export interface PatientOffsets {
  patient: string;
  /** Offset in days -> number of elements moved by it, most frequent first. */
  offsets: Array<{ days: number; elements: number }>;
}

/** The date-shift section of the report. */
export interface DateShiftReport {
  /** date_shifted checks looked at (files present). */
  elements: number;
  /** ... of which the element was gone or empty. */
  removed: number;
  /** ... of which the output value holds no date. */
  unparseable: number;
  /** Patients with at least one shifted date measured. */
  patients: number;
  /** Patients whose dates all moved by one offset. */
  consistentPatients: number;
  /** Patients whose dates moved by several offsets (most frequent first). */
  inconsistent: PatientOffsets[];
  /** Offsets (each patient's most frequent) shared by several patients. */
  shared: Array<{ days: number; patients: string[] }>;
  /** Patients whose dates did not move (offset 0 everywhere). */
  unshiftedPatients: string[];
  /** One offset per patient and no offset shared by two patients. */
  consistent: boolean;
}

/** Collects date offsets per patient. */
export class DateShiftCounter {
  private readonly byPatient = new Map<string, Map<number, number>>();
  private elements = 0;
  private removed = 0;
  private unparseable = 0;

  /** One date_shifted check of a patient (the key's Patient ID) and the output's value (undefined: absent). */
  add(patient: string, check: Check, fileValue: string | undefined): void {
    const old = dayNumberOf(check.value);
    if (old === undefined) return;
    this.elements++;
    if (fileValue === undefined || fileValue.trim() === '') {
      this.removed++;
      return;
    }
    const now = dayNumberOf(fileValue);
    if (now === undefined) {
      this.unparseable++;
      return;
    }
    let offsets = this.byPatient.get(patient);
    if (!offsets) this.byPatient.set(patient, (offsets = new Map()));
    offsets.set(now - old, (offsets.get(now - old) ?? 0) + 1);
  }

  report(): DateShiftReport {
    const inconsistent: PatientOffsets[] = [];
    const byOffset = new Map<number, string[]>();
    const unshiftedPatients: string[] = [];
    for (const [patient, counts] of this.byPatient) {
      const offsets = [...counts]
        .map(([days, elements]) => ({ days, elements }))
        .sort((a, b) => b.elements - a.elements || a.days - b.days);
      if (offsets.length > 1) inconsistent.push({ patient, offsets });
      const main = offsets[0]!.days;
      if (offsets.length === 1 && main === 0) unshiftedPatients.push(patient);
      const list = byOffset.get(main) ?? [];
      list.push(patient);
      byOffset.set(main, list);
    }
    const shared = [...byOffset]
      .filter(([, patients]) => patients.length > 1)
      .map(([days, patients]) => ({ days, patients }))
      .sort((a, b) => a.days - b.days);
    return {
      elements: this.elements,
      removed: this.removed,
      unparseable: this.unparseable,
      patients: this.byPatient.size,
      consistentPatients: this.byPatient.size - inconsistent.length,
      inconsistent,
      shared,
      unshiftedPatients,
      consistent: inconsistent.length === 0 && shared.length === 0 && this.byPatient.size > 0,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Leak scan
// ---------------------------------------------------------------------------------------------

/** One PHI value found in an output file. */
export interface LeakHit {
  file: string;
  path: string;
  /** The PHI value (as the key has it). */
  phi: string;
  kind: string | null;
  field: string | null;
  /**
   * Whether the instance has a removal check on this element covering this value (text_removed of it,
   * or date_shifted / uid_changed of a value holding it): MIDI-B counts such a leak already.
   */
  named: boolean;
}

/** The leak-scan section of the report. */
export interface LeakReport {
  /** Distinct PHI values looked for (per patient, summed). */
  values: number;
  files: number;
  /** Files with at least one hit. */
  filesWithLeaks: number;
  hits: number;
  /** Hits in elements the key names no text_removed check for (missed by the MIDI-B metric). */
  unnamedHits: number;
  /** Distinct (patient, value) pairs found at least once. */
  leakedValues: number;
  /** Hits by HIPAA kind of the value. */
  byKind: Record<string, number>;
  /** Some hits, the unnamed first (at most 50). */
  examples: LeakHit[];
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface PatientPattern {
  regex: RegExp;
  byText: Map<string, PatientPhi>;
  count: number;
}

const MAX_EXAMPLES = 50;

/**
 * Looks for a patient's PHI values in every element of their output files. A value matches as a whole
 * word (not inside a longer run of letters and digits), lower-cased as the scorer compares: `907427`
 * inside a UID's digits or `cn` inside `scanner` is no leak.
 */
export class LeakScanner {
  private readonly patterns = new Map<string, PatientPattern | null>();
  private readonly leaked = new Set<string>();
  private files = 0;
  private filesWithLeaks = 0;
  private hits = 0;
  private unnamedHits = 0;
  private readonly byKind: Record<string, number> = {};
  private readonly named: LeakHit[] = [];
  private readonly unnamed: LeakHit[] = [];

  /** `phi`: each patient's text_removed values (from the key's checks table, or gathered per instance). */
  constructor(private readonly phi: Map<string, PatientPhi[]>) {}

  /** Adds PHI of a patient found in an instance's own checks (keys without a checks table). */
  addPhi(patient: string, values: readonly PatientPhi[]): void {
    const list = this.phi.get(patient) ?? [];
    const known = new Set(list.map((p) => p.text));
    let added = false;
    for (const v of values)
      if (!known.has(v.text)) {
        list.push(v);
        known.add(v.text);
        added = true;
      }
    this.phi.set(patient, list);
    if (added) this.patterns.delete(patient);
  }

  private patternOf(patient: string): PatientPattern | null {
    let p = this.patterns.get(patient);
    if (p !== undefined) return p;
    const byText = new Map<string, PatientPhi>();
    for (const v of this.phi.get(patient) ?? []) {
      const t = normalizeScorerText(v.text).trim();
      if (t !== '' && !byText.has(t)) byText.set(t, v);
    }
    if (byText.size === 0) p = null;
    else {
      // Longest first, so that a value is reported rather than a shorter one inside it.
      const alternatives = [...byText.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
      p = {
        regex: new RegExp(
          `(?<![\\p{L}\\p{N}])(?:${alternatives.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`,
          'gu',
        ),
        byText,
        count: byText.size,
      };
    }
    this.patterns.set(patient, p);
    return p;
  }

  /** Distinct values looked for so far. */
  get values(): number {
    let n = 0;
    for (const patient of this.phi.keys()) n += this.patternOf(patient)?.count ?? 0;
    return n;
  }

  /** Scans one output file's values; `checks` are its instance's (to tell named from unnamed hits). */
  scan(patient: string, file: string, values: ReadonlyMap<string, string>, checks: readonly Check[]): void {
    this.files++;
    const pattern = this.patternOf(patient);
    if (!pattern) return;
    let removedByPath: Map<string, string[]> | undefined;
    let found = false;
    for (const [path, value] of values) {
      if (value === '' || value === 'REMOVED') continue;
      const text = normalizeScorerText(value);
      pattern.regex.lastIndex = 0;
      for (const m of text.matchAll(pattern.regex)) {
        const phi = pattern.byText.get(m[0])!;
        if (!removedByPath) {
          // What the key asks to change in each element: text_removed spans, and the old values of
          // date_shifted and uid_changed checks (a study date is PHI and also a shifted date).
          removedByPath = new Map();
          for (const c of checks) {
            const text =
              c.action === 'text_removed'
                ? c.actionText
                : c.action === 'date_shifted' || c.action === 'uid_changed'
                  ? c.value
                  : null;
            if (!text) continue;
            const list = removedByPath.get(c.path) ?? [];
            list.push(normalizeScorerText(text));
            removedByPath.set(c.path, list);
          }
        }
        const named = (removedByPath.get(path) ?? []).some((t) => t.includes(m[0]) || m[0].includes(t));
        found = true;
        this.hits++;
        if (!named) this.unnamedHits++;
        const kind = phi.kind ?? 'unknown';
        this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
        this.leaked.add(`${patient}\u0000${m[0]}`);
        const hit: LeakHit = { file, path, phi: phi.text, kind: phi.kind, field: phi.field, named };
        const list = named ? this.named : this.unnamed;
        if (list.length < MAX_EXAMPLES) list.push(hit);
      }
    }
    if (found) this.filesWithLeaks++;
  }

  report(): LeakReport {
    return {
      values: this.values,
      files: this.files,
      filesWithLeaks: this.filesWithLeaks,
      hits: this.hits,
      unnamedHits: this.unnamedHits,
      leakedValues: this.leaked.size,
      byKind: Object.fromEntries(Object.entries(this.byKind).sort(([a], [b]) => (a < b ? -1 : 1))),
      examples: [...this.unnamed, ...this.named].slice(0, MAX_EXAMPLES),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Over-removal
// ---------------------------------------------------------------------------------------------

/** How a kept value was lost. */
export interface LossCounts {
  /** The element is gone. */
  absent: number;
  /** The element is there, empty. */
  emptied: number;
  /** The element has a value without the kept text. */
  changed: number;
}

/** One lost value, for the examples. */
export interface LostValue {
  file: string;
  path: string;
  expected: string;
  found: string | null;
  decoy: boolean;
}

/** The over-removal section of the report. */
export interface OverRemovalReport {
  /** text_retained checks of present files that failed, clean text and decoys apart. */
  cleanTextLost: LossCounts;
  decoysLost: LossCounts;
  /** text_retained checks of present files, clean and decoy, for scale. */
  cleanTextChecks: number;
  decoyChecks: number;
  /** tag_retained failures: elements a de-identifier must keep that are gone. */
  elementsRemoved: number;
  /** text_notnull failures with the element present: Type 1 values emptied. */
  valuesEmptied: number;
  /** pixels_retained failures: Pixel Data changed although no text was burned into it. */
  pixelsChanged: number;
  /** Burned-in decoy lines (not PHI, outside every pixels_hidden box) OCR no longer reads at all. */
  burnedDecoysLost: number;
  /** Burned-in decoy lines looked at (0 without OCR). */
  burnedDecoys: number;
  /** Some losses, decoys first (at most 50). */
  examples: LostValue[];
}

const lossCounts = (): LossCounts => ({ absent: 0, emptied: 0, changed: 0 });

/** Counts what a de-identifier removed that it should have kept. */
export class OverRemovalCounter {
  private readonly clean = lossCounts();
  private readonly decoys = lossCounts();
  private cleanChecks = 0;
  private decoyChecks = 0;
  private elementsRemoved = 0;
  private valuesEmptied = 0;
  private pixelsChanged = 0;
  private burnedDecoys = 0;
  private burnedDecoysLost = 0;
  private readonly decoyExamples: LostValue[] = [];
  private readonly cleanExamples: LostValue[] = [];

  /** One check of a present file and its outcome. */
  add(file: string, check: Check, fileValue: string | undefined, passed: boolean | null): void {
    switch (check.action) {
      case 'text_retained': {
        if (check.isDecoy) this.decoyChecks++;
        else this.cleanChecks++;
        if (passed !== false) return;
        const counts = check.isDecoy ? this.decoys : this.clean;
        if (fileValue === undefined) counts.absent++;
        else if (normalizeScorerText(fileValue).trim() === '') counts.emptied++;
        else counts.changed++;
        const list = check.isDecoy ? this.decoyExamples : this.cleanExamples;
        if (list.length < MAX_EXAMPLES)
          list.push({
            file,
            path: check.path,
            expected: check.actionText ?? '',
            found: fileValue ?? null,
            decoy: check.isDecoy,
          });
        return;
      }
      case 'tag_retained':
        if (passed === false) this.elementsRemoved++;
        return;
      case 'text_notnull':
        if (passed === false && fileValue !== undefined) this.valuesEmptied++;
        return;
      case 'pixels_retained':
        if (passed === false) this.pixelsChanged++;
        return;
      default:
    }
  }

  /** One burned decoy line judged by OCR: `lost` when OCR reads none of its words. */
  addBurnedDecoy(lost: boolean): void {
    this.burnedDecoys++;
    if (lost) this.burnedDecoysLost++;
  }

  report(): OverRemovalReport {
    return {
      cleanTextLost: { ...this.clean },
      decoysLost: { ...this.decoys },
      cleanTextChecks: this.cleanChecks,
      decoyChecks: this.decoyChecks,
      elementsRemoved: this.elementsRemoved,
      valuesEmptied: this.valuesEmptied,
      pixelsChanged: this.pixelsChanged,
      burnedDecoysLost: this.burnedDecoysLost,
      burnedDecoys: this.burnedDecoys,
      examples: [...this.decoyExamples, ...this.cleanExamples].slice(0, MAX_EXAMPLES),
    };
  }
}
