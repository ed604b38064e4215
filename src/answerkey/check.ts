/**
 * One answer-key check, as pseudophi plans it: the MIDI-B fields (shared/reference/midi-b-answer-key.md
 * section 2, unwrapped) plus normalized extras MIDI-B does not carry (the identity field the value came
 * from, its HIPAA kind, whether it is a decoy, the scorer's tokens). `assertCheckWellFormed` enforces the
 * consequences the reference page draws from how the script scores (sections 4 and 5).
 */
import { ACTIONS, type Action, type CheckCategories, HIPAA_KINDS, type HipaaKind } from '../phi/index.js';
import { PseudophiError } from '../errors/index.js';
import { analyzeTokens, tokensOf } from '../phi/scorer-text.js';

/** One check of one instance. Text fields are stored without the `<` `>` wrapping the key adds. */
export interface Check {
  /** The element path exactly as the script's indexer writes `tag_ds`: `<(0008,1140)>[<0000>]<(0008,1155)>`. */
  path: string;
  /** The leaf tag, `(0008,0050)`; for private elements the actual tag, `(0009,1004)`. */
  tag: string;
  /** pydicom's dictionary name: `Accession Number`, `[Suite id]`, `Private tag data`. */
  tagName: string;
  action: Action;
  /** The element value in the test file as the script prints it (`str(value).strip()`), unwrapped. */
  value: string;
  /** The text the check compares (PHI span, clean span, MD5 hex, pixel-box JSON), or null where unused. */
  actionText: string | null;
  categories: CheckCategories;
  /** Which identity field the value renders, e.g. `patient.name`, `study.referringPhysician`; null if none. */
  identityField: string | null;
  /** HIPAA kind of the inserted value (the source of `hipaa.m`), null for clean text and structural checks. */
  phiKind: HipaaKind | null;
  /** A realistic-looking value that is not PHI of this patient (a de-identifier should keep it). */
  isDecoy: boolean;
  /** The scorer's tokens of `actionText` (empty where the check is not a text check). */
  tokens: string[];
}

/** Checks made immutable by `freezeCheck`. */
const frozenChecks = new WeakSet<Check>();

/**
 * Freezes a check deeply (categories and tokens too) so that it can be shared: by the instances of a
 * series that get the same check, and by the writer's per-check caches (validation, encoding).
 */
export function freezeCheck(check: Check): Check {
  const c = check.categories;
  Object.freeze(c.hipaa);
  Object.freeze(c.dicom);
  Object.freeze(c.tcia);
  Object.freeze(c);
  Object.freeze(check.tokens);
  Object.freeze(check);
  frozenChecks.add(check);
  return check;
}

/** Whether `freezeCheck` made this check immutable. */
export const isFrozenCheck = (check: Check): boolean => frozenChecks.has(check);

/** Raised when a check breaks a rule of the answer-key contract; names the path and the rule. */
export class AnswerKeyError extends PseudophiError {
  constructor(
    readonly problem: string,
    readonly path?: string,
    readonly action?: string,
  ) {
    super(`answer-key check ${action ?? ''} ${path ?? ''}: ${problem}`.replace(/\s+/g, ' '), {
      path,
      action,
    });
  }
}

/** Where the scorer's reports file a check: category group and subcategory. */
export interface CheckCategoryLabel {
  group: 'hipaa' | 'dicom' | 'tcia';
  label: string;
}

/** Actions whose category is fixed by the scorer (reports_helper.check_category). */
const FIXED: Partial<Record<Action, CheckCategoryLabel>> = {
  date_shifted: { group: 'hipaa', label: 'HIPAA-C' },
  uid_changed: { group: 'hipaa', label: 'HIPAA-R' },
  pixels_hidden: { group: 'hipaa', label: 'HIPAA-A' },
  patid_consistent: { group: 'dicom', label: 'DICOM-P15-BASIC-C' },
  uid_consistent: { group: 'dicom', label: 'DICOM-P15-BASIC-U' },
  pixels_retained: { group: 'tcia', label: 'TCIA-P15-PIX-K' },
};

// The script tests Python truthiness, so an empty string counts as unset just like null.
const set = (v: string | null): v is string => v !== null && v !== '';

/**
 * The category and subcategory the scorer reports a check under (reference page section 5): fixed for
 * most actions, `dicom.iod` for tag_retained/text_notnull, the first set of hipaa.m, hipaa.z, tcia.p15,
 * tcia.ptkb, tcia.rev for text_removed and of tcia.p15, tcia.ptkb, tcia.rev for text_retained. Null is
 * the scorer's `unknown`.
 */
