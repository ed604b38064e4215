/**
 * The MIDI-B scorer's text rules as pure functions (shared/reference/midi-b-answer-key.md section 4):
 * how `validate_text` in CBIIT/MIDI_validation_script (modules/curation_validator.py) normalizes, compares
 * numbers, tests substrings and, failing that, splits the expected text with NLTK `word_tokenize`, drops
 * English stop-words and punctuation, and searches each remaining token as a substring of the file value.
 *
 * `wordTokenize` re-implements NLTK >= 3.9 `word_tokenize` for the strings pseudophi generates: a Punkt
 * sentence splitter (nltk/tokenize/punkt.py) followed by the improved Treebank tokenizer
 * (nltk/tokenize/destructive.py, NLTKWordTokenizer). The Treebank part is a rule-for-rule port. The Punkt
 * part follows the algorithm exactly but cannot ship NLTK's trained English model (punkt_tab: learned
 * abbreviations, collocations, orthographic contexts): it knows a small set of abbreviations the model is
 * known to hold, assumes no collocations, and assumes a lower-case next word is never a sentence starter.
 * `analyzeTokens` reports where that approximation could differ, so planners can avoid such text.
 */

/** NLTK's English stop-word list (nltk_data corpora/stopwords/english) as it stood until 2025: 179 words. */
// prettier-ignore
export const NLTK_ENGLISH_STOPWORDS_179: readonly string[] = [
  'i', 'me', 'my', 'myself', 'we', 'our', 'ours', 'ourselves', 'you', "you're", "you've", "you'll",
  "you'd", 'your', 'yours', 'yourself', 'yourselves', 'he', 'him', 'his', 'himself', 'she', "she's",
  'her', 'hers', 'herself', 'it', "it's", 'its', 'itself', 'they', 'them', 'their', 'theirs',
  'themselves', 'what', 'which', 'who', 'whom', 'this', 'that', "that'll", 'these', 'those', 'am', 'is',
  'are', 'was', 'were', 'be', 'been', 'being', 'have', 'has', 'had', 'having', 'do', 'does', 'did',
  'doing', 'a', 'an', 'the', 'and', 'but', 'if', 'or', 'because', 'as', 'until', 'while', 'of', 'at',
  'by', 'for', 'with', 'about', 'against', 'between', 'into', 'through', 'during', 'before', 'after',
  'above', 'below', 'to', 'from', 'up', 'down', 'in', 'out', 'on', 'off', 'over', 'under', 'again',
  'further', 'then', 'once', 'here', 'there', 'when', 'where', 'why', 'how', 'all', 'any', 'both',
  'each', 'few', 'more', 'most', 'other', 'some', 'such', 'no', 'nor', 'not', 'only', 'own', 'same',
  'so', 'than', 'too', 'very', 's', 't', 'can', 'will', 'just', 'don', "don't", 'should', "should've",
  'now', 'd', 'll', 'm', 'o', 're', 've', 'y', 'ain', 'aren', "aren't", 'couldn', "couldn't", 'didn',
  "didn't", 'doesn', "doesn't", 'hadn', "hadn't", 'hasn', "hasn't", 'haven', "haven't", 'isn', "isn't",
  'ma', 'mightn', "mightn't", 'mustn', "mustn't", 'needn', "needn't", 'shan', "shan't", 'shouldn',
  "shouldn't", 'wasn', "wasn't", 'weren', "weren't", 'won', "won't", 'wouldn', "wouldn't",
];

/**
 * The 19 pronoun contractions nltk_data added in February 2025 (nltk/nltk_data PR 228, issue nltk#3358);
 * the script downloads the current list, so they are filtered too. word_tokenize splits every one of
 * them (`he'd` -> `he`, `'d`), so they can never equal a token: the two lists score identically.
 */
