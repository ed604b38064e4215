/**
 * Text surgery for the oracle: taking PHI spans out of free text while keeping the clean text and the
 * decoys, and neutral stand-ins for Type 1 values that must keep a value. Every result is judged with
 * the scorer's own rules (validate_text, src/phi/scorer-text.ts), never assumed to pass.
 */
import { checkStringValue, type Vr } from '../dicom/index.js';
import { normalizeScorerText, sharedTokens, tokensOf, validateText } from '../answerkey/index.js';

/** Spans [start, end) of every case-insensitive occurrence of `needle` in `text`. */
function occurrences(text: string, needle: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (needle === '') return out;
  const hay = text.toLowerCase();
  const n = needle.toLowerCase();
  // Lower-casing can change the length of some characters; fall back to exact matching then.
  if (hay.length !== text.length || n.length !== needle.length) {
    for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length))
      out.push([i, i + needle.length]);
    return out;
  }
  for (let i = hay.indexOf(n); i >= 0; i = hay.indexOf(n, i + n.length)) out.push([i, i + n.length]);
  return out;
}

/** Merges overlapping or touching spans. */
function merge(spans: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...spans].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Array<[number, number]> = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else out.push([s[0], s[1]]);
  }
  return out;
}

/**
 * Cuts the spans out of `text`. Where a cut leaves a space on both sides one is dropped, and a cut at
 * either end takes the spaces next to it, so `Call Dr. Beier at 5` becomes `Call Dr. at 5`; every other
 * character of the text stays as it was.
 */
export function cutSpans(text: string, spans: Array<[number, number]>): string {
  const merged = merge(spans);
  if (merged.length === 0) return text;
  let out = '';
  let at = 0;
  for (const [start, end] of merged) {
    out += text.slice(at, start);
    at = end;
    const lead = /^\s*/.exec(text.slice(at))![0].length;
    if (out.trim() === '') {
      // A cut at the start takes the spaces around it.
      out = '';
      at += lead;
    } else if (/\s$/.test(out)) at += lead; // spaces on both sides of the cut: the ones before stay
  }
  const tail = text.slice(at);
  // A cut at the end takes the spaces before it.
  return tail.trim() === '' ? out.replace(/\s+$/, '') : out + tail;
}

/** The outcome of removing PHI spans from one text value. */
export interface SpanRemoval {
  text: string;
  /** `spans`: only the PHI spans went; `words`: words holding leaked PHI tokens went too. */
  method: 'spans' | 'words';
  /** Removal texts the result still fails (tokens left in kept text: a defect of the key). */
  failedRemovals: string[];
  /** Kept texts the result no longer passes. */
  failedRetains: string[];
}

const failures = (text: string, remove: readonly string[], retain: readonly string[]) => ({
  failedRemovals: remove.filter((r) => validateText(text, r, 'remove').passed !== true),
  failedRetains: retain.filter((k) => validateText(text, k, 'retain').passed !== true),
});

/** The spans of the text covered by kept texts (decoys, clean text), which must not be cut. */
function keptSpans(text: string, retain: readonly string[]): Array<[number, number]> {
  return merge(retain.flatMap((k) => occurrences(text, k)));
}

const ALNUM = /[\p{L}\p{N}]/u;

/** Whether the span [start, end) of `text` is not part of a longer word on a side where it starts or ends one. */
function atWordBoundary(text: string, start: number, end: number): boolean {
  const first = text[start] ?? '';
  const last = text[end - 1] ?? '';
  if (ALNUM.test(first) && start > 0 && ALNUM.test(text[start - 1]!)) return false;
  if (ALNUM.test(last) && end < text.length && ALNUM.test(text[end]!)) return false;
  return true;
}

/** What of a removal text the scorer still finds in a value: the whole text, or its tokens found. */
function leakedPieces(value: string, removal: string): string[] {
  const v = normalizeScorerText(value);
  const r = normalizeScorerText(removal);
  if (r !== '' && v.includes(r)) return [r];
  return tokensOf(removal).filter((t) => v.includes(t));
}

/**
 * Removes the PHI texts from a free-text value, keeping the clean text and decoys, and judges the result
 * with validate_text: every removal must pass (no token of it left anywhere in the value) and every kept
 * text must still pass. First only the PHI spans go (each occurrence that is not part of a longer word or
 * of a kept text). If a PHI text or token is still found, inside a longer word the key does not keep
 * (`Physics` after removing initials `CS`), those words go too. What still fails after that is reported:
 * a token of the PHI inside text the key keeps, a defect of the key.
 */
export function removePhiSpans(
  text: string,
  remove: readonly string[],
  retain: readonly string[],
): SpanRemoval {
  const kept = keptSpans(text, retain);
  const outsideKept = ([a, b]: [number, number]): boolean => !kept.some(([c, d]) => a < d && b > c);
  const spans = remove
    .flatMap((r) => occurrences(text, r))
    .filter(([a, b]) => atWordBoundary(text, a, b) && outsideKept([a, b]));
  const first = cutSpans(text, spans);
  const firstFailures = failures(first, remove, retain);
  if (firstFailures.failedRemovals.length === 0) return { text: first, method: 'spans', ...firstFailures };
  const leaked = [...new Set(firstFailures.failedRemovals.flatMap((r) => leakedPieces(first, r)))];
  const keptNow = keptSpans(first, retain);
  const wordSpans: Array<[number, number]> = [];
  for (const m of first.matchAll(/\S+/g)) {
    const start = m.index;
    const end = start + m[0].length;
    if (keptNow.some(([a, b]) => start < b && end > a)) continue;
    const word = normalizeScorerText(m[0]);
    if (leaked.some((t) => word.includes(t))) wordSpans.push([start, end]);
  }
  const second = cutSpans(first, wordSpans);
  const secondFailures = failures(second, remove, retain);
  if (wordSpans.length > 0 && secondFailures.failedRemovals.length < firstFailures.failedRemovals.length)
    return { text: second, method: 'words', ...secondFailures };
  return { text: first, method: 'spans', ...firstFailures };
}

/** Stand-in values by VR for a Type 1 element whose whole value is PHI. */
const NEUTRAL_CANDIDATES: Partial<Record<Vr, readonly string[]>> = {
  PN: ['ANONYMOUS', 'REDACTED', 'NONE'],
  DA: ['19000101', '19010101'],
  DT: ['19000101', '19010101'],
  TM: ['000000', '120000'],
  AS: ['000Y', '001Y'],
  IS: ['0', '1'],
  DS: ['0', '1'],
  UI: ['2.25.0', '2.25.1'],
  CS: ['ANONYMIZED', 'REDACTED', 'NONE'],
};
const DEFAULT_NEUTRAL = ['ANONYMIZED', 'REDACTED', 'NONE', 'ZZZZ'];

/**
 * A neutral value for a VR that passes every removal (no token or text shared with any PHI text, in
 * either direction) and fits the VR; undefined when none of the candidates does.
 */
export function neutralValue(vr: Vr, remove: readonly string[]): string | undefined {
  for (const candidate of NEUTRAL_CANDIDATES[vr] ?? DEFAULT_NEUTRAL) {
    if (checkStringValue(vr, candidate) !== undefined) continue;
    if (
      remove.every(
        (r) =>
          validateText(candidate, r, 'remove').passed === true && sharedTokens(candidate, r).length === 0,
      )
    )
      return candidate;
  }
  return undefined;
}

/** Whether a value is, as the scorer compares text, exactly the given text. */
export const sameText = (value: string, text: string): boolean =>
  normalizeScorerText(value.trim()) === normalizeScorerText(text.trim());