export function checkCategory(check: Pick<Check, 'action' | 'categories'>): CheckCategoryLabel | null {
  const fixed = FIXED[check.action];
  if (fixed) return fixed;
  const c = check.categories;
  if (check.action === 'tag_retained' || check.action === 'text_notnull')
    return set(c.dicom.iod) ? { group: 'dicom', label: c.dicom.iod } : null;
  const order: Array<[CheckCategoryLabel['group'], string | null]> =
    check.action === 'text_removed'
      ? [
          ['hipaa', c.hipaa.m],
          ['hipaa', c.hipaa.z],
          ['tcia', c.tcia.p15],
          ['tcia', c.tcia.ptkb],
          ['tcia', c.tcia.rev],
        ]
      : [
          ['tcia', c.tcia.p15],
          ['tcia', c.tcia.ptkb],
          ['tcia', c.tcia.rev],
        ];
  for (const [group, value] of order) if (set(value)) return { group, label: value };
  return null;
}

/** The subcategory label alone (`HIPAA-A`, `DICOM-IOD-1`, `TCIA-P15-DESC-C`), or null for `unknown`. */
export function checkCategoryLabel(check: Pick<Check, 'action' | 'categories'>): string | null {
  return checkCategory(check)?.label ?? null;
}

/** PS3.15 Table E.1-1 action codes as they appear in `dicom.p15`. */
export const PS315_ACTION_CODES: ReadonlySet<string> = new Set([
  'X',
  'Z',
  'D',
  'U',
  'K',
  'C',
  'X/Z',
  'X/D',
  'Z/D',
  'X/Z/D',
  'X/Z/U*',
]);

