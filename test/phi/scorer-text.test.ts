import { describe, expect, it } from 'vitest';
import {
  analyzeTokens,
  evaluateTextCheck,
  isScorerNumber,
  leakedTokens,
  NLTK_ENGLISH_STOPWORDS_179,
  NLTK_ENGLISH_STOPWORDS_2025_ADDITIONS,
  normalizeScorerText,
  SCORER_PUNCTUATION,
  sentenceSplit,
  sharedTokens,
  tokensOf,
  treebankTokenize,
  validateText,
  wordTokenize,
} from '../../src/phi/scorer-text.js';

describe('normalization and number rule', () => {
  it('removes every < and > and lower-cases', () => {
    expect(normalizeScorerText('<DOE^JOHN>')).toBe('doe^john');
    expect(normalizeScorerText('<a<b>c>')).toBe('abc');
  });

  it.each([
    ['80', true],
    ['80.0', true],
    ['.5', true],
    ['5.', true],
    ['1.2.3', false],
    ['.', false],
    ['', false],
    ['-1', false],
    ['1e5', false],
    [' 80', false],
  ])('isScorerNumber(%j) is %s', (text, expected) => {
    expect(isScorerNumber(text)).toBe(expected);
  });
});

describe('stop-words', () => {
  it('is the 179-word NLTK list plus the 19 additions of 2025', () => {
    expect(NLTK_ENGLISH_STOPWORDS_179).toHaveLength(179);
    expect(new Set(NLTK_ENGLISH_STOPWORDS_179).size).toBe(179);
    expect(NLTK_ENGLISH_STOPWORDS_2025_ADDITIONS).toHaveLength(19);
    expect(SCORER_PUNCTUATION.size).toBe(32 + 6);
  });

  it('never meets an added contraction as a token: word_tokenize splits them', () => {
    for (const word of NLTK_ENGLISH_STOPWORDS_2025_ADDITIONS) expect(wordTokenize(word)).not.toContain(word);
  });
});

describe('word_tokenize', () => {
  it.each([
    ['dr. hicks', ['dr.', 'hicks']],
    ['dr. hicks.', ['dr.', 'hicks', '.']],
    ['mr breast bilateral w?', ['mr', 'breast', 'bilateral', 'w', '?']],
    ['march 4, 2019', ['march', '4', ',', '2019']],
    ['3,36 euros', ['3,36', 'euros']],
    ['587-44-3872', ['587-44-3872']],
    ['(139)060-6894x33', ['(', '139', ')', '060-6894x33']],
    ['stacy.gaines@example.com', ['stacy.gaines', '@', 'example.com']],
    ['15.04.2023', ['15.04.2023']],
    ['04/15/2023', ['04/15/2023']],
    ['dynamic-3dfgre: pe1', ['dynamic-3dfgre', ':', 'pe1']],
    ["i'm here", ['i', "'m", 'here']],
    ["can't stop", ['ca', "n't", 'stop']],
    ['cannot', ['can', 'not']],
    ['say "hi" now', ['say', '``', 'hi', "''", 'now']],
    ['wait... what', ['wait', '...', 'what']],
    ['a--b', ['a', '--', 'b']],
    ['j. smith', ['j.', 'smith']],
    ['seen 2019. then', ['seen', '2019.', 'then']],
    ['at the hospital. reviewed later', ['at', 'the', 'hospital', '.', 'reviewed', 'later']],
    [
      'good muffins cost $3.88 in new york.',
      ['good', 'muffins', 'cost', '$', '3.88', 'in', 'new', 'york', '.'],
    ],
  ])('%j', (text, expected) => {
    expect(wordTokenize(text)).toEqual(expected);
  });

  it('follows NLTK on its own doctest (Treebank part alone keeps inner periods)', () => {
    const s = 'Good muffins cost $3.88\nin New York.  Please buy me\ntwo of them.\nThanks.';
    expect(treebankTokenize(s)).toEqual(
      'Good muffins cost $ 3.88 in New York. Please buy me two of them. Thanks .'.split(' '),
    );
    expect(
      sentenceSplit('Good muffins cost $3.88\nin New York.  Please buy me\ntwo of them.\n\nThanks.'),
    ).toEqual(['Good muffins cost $3.88\nin New York.', 'Please buy me\ntwo of them.', 'Thanks.']);
  });

  it('realigns a closing bracket into the sentence before', () => {
    expect(sentenceSplit('(done here.) next one')).toEqual(['(done here.)', 'next one']);
  });
});