// prettier-ignore
export const NLTK_ENGLISH_STOPWORDS_2025_ADDITIONS: readonly string[] = [
  "they've", "i'll", "i'd", "they'll", "he's", "i'm", "he'd", "it'd", "i've", "it'll", "she'd",
  "they'd", "we'd", "we're", "we'll", "we've", "he'll", "they're", "she'll",
];

/** Every stop-word the scorer drops (compared exactly against lower-cased tokens). */
export const SCORER_STOPWORDS: ReadonlySet<string> = new Set([
  ...NLTK_ENGLISH_STOPWORDS_179,
  ...NLTK_ENGLISH_STOPWORDS_2025_ADDITIONS,
]);

/**
 * The punctuation tokens the scorer drops: Python's `string.punctuation`, one character each, plus the
 * six the script adds. Multi-character punctuation such as `''`, `--` or `...` is NOT in it and survives.
 */
export const SCORER_PUNCTUATION: ReadonlySet<string> = new Set([
  ...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  '\u201c',
  '\u201d',
  '\u2018',
  '\u2019',
  '``',
  '\u2022',
]);

/** The scorer's normalization: every `<` and `>` removed, then lower-cased (Python `str.lower`). */
export function normalizeScorerText(text: string): string {
  return text.replace(/[<>]/g, '').toLowerCase();
}

/**
 * Python `s.replace('.', '', 1).isdigit()`: digits with at most one dot and at least one digit. Only
 * ASCII digits are accepted; Python also accepts other Unicode digits, which pseudophi never writes.
 */
export function isScorerNumber(text: string): boolean {
  return /^[0-9]*\.?[0-9]*$/.test(text) && /[0-9]/.test(text);
}

// ---------------------------------------------------------------------------------------------
// Punkt sentence splitting (nltk/tokenize/punkt.py, PunktSentenceTokenizer with English defaults)
// ---------------------------------------------------------------------------------------------

/**
 * Abbreviations known to be in NLTK's English Punkt model (a token `dr.` before another word is not a
 * sentence end). A subset: the model holds some hundreds of learned types that are not published as
 * text in a form this project can ship.
 */
// prettier-ignore
export const PUNKT_KNOWN_ABBREVIATIONS: ReadonlySet<string> = new Set([
  'dr', 'mr', 'mrs', 'st', 'jr', 'inc', 'co', 'corp', 'ltd', 'u.s', 'e.g', 'i.e', 'etc', 'vs', 'a.m',
  'p.m',
]); // prettier-ignore

// PunktLanguageVars: characters that cannot be in words (sentence-end chars but '.'), word starts, multi-char punctuation.
const NON_WORD = String.raw`(?:[)";}\]*:@'({[?!])`;
const MULTI_CHAR = String.raw`(?:-{2,}|\.{2,}|(?:\.\s){2,}\.)`;
const WORD_START = '[^("`{\\[:;&#*@)}\\]\\-,]';
const PUNKT_WORD = new RegExp(
  String.raw`${MULTI_CHAR}|(?=${WORD_START})\S+?(?=\s|$|${NON_WORD}|${MULTI_CHAR}|,(?=$|\s|${NON_WORD}|${MULTI_CHAR}))|\S`,
  'gu',
);
const PERIOD_CONTEXT = new RegExp(String.raw`[.?!](?=(?<after>${NON_WORD}|\s+(?<next>\S+)))`, 'gdu');
const BOUNDARY_REALIGNMENT = /^["')\]}]+?(?:\s+|(?=--)|$)/mu;
const RE_NUMERIC = /^-?[.,]?\p{Nd}[\p{Nd},.-]*\.?$/u;
const RE_INITIAL = /^[\p{L}_]\.$/u;
const ORTHO_PUNCTUATION = new Set([';', ':', ',', '.', '!', '?']);

interface PunktToken {
  tok: string;
  type: string;
  periodFinal: boolean;
  sentbreak: boolean;
  abbr: boolean;
  ellipsis: boolean;
}

const punktToken = (tok: string): PunktToken => ({
  tok,
  type: RE_NUMERIC.test(tok.toLowerCase()) ? '##number##' : tok.toLowerCase(),
  periodFinal: tok.endsWith('.'),
  sentbreak: false,
  abbr: false,
  ellipsis: false,
});

const typeNoPeriod = (t: PunktToken): string =>
  t.type.length > 1 && t.type.endsWith('.') ? t.type.slice(0, -1) : t.type;

const punktWords = (text: string): PunktToken[] =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => (line.match(PUNKT_WORD) ?? []).map(punktToken));