const HIPAA_LABEL = /^HIPAA-[A-R]$/;
const PATH = /^(?:<\((?:[0-9a-f]{4}),(?:[0-9a-f]{4}|"[^"]*",[0-9a-f]{2})\)>(?:\[<\d{4,}>\])?)+$/;
const TAG = /^\([0-9A-Fa-f]{4},[0-9A-Fa-f]{4}\)$/;
const TEXT_ACTIONS: ReadonlySet<Action> = new Set(['text_removed', 'text_retained']);
const VALUE_ACTIONS: ReadonlySet<Action> = new Set([
  'date_shifted',
  'uid_changed',
  'uid_consistent',
  'patid_consistent',
]);

function assertCategories(check: Check, fail: (problem: string) => never): void {
  const c = check.categories;
  if (
    !c ||
    !c.hipaa ||
    !c.dicom ||
    !c.tcia ||
    !('z' in c.hipaa && 'm' in c.hipaa) ||
    !('p15' in c.dicom && 'iod' in c.dicom && 'safe' in c.dicom) ||
    !('ptkb' in c.tcia && 'p15' in c.tcia && 'rev' in c.tcia) ||
    !('prev_cat' in c)
  )
    fail(
      'answer_category_v2 needs every key of hipaa{z,m}, dicom{p15,iod,safe}, tcia{ptkb,p15,rev}, prev_cat',
    );
  for (const v of [c.hipaa.z, c.hipaa.m])
    if (v !== null && !HIPAA_LABEL.test(v))
      fail(`hipaa category ${JSON.stringify(v)} is not HIPAA-A..HIPAA-R`);
  if (c.dicom.p15 !== null && !PS315_ACTION_CODES.has(c.dicom.p15))
    fail(`dicom.p15 ${JSON.stringify(c.dicom.p15)} is not a PS3.15 Table E.1-1 action code`);
  if (c.dicom.iod !== null && c.dicom.iod !== 'DICOM-IOD-1' && c.dicom.iod !== 'DICOM-IOD-2')
    fail(`dicom.iod ${JSON.stringify(c.dicom.iod)} is not DICOM-IOD-1 or DICOM-IOD-2`);
  if (c.tcia.ptkb !== null && c.tcia.ptkb !== 'TCIA-PTKB-K' && c.tcia.ptkb !== 'TCIA-PTKB-X')
    fail(`tcia.ptkb ${JSON.stringify(c.tcia.ptkb)} is not TCIA-PTKB-K or TCIA-PTKB-X`);
  if (c.tcia.p15 !== null && !c.tcia.p15.startsWith('TCIA-P15-'))
    fail(`tcia.p15 ${JSON.stringify(c.tcia.p15)} is not a TCIA-P15-* category`);
  if (c.tcia.rev !== null && c.tcia.rev !== 'TCIA-REV') fail(`tcia.rev must be TCIA-REV or null`);
}

function assertPixelBox(text: string, fail: (problem: string) => never): void {
  let box: unknown;
  try {
    box = JSON.parse(text);
  } catch {
    fail('pixels_hidden action_text is not JSON (the script drops the check)');
  }
  const b = box as { text?: unknown; top_left?: unknown; bottom_right?: unknown };
  const point = (p: unknown): p is [number, number] =>
    Array.isArray(p) && p.length === 2 && p.every((n) => Number.isInteger(n) && (n as number) >= 0);
  if (typeof b?.text !== 'string' || b.text.trim() === '') fail('pixels_hidden box needs non-empty "text"');
  if (!point(b.top_left) || !point(b.bottom_right))
    fail('pixels_hidden box needs integer pixel corners "top_left" and "bottom_right"');
  const [x0, y0] = b.top_left as [number, number];
  const [x1, y1] = b.bottom_right as [number, number];
  if (x1 <= x0 || y1 <= y0) fail('pixels_hidden box is empty (bottom_right must exceed top_left)');
}

/**
 * Throws AnswerKeyError unless a check can be scored as intended: a parseable path in the script's
 * lower-case form, a real action, category values of the right vocabulary with the ones the reporter
 * needs set, text checks with tokens left after stop-words and punctuation, value checks with a
 * non-empty value, well-formed pixel checks, and tokens consistent with the action text.
 */
export function assertCheckWellFormed(check: Check): void {
  const fail = (problem: string): never => {
    throw new AnswerKeyError(problem, check.path, check.action);
  };
  if (!PATH.test(check.path)) fail('path is not a tag_ds path in the script form (lower-case hex, <...>)');
  if (!TAG.test(check.tag)) fail(`tag ${JSON.stringify(check.tag)} is not (gggg,eeee)`);
  if (!(ACTIONS as readonly string[]).includes(check.action)) fail('unknown action');
  if (typeof check.tagName !== 'string') fail('tag_name must be a string');
  if (typeof check.value !== 'string') fail('value must be a string (the printed element value)');
  if (check.actionText === '') fail('empty action_text: a failing or blank result for every de-identifier');
  if (check.phiKind !== null && !(HIPAA_KINDS as readonly string[]).includes(check.phiKind))
    fail(`phiKind ${String(check.phiKind)} is not a HIPAA letter`);
  assertCategories(check, fail);
  const c = check.categories;

  if (TEXT_ACTIONS.has(check.action)) {
    if (check.actionText === null) fail(`${check.action} needs action_text`);
    const tokens = tokensOf(check.actionText!);
    if (tokens.length === 0)
      fail(
        `action_text ${JSON.stringify(check.actionText)} is only stop-words or punctuation (blank result)`,
      );
    if (JSON.stringify(tokens) !== JSON.stringify(check.tokens))
      fail(`tokens ${JSON.stringify(check.tokens)} are not the scorer's tokens ${JSON.stringify(tokens)}`);
  } else if (check.tokens.length !== 0) fail('only text checks carry tokens');

  if (check.action === 'text_removed') {
    if (![c.hipaa.m, c.hipaa.z, c.tcia.p15, c.tcia.ptkb, c.tcia.rev].some(set))
      fail('text_removed needs one of hipaa.m, hipaa.z, tcia.p15, tcia.ptkb, tcia.rev');
    if (check.phiKind !== null && set(c.hipaa.m) && c.hipaa.m !== `HIPAA-${check.phiKind}`)
      fail(`hipaa.m ${c.hipaa.m} contradicts phiKind ${check.phiKind}`);
  }
  if (check.action === 'text_retained') {
    if (![c.tcia.p15, c.tcia.ptkb, c.tcia.rev].some(set))
      fail('text_retained needs one of tcia.p15, tcia.ptkb, tcia.rev');
    if (check.phiKind !== null) fail('text_retained keeps clean text: phiKind must be null');
  }
  if (check.action === 'tag_retained' && !set(c.dicom.iod))
    fail('tag_retained needs dicom.iod DICOM-IOD-1 or DICOM-IOD-2');
  if (check.action === 'text_notnull' && c.dicom.iod !== 'DICOM-IOD-1')
    fail('text_notnull is for Type 1 attributes: dicom.iod must be DICOM-IOD-1');
  if (VALUE_ACTIONS.has(check.action) && check.value.replace(/\\/g, '') === '')
    fail(`${check.action} on an empty value always fails`);
  if (check.action === 'pixels_retained' && !/^[0-9a-f]{32}$/.test(check.actionText ?? ''))
    fail('pixels_retained action_text must be the lower-case MD5 hex of the stored Pixel Data');
  if (check.action === 'pixels_hidden') assertPixelBox(check.actionText ?? '', fail);
}

/**
 * Advice that is not a hard error: single-letter tokens (they match almost any value, reference page
 * section 4) and words whose sentence split depends on NLTK's trained model (src/phi/scorer-text.ts).
 */
export function checkWarnings(check: Check): string[] {
  if (!TEXT_ACTIONS.has(check.action) || check.actionText === null) return [];
  const out: string[] = [];
  const single = check.tokens.filter((t) => [...t].length === 1);
  if (check.action === 'text_removed' && single.length > 0)
    out.push(`single-letter PHI token(s) ${single.join(', ')} match almost any value`);
  const uncertain = analyzeTokens(check.actionText).uncertain;
  if (uncertain.length > 0) out.push(`tokenization of ${uncertain.join(', ')} depends on NLTK's Punkt model`);
  return out;
}

/** A check's scorer tokens for its action (text checks only), to fill `Check.tokens`. */
export function tokensForCheck(action: Action, actionText: string | null): string[] {
  return TEXT_ACTIONS.has(action) && actionText !== null ? tokensOf(actionText) : [];
}