describe('tokensOf: the scorer tokens of generated PHI and clean text', () => {
  it.each([
    ['Ordered for Amy Wilson by Dr. Hicks', ['ordered', 'amy', 'wilson', 'dr.', 'hicks']],
    ['for Stacy Gaines', ['stacy', 'gaines']],
    ['MR Breast Bilateral w?', ['mr', 'breast', 'bilateral', 'w']],
    ['GAINES^STACY', ['gaines^stacy']],
    ['096-74-4054', ['096-74-4054']],
    ['2093 E Kesler Ln Chandler, AZ 85225', ['2093', 'e', 'kesler', 'ln', 'chandler', 'az', '85225']],
    ['(139)060-6894x33', ['139', '060-6894x33']],
    ['March 4, 2019', ['march', '4', '2019']],
    ['20190619', ['20190619']],
    ['Ordered for 8371727310 by PH', ['ordered', '8371727310', 'ph']],
    ['LT/RT FMPSPGR/SPECIAL', ['lt/rt', 'fmpspgr/special']],
    ['Compton, Holmes and Jones Hospital', ['compton', 'holmes', 'jones', 'hospital']],
    ['<THE>', []],
    ['<.>', []],
    ['of the and', []],
  ])('%j', (text, expected) => {
    expect(tokensOf(text)).toEqual(expected);
  });

  it('flags period-final words whose split depends on the NLTK model', () => {
    expect(analyzeTokens('Performed at Scott Hospital. Reviewed').uncertain).toEqual(['hospital.']);
    expect(analyzeTokens('Ordered by Dr. Hicks').uncertain).toEqual([]);
    expect(analyzeTokens('J. Smith on 2019. ok').uncertain).toEqual([]);
  });
});

describe('validateText', () => {
  it.each([
    // [file value, expected, method, passed, partial score, rule]
    ['80', '80.0', 'retain', true, 1, 'number'],
    ['80.0', '80', 'remove', false, 0, 'number'],
    ['81', '80', 'remove', true, 1, 'number'],
    // Two numbers compare as floats, so the substring trap of the reference page does not apply here...
    ['20230415', '2023', 'remove', true, 1, 'number'],
    // ...but it does as soon as the file value holds anything else.
    ['<STUDY 20230415>', '<2023>', 'remove', false, 0, 'substring'],
    ['<MR Breast Bilateral w? for Stacy Gaines>', '<MR Breast Bilateral w?>', 'retain', true, 1, 'substring'],
    ['<MR Breast Bilateral w?>', '<for Stacy Gaines>', 'remove', true, 1, 'tokens'],
    ['<MR Breast Bilateral w? for S.G.>', '<for Stacy Gaines>', 'remove', true, 1, 'tokens'],
    ['<MR Breast Bilateral w? for Stacy>', '<for Stacy Gaines>', 'remove', false, 0.5, 'tokens'],
    // A PN value is one token: re-ordering the components passes the removal check.
    ['<Gaines Stacy>', '<GAINES^STACY>', 'remove', true, 1, 'tokens'],
    ['<MR Breast>', '<MR Breast Bilateral w?>', 'retain', false, 0.5, 'tokens'],
    // Single-letter token `w` matches almost anything.
    ['<new value>', '<w?>', 'remove', false, 0, 'tokens'],
    // Stop-word or punctuation only: the script divides by zero, a blank result.
    ['<anything>', '<THE>', 'remove', null, null, 'error'],
    ['<anything>', '<.>', 'retain', null, null, 'error'],
    // Empty expected text is a substring of everything.
    ['<anything>', '<>', 'remove', false, 0, 'substring'],
  ] as const)('%j vs %j (%s)', (file, expected, method, passed, score, rule) => {
    expect(validateText(file, expected, method)).toEqual({ passed, partialScore: score, rule });
  });

  it('scores text_removed and text_retained with their presence rules', () => {
    expect(evaluateTextCheck('text_removed', undefined, 'x').passed).toBe(true);
    expect(evaluateTextCheck('text_removed', '<>', 'STACY').passed).toBe(true);
    expect(evaluateTextCheck('text_removed', '<REMOVED>', 'STACY').passed).toBe(true);
    expect(evaluateTextCheck('text_removed', '<STACY>', 'STACY').passed).toBe(false);
    expect(evaluateTextCheck('text_retained', undefined, 'CT').passed).toBe(false);
    expect(evaluateTextCheck('text_retained', '<>', 'CT').passed).toBe(false);
    expect(evaluateTextCheck('text_retained', '<CT CHEST>', 'CT').passed).toBe(true);
  });
});

describe('sharedTokens and leakedTokens', () => {
  it('finds a word shared by the clean and PHI parts', () => {
    expect(sharedTokens('CT Chest', 'for CT Smith')).toEqual(['ct']);
    expect(leakedTokens('for CT Smith', 'CT Chest')).toEqual(['ct']);
  });

  it('finds PHI tokens hidden inside clean words (substring search)', () => {
    expect(leakedTokens('at JG', 'Dynamic-3dfgre: PE1')).toEqual([]);
    expect(leakedTokens('by PE', 'Dynamic-3dfgre: PE1')).toEqual(['pe']);
    expect(leakedTokens('2019', 'p4 20190619')).toEqual(['2019']);
  });

  it('is empty for parts that can be scored independently', () => {
    expect(sharedTokens('MR Breast Bilateral w?', 'for Stacy Gaines')).toEqual([]);
    expect(sharedTokens('LT/RT FMPSPGR/SPECIAL', 'for 6505936988')).toEqual([]);
  });
});