/** Punkt's first pass: sentence-end characters, ellipses, abbreviations, other period-final words. */
function firstPass(t: PunktToken, abbreviations: ReadonlySet<string>): void {
  if (t.tok === '.' || t.tok === '?' || t.tok === '!') t.sentbreak = true;
  else if (/^\.\.+$/.test(t.tok)) t.ellipsis = true;
  else if (t.periodFinal && !t.tok.endsWith('..')) {
    const stem = t.tok.slice(0, -1).toLowerCase();
    if (abbreviations.has(stem) || abbreviations.has(stem.split('-').pop() ?? '')) t.abbr = true;
    else t.sentbreak = true;
  }
}

/**
 * Punkt's orthographic heuristic without the trained contexts: punctuation never starts a sentence, a
 * lower-case word is taken as not starting one (true unless the model saw it only sentence-initially in
 * lower case), anything else is unknown. The scorer lower-cases first, so upper case never occurs.
 */
function orthoHeuristic(t: PunktToken): boolean | 'unknown' {
  if (ORTHO_PUNCTUATION.has(t.tok)) return false;
  const first = t.tok[0] ?? '';
  if (first !== first.toUpperCase() && first === first.toLowerCase()) return false;
  return 'unknown';
}

/** Punkt's second pass over a pair: initials and ordinals before a non-starter are not breaks. */
function secondPass(t1: PunktToken, t2: PunktToken | undefined): void {
  if (!t2 || !t1.periodFinal) return;
  const isInitial = RE_INITIAL.test(t1.tok);
  // Collocations (4.1.2) and frequent sentence starters (4.1.3) need the trained model: none assumed.
  if ((t1.abbr || t1.ellipsis) && !isInitial) {
    if (orthoHeuristic(t2) === true) t1.sentbreak = true;
    return;
  }
  if (isInitial || typeNoPeriod(t1) === '##number##') {
    if (orthoHeuristic(t2) === false) {
      t1.sentbreak = false;
      t1.abbr = true;
    }
  }
}

function containsSentBreak(context: string, abbreviations: ReadonlySet<string>): boolean {
  const tokens = punktWords(context);
  tokens.forEach((t) => firstPass(t, abbreviations));
  tokens.forEach((t, i) => secondPass(t, tokens[i + 1]));
  let found = false;
  for (const t of tokens) {
    if (found) return true;
    if (t.sentbreak) found = true;
  }
  return false;
}

const lastWhitespaceIndex = (text: string): number => {
  for (let i = text.length - 1; i >= 0; i--) if (' \t\n\r\v\f'.includes(text[i]!)) return i;
  return 0;
};

/**
 * Candidate sentence ends with the word before each, as NLTK >= 3.8.2 `_match_potential_end_contexts`
 * pairs them (a candidate whose word overlaps the previous candidate's is dropped, and a whitespace at
 * offset 0 of the gap counts as none, as in NLTK).
 */
function potentialEndContexts(
  text: string,
): Array<{ end: number; nextStart: number | undefined; context: string }> {
  const out: Array<{ end: number; nextStart: number | undefined; context: string }> = [];
  let prevStart = 0;
  let prevStop = 0;
  let prev: RegExpMatchArray | undefined;
  const emit = (m: RegExpMatchArray, wordStart: number, wordStop: number): void => {
    const nextIdx = m.indices?.groups?.['next'];
    out.push({
      end: m.index! + m[0].length,
      nextStart: nextIdx ? nextIdx[0] : undefined,
      context: text.slice(wordStart, wordStop) + m[0] + (m.groups?.['after'] ?? ''),
    });
  };
  for (const m of text.matchAll(PERIOD_CONTEXT)) {
    const idx = lastWhitespaceIndex(text.slice(prevStop, m.index));
    const wordStart = idx ? prevStop + idx + 1 : prevStart;
    if (prev && prevStop <= wordStart) emit(prev, prevStart, prevStop);
    prev = m;
    prevStart = wordStart;
    prevStop = m.index;
  }
  if (prev) emit(prev, prevStart, prevStop);
  return out;
}

/** NLTK `sent_tokenize(text)` (English), with the approximations described at the top of this file. */
export function sentenceSplit(
  text: string,
  abbreviations: ReadonlySet<string> = PUNKT_KNOWN_ABBREVIATIONS,
): string[] {
  const slices: Array<[number, number]> = [];
  let lastBreak = 0;
  for (const c of potentialEndContexts(text)) {
    if (containsSentBreak(c.context, abbreviations)) {
      slices.push([lastBreak, c.end]);
      lastBreak = c.nextStart ?? c.end;
    }
  }
  slices.push([lastBreak, text.replace(/\s+$/u, '').length]);
  // _realign_boundaries: closing quotes/brackets after a break belong to the sentence before.
  const out: string[] = [];
  let realign = 0;
  for (let i = 0; i < slices.length; i++) {
    const [s1Start0, s1End] = slices[i]!;
    const s1Start = s1Start0 + realign;
    const next = slices[i + 1];
    if (!next) {
      const s = text.slice(s1Start, s1End);
      if (s) out.push(s);
      continue;
    }
    const m = BOUNDARY_REALIGNMENT.exec(text.slice(next[0], next[1]));
    if (m) {
      out.push(text.slice(s1Start, next[0] + m[0].replace(/\s+$/u, '').length));
      realign = m[0].length;
    } else {
      realign = 0;
      const s = text.slice(s1Start, s1End);
      if (s) out.push(s);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Treebank word tokenization (nltk/tokenize/destructive.py, NLTKWordTokenizer.tokenize)
// ---------------------------------------------------------------------------------------------

// Python's `\w`, `\d` and `$` (end, or before a final newline) in JavaScript terms.
const W = String.raw`[\p{L}\p{N}_]`;
const END = String.raw`(?=\n?$)`;
const rx = (source: string, flags = ''): RegExp => new RegExp(source, `gu${flags}`);

const TREEBANK_STEPS: ReadonlyArray<readonly [RegExp, string]> = [
  // STARTING_QUOTES
  [rx('([«“‘„]|[`]+)'), ' $1 '],
  [rx('^"'), '``'],
  [rx('(``)'), ' $1 '],
  [rx(`([ ([{<])("|'{2})`), '$1 `` '],
  [rx(`(?<!${W})(')(?!(?:re|ve|ll|m|t|s|d|n)(?!${W}))(?=${W})`, 'i'), '$1 '],
  // PUNCTUATION
  [rx(`([^.])(\\.)([\\])}>"'»”’ ]*)\\s*${END}`), '$1 $2 $3 '],
  [rx('([:,])([^\\p{Nd}])'), ' $1 $2'],
  [rx(`([:,])${END}`), ' $1 '],
  [rx('\\.{2,}'), ' $& '],
  [rx('[;@#$%&]'), ' $& '],
  [rx('[\u2012-\u2015]'), ' $& '],
  [rx(`([^.])(\\.)([\\])}>"']*)\\s*${END}`), '$1 $2$3 '],
  [rx('[?!]'), ' $& '],
  [rx("([^'])' "), "$1 ' "],
  [rx('[*]'), ' $& '],
  // PARENS_BRACKETS, DOUBLE_DASHES
  [rx('[\\][(){}<>]'), ' $& '],
  [rx('--'), ' -- '],
];

const ENDING_STEPS: ReadonlyArray<readonly [RegExp, string]> = [
  [rx('([»”’])'), ' $1 '],
  [rx("''"), " '' "],
  [rx('"'), " '' "],
  [rx('\\s+'), ' '],
  [rx("([^' ])('[sS]|'[mM]|'[dD]|') "), '$1 $2 '],
  [rx("([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) "), '$1 $2 '],
];

const B = (s: string): string => `(?<!${W})${s}(?!${W})`;
const CONTRACTION_STEPS: ReadonlyArray<RegExp> = [
  rx(B('(can)(not)'), 'i'),
  rx(B("(d)('ye)"), 'i'),
  rx(B('(gim)(me)'), 'i'),
  rx(B('(gon)(na)'), 'i'),
  rx(B('(got)(ta)'), 'i'),
  rx(B('(lem)(me)'), 'i'),
  rx(B("(more)('n)"), 'i'),
  rx(`(?<!${W})(wan)(na)(?=\\s)`, 'i'),
  rx(`(?:^| )('t)(is)(?!${W})`, 'i'),
  rx(`(?:^| )('t)(was)(?!${W})`, 'i'),
];

/** NLTKWordTokenizer.tokenize for one sentence. */
export function treebankTokenize(sentence: string): string[] {
  let text = sentence;
  for (const [re, to] of TREEBANK_STEPS) text = text.replace(re, to);
  text = ` ${text} `;
  for (const [re, to] of ENDING_STEPS) text = text.replace(re, to);
  for (const re of CONTRACTION_STEPS)
    text = text.replace(re, (m, a: string, b: string) => `${m.startsWith(' ') ? ' ' : ''} ${a} ${b} `);
  return text.split(/\s+/u).filter((t) => t !== '');
}

/** NLTK `word_tokenize(text)`: Punkt sentences, then Treebank tokens of each. */
export function wordTokenize(text: string): string[] {
  return sentenceSplit(text).flatMap(treebankTokenize);
}

/** True when the scorer drops a token (stop-word or single punctuation). */
export const isDroppedToken = (token: string): boolean =>
  SCORER_STOPWORDS.has(token) || SCORER_PUNCTUATION.has(token);

/** Memo of tokensOf: the same texts (dates, codes, names) recur across every instance of a dataset. */
const tokenMemo = new Map<string, readonly string[]>();
const TOKEN_MEMO_LIMIT = 100_000;

/** The scorer's tokens of an expected text: normalized, word-tokenized, stop-words and punctuation dropped. */
export function tokensOf(text: string): string[] {
  let tokens = tokenMemo.get(text);
  if (!tokens) {
    tokens = wordTokenize(normalizeScorerText(text)).filter((t) => !isDroppedToken(t));
    if (tokenMemo.size >= TOKEN_MEMO_LIMIT) tokenMemo.clear();
    tokenMemo.set(text, tokens);
  }
  return [...tokens];
}

/** Tokens plus the places where the Punkt approximation could split differently from NLTK's model. */
export interface TokenAnalysis {
  tokens: string[];
  /** Period-final words followed by more text whose abbreviation status only NLTK's model knows. */
  uncertain: string[];
}

/** `tokensOf` with a report of model-dependent decisions, for planners that must be sure of the tokens. */
export function analyzeTokens(text: string): TokenAnalysis {
  const normalized = normalizeScorerText(text);
  const uncertain: string[] = [];
  const words = normalized.split(/\s+/u).filter((w) => w !== '');
  words.forEach((w, i) => {
    if (i === words.length - 1 || !w.endsWith('.') || /^\.+$/.test(w)) return;
    const stem = w.slice(0, -1).replace(/^[("`{[:;&#*@)}\]\-,]+/u, '');
    if (RE_INITIAL.test(`${stem}.`) || RE_NUMERIC.test(w) || PUNKT_KNOWN_ABBREVIATIONS.has(stem)) return;
    uncertain.push(w);
  });
  return { tokens: tokensOf(text), uncertain };
}

// ---------------------------------------------------------------------------------------------
// validate_text and the planner rules built on it
// ---------------------------------------------------------------------------------------------

/** Which comparison `validate_text` would use. */
export type TextMethod = 'retain' | 'remove';

/** One `validate_text` outcome; `passed` null is the scorer's blank (an exception inside the check). */
export interface TextResult {
  passed: boolean | null;
  partialScore: number | null;
  rule: 'number' | 'substring' | 'tokens' | 'error';
}

/**
 * `validate_text(file_value, answer_value, method)`: numbers as floats, else the substring test, else
 * the token test (partial score = share of tokens kept or removed). No tokens left (stop-words or
 * punctuation only) divides by zero in the script: a blank result for every de-identifier.
 */
export function validateText(fileValue: string, expected: string, method: TextMethod): TextResult {
  const file = normalizeScorerText(fileValue);
  const answer = normalizeScorerText(expected);
  const retain = method === 'retain';
  if (isScorerNumber(file) && isScorerNumber(answer)) {
    const same = Number(file) === Number(answer);
    const passed = retain ? same : !same;
    return { passed, partialScore: passed ? 1 : 0, rule: 'number' };
  }
  if (file.includes(answer)) return { passed: retain, partialScore: retain ? 1 : 0, rule: 'substring' };
  const tokens = wordTokenize(answer).filter((t) => !isDroppedToken(t));
  if (tokens.length === 0) return { passed: null, partialScore: null, rule: 'error' };
  const kept = tokens.filter((t) => file.includes(t)).length;
  const removed = tokens.length - kept;
  return retain
    ? { passed: kept === tokens.length, partialScore: kept / tokens.length, rule: 'tokens' }
    : { passed: removed === tokens.length, partialScore: removed / tokens.length, rule: 'tokens' };
}

/**
 * How the scorer judges a text_removed or text_retained check against the element's value in a file
 * (`undefined` = element absent). text_removed passes on absent or empty; text_retained fails on absent
 * and on an empty value (the script's `validate_text('', ...)`).
 */
export function evaluateTextCheck(
  action: 'text_removed' | 'text_retained',
  fileValue: string | undefined,
  actionText: string,
): TextResult {
  if (action === 'text_removed') {
    if (
      fileValue === undefined ||
      normalizeScorerText(fileValue) === '' ||
      fileValue === 'REMOVED' ||
      fileValue === '<REMOVED>'
    )
      return { passed: true, partialScore: 1, rule: 'substring' };
    return validateText(fileValue, actionText, 'remove');
  }
  if (fileValue === undefined) return { passed: false, partialScore: 0, rule: 'substring' };
  return validateText(fileValue, actionText, 'retain');
}

/**
 * The tokens of `phi` that a perfect de-identification leaving only `clean` would still contain, i.e.
 * what makes the text_removed check of `phi` unpassable: the whole normalized `phi` if it is a substring
 * of `clean`, else each scorer token of `phi` found as a substring of normalized `clean`.
 */
export function leakedTokens(phi: string, clean: string): string[] {
  const c = normalizeScorerText(clean);
  const p = normalizeScorerText(phi);
  if (p !== '' && c.includes(p)) return [p];
  return [...new Set(tokensOf(phi).filter((t) => c.includes(t)))].sort();
}

/**
 * Tokens shared by two parts of one field (the planner rule "the clean and PHI parts of one field share
 * no token"): every scorer token of either text found as a substring of the other's normalized text.
 * Empty when the two parts can be scored independently.
 */
export function sharedTokens(a: string, b: string): string[] {
  return [...new Set([...leakedTokens(a, b), ...leakedTokens(b, a)])].sort();
}
