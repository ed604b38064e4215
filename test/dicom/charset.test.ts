/**
 * The Specific Character Set codec on byte strings built here, with the expected bytes of the standard's
 * examples (PS3.5 Annexes H, I, J, K) and of single-byte text whose bytes follow from ISO 8859; the files
 * python3-pydicom ships are checked in test/interop/charset.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  CharacterSetError,
  codecFor,
  extendCharacterSet,
  parseSpecificCharacterSet,
  toSpecificCharacterSetValue,
} from '../../src/dicom/index.js';

const ESC = '\x1b';
/** Bytes from a Latin-1 string (one byte per character), as the standard prints its examples. */
const bytes = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const show = (b: Uint8Array): string => Buffer.from(b).toString('latin1').replaceAll(ESC, '<ESC>');

/** [Specific Character Set, VR, text, expected bytes as Latin-1 text, where the example comes from]. */
const EXAMPLES: ReadonlyArray<readonly [string, string, string, string, string]> = [
  [
    '\\ISO 2022 IR 87',
    'PN',
    'Yamada^Tarou=山田^太郎=やまだ^たろう',
    `Yamada^Tarou=${ESC}$B;3ED${ESC}(B^${ESC}$BB@O:${ESC}(B=${ESC}$B$d$^$@${ESC}(B^${ESC}$B$?$m$&${ESC}(B`,
    'PS3.5 H.3.1',
  ],
  [
    'ISO 2022 IR 13\\ISO 2022 IR 87',
    'PN',
    'ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう',
    `\xd4\xcf\xc0\xde^\xc0\xdb\xb3=${ESC}$B;3ED${ESC}(J^${ESC}$BB@O:${ESC}(J=${ESC}$B$d$^$@${ESC}(J^${ESC}$B$?$m$&${ESC}(J`,
    'PS3.5 H.3.2',
  ],
  [
    '\\ISO 2022 IR 149',
    'PN',
    'Hong^Gildong=洪^吉洞=홍^길동',
    `Hong^Gildong=${ESC}$)C\xfb\xf3^${ESC}$)C\xd1\xce\xd4\xd7=${ESC}$)C\xc8\xab^${ESC}$)C\xb1\xe6\xb5\xbf`,
    'PS3.5 I.2',
  ],
  [
    'ISO_IR 192',
    'PN',
    'Wang^XiaoDong=王^小東=',
    'Wang^XiaoDong=\xe7\x8e\x8b^\xe5\xb0\x8f\xe6\x9d\xb1=',
    'PS3.5 J.1',
  ],
  ['GB18030', 'PN', 'Wang^XiaoDong=王^小东=', 'Wang^XiaoDong=\xcd\xf5^\xd0\xa1\xb6\xab=', 'PS3.5 K.1'],
  [
    '\\ISO 2022 IR 58',
    'PN',
    'Zhang^XiaoDong=张^小东=',
    `Zhang^XiaoDong=${ESC}$)A\xd5\xc5^${ESC}$)A\xd0\xa1\xb6\xab=`,
    'PS3.5 K.2',
  ],
  // Single-byte sets without code extensions: the Patient Names of the classic DICOM character set test
  // files (their bytes are ISO 8859-n by definition).
  ['ISO_IR 100', 'PN', 'Buc^Jérôme', 'Buc^J\xe9r\xf4me', 'ISO 8859-1'],
  ['ISO_IR 100', 'PN', 'Äneas^Rüdiger', '\xc4neas^R\xfcdiger', 'ISO 8859-1'],
  ['ISO_IR 126', 'PN', 'Διονυσιος', '\xc4\xe9\xef\xed\xf5\xf3\xe9\xef\xf2', 'ISO 8859-7'],
  ['ISO_IR 144', 'PN', 'Люкceмбypг', '\xbb\xee\xdace\xdc\xd1yp\xd3', 'ISO 8859-5'],
  ['ISO_IR 138', 'PN', 'שרון^דבורה', '\xf9\xf8\xe5\xef^\xe3\xe1\xe5\xf8\xe4', 'ISO 8859-8'],
  ['ISO_IR 127', 'PN', 'قباني^لنزار', '\xe2\xc8\xc7\xe6\xea^\xe4\xe6\xd2\xc7\xd1', 'ISO 8859-6'],
  ['ISO_IR 101', 'PN', 'Dvořák^Łukasz', 'Dvo\xf8\xe1k^\xa3ukasz', 'ISO 8859-2'],
  ['ISO_IR 148', 'PN', 'Yılmaz^Şükrü', 'Y\xfdlmaz^\xde\xfckr\xfc', 'ISO 8859-9'],
  ['ISO_IR 203', 'LO', 'Œuvre 5€', '\xbcuvre 5\xa4', 'ISO 8859-15'],
  ['ISO_IR 166', 'LO', 'สมชาย', '\xca\xc1\xaa\xd2\xc2', 'TIS 620'],
  ['ISO_IR 13', 'PN', 'ﾔﾏﾀﾞ^ﾀﾛｳ', '\xd4\xcf\xc0\xde^\xc0\xdb\xb3', 'JIS X 0201'],
  // Code extensions with single-byte G1 sets (PS3.5 6.1.2.5.3): value 1's G1 is active at the start and
  // is designated again before the value ends.
  [
    'ISO 2022 IR 100\\ISO 2022 IR 126',
    'PN',
    'Jérôme^Διονυσιος',
    `J\xe9r\xf4me^${ESC}-F\xc4\xe9\xef\xed\xf5\xf3\xe9\xef\xf2${ESC}-A`,
    'PS3.5 6.1.2.5.3',
  ],
  ['ISO 2022 IR 100\\ISO 2022 IR 87', 'LO', 'Café 山田', `Caf\xe9 ${ESC}$B;3ED${ESC}(B`, 'PS3.5 6.1.2.5.3'],
  // Korean in LO: `^` is no delimiter outside PN, so KS X 1001 stays designated across it.
  ['\\ISO 2022 IR 149', 'LO', '홍^길동', `${ESC}$)C\xc8\xab^\xb1\xe6\xb5\xbf`, 'PS3.5 6.1.2.5.3'],
  // A space is ASCII (G0); JIS X 0208 is left for it and re-entered.
  [
    '\\ISO 2022 IR 87',
    'LO',
    'やまだ たろう',
    `${ESC}$B$d$^$@${ESC}(B ${ESC}$B$?$m$&${ESC}(B`,
    'PS3.5 6.1.2.5.3',
  ],
  // Multiple values and line breaks: back to ASCII before `\` and before CR LF.
  [
    '\\ISO 2022 IR 87',
    'LO',
    'やまだ\\たろう',
    `${ESC}$B$d$^$@${ESC}(B\\${ESC}$B$?$m$&${ESC}(B`,
    'PS3.5 6.1.2.5.3',
  ],
  [
    '\\ISO 2022 IR 87',
    'LT',
    'やまだ\r\nたろう',
    `${ESC}$B$d$^$@${ESC}(B\r\n${ESC}$B$?$m$&${ESC}(B`,
    'PS3.5 6.1.2.5.3',
  ],
  // JIS X 0212 (丂 is row 16, cell 1 of JIS X 0212; 山 is in JIS X 0208, declared first).
  [
    'ISO 2022 IR 6\\ISO 2022 IR 87\\ISO 2022 IR 159',
    'LO',
    '丂山',
    `${ESC}$(D\x30\x21${ESC}$B;3${ESC}(B`,
    'PS3.3 Table C.12-4',
  ],
  // GB18030 four-byte sequences: U+0080 is the first BMP pointer, U+20000 the first supplementary one.
  ['GB18030', 'LO', '\u0080𠀀', '\x81\x30\x81\x30\x95\x32\x82\x36', 'GB 18030 6.3.3'],
  ['GBK', 'LO', '张三', '\xd5\xc5\xc8\xfd', 'GBK'],
];

describe('the standard examples, encoded and decoded', () => {
  for (const [value, vr, text, expected, source] of EXAMPLES) {
    it(`${source}: ${value} ${vr} ${text}`, () => {
      const codec = codecFor(parseSpecificCharacterSet(value));
      const encoded = codec.encode(text, vr);
      expect(show(encoded)).toBe(show(bytes(expected)));
      expect(codec.decode(bytes(expected), vr)).toBe(text);
    });
  }
});

describe('delimiters and value 1', () => {
  it('PN rules apply when no VR is given (valid for every VR)', () => {
    const codec = codecFor(['', 'ISO 2022 IR 149']);
    expect(show(codec.encode('홍^길동'))).toBe(show(codec.encode('홍^길동', 'PN')));
  });

  it('maps the cells where the standards and the Windows code pages differ as the standards do', () => {
    const jis = codecFor(['', 'ISO 2022 IR 87']);
    expect(jis.decode(bytes(`${ESC}$B!]!A!B!q!r"L${ESC}(B`))).toBe('\u2212\u301c\u2016\u00a2\u00a3\u00ac');
    expect(show(jis.encode('−〜'))).toBe(show(bytes(`${ESC}$B!]!A${ESC}(B`)));
    const korean = codecFor(['', 'ISO 2022 IR 149']);
    expect(korean.decode(bytes(`${ESC}$)C\xa2\xe6\xa2\xe7`))).toBe('€®');
    const gb2312 = codecFor(['', 'ISO 2022 IR 58']);
    expect(gb2312.decode(bytes(`${ESC}$)A\xa1\xa4\xa1\xaa`))).toBe('\u30fb\u2015');
  });

  it('decodes KS X 1001 bytes that lack their escape sequence with the declared G1 set', () => {
    expect(codecFor(['', 'ISO 2022 IR 149']).decode(bytes('\xc8\xab^\xb1\xe6\xb5\xbf'), 'PN')).toBe(
      '홍^길동',
    );
  });

  it('goes back to value 1 at a delimiter when decoding a PN', () => {
    // After `=`, the Greek G1 of the first group no longer applies: the next group starts in Latin-1.
    const codec = codecFor(['ISO 2022 IR 100', 'ISO 2022 IR 126']);
    expect(codec.decode(bytes(`${ESC}-F\xc4=\xc4`), 'PN')).toBe('Δ=Ä');
    expect(codec.decode(bytes(`${ESC}-F\xc4=\xc4`), 'LO')).toBe('Δ=Δ');
    expect(codec.decode(bytes(`${ESC}-F\xc4=\xc4`))).toBe('Δ=Δ');
  });

  it('keeps existing single-byte behaviour: no value decodes and writes Latin-1 bytes one to one', () => {
    expect(hex(codecFor(['']).encode('ABC'))).toBe('414243');
    expect(codecFor(['']).latin1).toBe(true);
    expect(codecFor(['ISO_IR 100']).latin1).toBe(true);
    expect(codecFor(['', 'ISO 2022 IR 87']).latin1).toBe(false);
    expect(codecFor(['']).decode(bytes('\xe9'))).toBe('é');
  });

  it('accepts both spellings of a term and writes the DICOM one', () => {
    expect(parseSpecificCharacterSet('ISO_IR_100')).toEqual(['ISO_IR 100']);
    expect(toSpecificCharacterSetValue(['', 'ISO_IR_192'])).toBe('\\ISO_IR 192');
    expect(hex(codecFor(['ISO_IR_126']).encode('Δ'))).toBe('c4');
  });
});

describe('encodesUnambiguously', () => {
  it('flags a multi-byte character holding a byte readers split raw values at', () => {
    const jis = codecFor(['', 'ISO 2022 IR 87']);
    // そ is JIS X 0208 0x243D ('=' in its second byte), ぼ is 0x245C ('\\'), ま is 0x245E ('^').
    expect(jis.encodesUnambiguously('Sota=そうた', 'PN')).toBe(false);
    expect(jis.encodesUnambiguously('そうた', 'LO')).toBe(true);
    expect(jis.encodesUnambiguously('ぼ', 'LO')).toBe(false);
    expect(jis.encodesUnambiguously('ぼ', 'LT')).toBe(true);
    expect(jis.encodesUnambiguously('やまだ^たろう', 'PN')).toBe(true);
    expect(hex(jis.encode('ま'))).toBe('1b2442245e1b2842');
    const gb = codecFor(['GB18030']);
    // 乗 is GB18030 0x81 0x5C.
    expect(hex(gb.encode('乗'))).toBe('815c');
    expect(gb.encodesUnambiguously('乗', 'PN')).toBe(false);
    expect(gb.encodesUnambiguously('乗', 'UT')).toBe(true);
    expect(codecFor(['ISO_IR 192']).encodesUnambiguously('そ乗', 'PN')).toBe(true);
    expect(jis.encodesUnambiguously('홍', 'LT')).toBe(false);
  });
});

describe('refusals', () => {
  const cases: ReadonlyArray<readonly [string[], string]> = [
    [[''], 'é'],
    [['ISO_IR 100'], 'Δ'],
    [['', 'ISO 2022 IR 87'], '홍'],
    [['', 'ISO 2022 IR 87'], 'ｱ'], // half-width katakana needs ISO 2022 IR 13
    [['ISO 2022 IR 13', 'ISO 2022 IR 87'], '~'], // romaji 0x7E is OVERLINE, not TILDE
    [['GBK'], '𠀀'],
    [['ISO_IR 192'], '\ud800'],
    // Cells where Windows code pages (Node's decoders) and the national standards (pydicom, iconv) disagree:
    // only the standard's character is written.
    [['', 'ISO 2022 IR 87'], '\uff0d'], // JIS X 0208 0x215D is MINUS SIGN U+2212
    [['', 'ISO 2022 IR 87'], '\uff5e'], // 0x2141 is WAVE DASH U+301C
    [['', 'ISO 2022 IR 58'], '\u00b7'], // GB 2312 0x2124 is KATAKANA MIDDLE DOT U+30FB
    [['', 'ISO 2022 IR 149'], '\u3164'], // not in KS X 1001
    [['GB18030'], '\ufe10'], // two bytes in the 2022 edition, four bytes in 2005
  ];
  for (const [terms, text] of cases) {
    it(`${terms.join('\\')} cannot hold ${JSON.stringify(text)}`, () => {
      const codec = codecFor(terms);
      expect(codec.canEncode(text)).toBe(false);
      expect(() => codec.encode(text)).toThrow(CharacterSetError);
    });
  }
});

/** Every character of a two-byte set: decode the whole square, then encode it back. */
function roundTripSquare(terms: string[], escape: string, gr: boolean): void {
  const codec = codecFor(terms);
  let count = 0;
  for (let row = 0x21; row <= 0x7e; row++) {
    for (let cell = 0x21; cell <= 0x7e; cell++) {
      const pair = gr ? [row | 0x80, cell | 0x80] : [row, cell];
      const encoded = Uint8Array.from([...bytes(escape), ...pair, ...(gr ? [] : bytes(`${ESC}(B`))]);
      const text = codec.decode(encoded, 'LO');
      if ([...text].length !== 1 || text === '\ufffd' || !codec.canEncode(text)) continue;
      count++;
      expect(codec.decode(codec.encode(text, 'LO'), 'LO')).toBe(text);
    }
  }
  expect(count).toBeGreaterThan(5000);
}

describe('every character of each set survives encode and decode', () => {
  it('single-byte sets, with and without code extensions', () => {
    for (const ir of [100, 101, 109, 110, 144, 127, 126, 138, 148, 203, 166]) {
      // TIS 620 (ISO-IR 166) leaves 0xA0 undefined; Node's windows-874 decodes it as NO-BREAK SPACE.
      const from = ir === 166 ? 0xa1 : 0xa0;
      const upper = Uint8Array.from({ length: 0x100 - from }, (_, i) => from + i);
      for (const terms of [[`ISO_IR ${ir}`], [`ISO 2022 IR ${ir}`], ['ISO 2022 IR 6', `ISO 2022 IR ${ir}`]]) {
        const codec = codecFor(terms);
        // Decoder results outside the set (U+FFFD, windows-874's private-use additions) are not written.
        const text = [...codec.decode(upper)].filter((ch) => ch !== '\ufffd' && !/\p{Co}/u.test(ch)).join('');
        expect(text.length, `${terms.join('\\')}`).toBeGreaterThan(40);
        expect(codec.decode(codec.encode(text, 'LT'), 'LT')).toBe(text);
      }
    }
  });

  it('JIS X 0208, JIS X 0212, KS X 1001 and GB 2312', () => {
    roundTripSquare(['', 'ISO 2022 IR 87'], `${ESC}$B`, false);
    roundTripSquare(['', 'ISO 2022 IR 159'], `${ESC}$(D`, false);
    roundTripSquare(['', 'ISO 2022 IR 149'], `${ESC}$)C`, true);
    roundTripSquare(['', 'ISO 2022 IR 58'], `${ESC}$)A`, true);
  });

  it('GB18030: the two-byte area and a walk through the four-byte BMP area', () => {
    const codec = codecFor(['GB18030']);
    let text = '';
    for (let cp = 0x80; cp < 0xffff; cp += 7) {
      // Private use is left out: Node's GB18030 (the 2022 edition) gives some of it no byte sequence.
      // U+FE10-U+FE19 and U+9FB4-U+9FBB moved between GB18030 editions: refused (see refusals).
      const movedIn2022 = (cp >= 0xfe10 && cp <= 0xfe19) || (cp >= 0x9fb4 && cp <= 0x9fbb) || cp === 0x1e3f;
      if (!movedIn2022 && (cp < 0xd800 || (cp > 0xdfff && (cp < 0xe000 || cp > 0xf8ff)))) {
        text += String.fromCodePoint(cp);
      }
    }
    text += '𠀀𪚥😀';
    expect(codec.decode(codec.encode(text))).toBe(text);
  });
});

describe('extendCharacterSet', () => {
  const cases: ReadonlyArray<readonly [string[], string[], string[]]> = [
    [[''], ['DOE^JANE'], ['']],
    [['ISO_IR 100'], ['Buc^Jérôme'], ['ISO_IR 100']],
    [[''], ['Buc^Jérôme'], ['ISO_IR 100']],
    [['ISO_IR 6'], ['Παπαδόπουλος^Γιώργος'], ['ISO_IR 126']],
    [[''], ['Иванов^Иван'], ['ISO_IR 144']],
    [[''], ['Yamada^Tarou=山田^太郎=やまだ^たろう'], ['ISO 2022 IR 6', 'ISO 2022 IR 87']],
    [[''], ['Hong^Gildong=洪^吉洞=홍^길동'], ['ISO 2022 IR 6', 'ISO 2022 IR 149']],
    [[''], ['Wang^XiaoDong=王^小东'], ['GB18030']],
    [['ISO_IR 100'], ['Yamada^Tarou=山田^太郎=やまだ^たろう'], ['ISO 2022 IR 100', 'ISO 2022 IR 87']],
    [['ISO_IR 100'], ['Παπαδόπουλος'], ['ISO 2022 IR 100', 'ISO 2022 IR 126']],
    [['', 'ISO 2022 IR 87'], ['홍^길동'], ['', 'ISO 2022 IR 87', 'ISO 2022 IR 149']],
    [['', 'ISO 2022 IR 87'], ['ﾔﾏﾀﾞ^ﾀﾛｳ'], ['', 'ISO 2022 IR 87', 'ISO 2022 IR 13']],
    [['GBK'], ['𠀀'], ['GB18030']],
    [[''], ['37.5°C', 'やまだ^たろう'], ['ISO 2022 IR 6', 'ISO 2022 IR 87']],
    [['ISO_IR 100'], ['Crème', '홍길동 37.5°C'], ['ISO 2022 IR 100', 'ISO 2022 IR 149']],
    [['ISO_IR 13'], ['ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎'], ['ISO 2022 IR 13', 'ISO 2022 IR 87']],
    [['ISO_IR 166'], ['สมชาย', 'Müller'], ['ISO 2022 IR 166', 'ISO 2022 IR 100']],
    [['ISO 2022 IR 6', 'ISO 2022 IR 87'], ['丂'], ['ISO 2022 IR 6', 'ISO 2022 IR 87', 'ISO 2022 IR 159']],
    [['ISO_IR 192'], ['Ünïcödé 山田 홍길동'], ['ISO_IR 192']],
  ];
  for (const [terms, texts, expected] of cases) {
    it(`${terms.join('\\') || '(none)'} + ${texts.join(', ')} -> ${expected.join('\\')}`, () => {
      const result = extendCharacterSet(terms, texts);
      expect(result).toEqual(expected);
      const codec = codecFor(result);
      for (const t of texts) expect(codec.decode(codec.encode(t, 'PN'), 'PN')).toBe(t);
    });
  }

  it('uses the language to choose among sets that all hold Han characters', () => {
    expect(extendCharacterSet([''], ['山田^太郎'], { language: 'ja' })).toEqual([
      'ISO 2022 IR 6',
      'ISO 2022 IR 87',
    ]);
    expect(extendCharacterSet(['ISO_IR 100'], ['王^小东'], { language: 'zh' })).toEqual([
      'ISO 2022 IR 100',
      'ISO 2022 IR 58',
    ]);
  });

  it('leaves the meaning of bytes already in the file unchanged', () => {
    // Latin-1 bytes in an ISO_IR 100 file read the same under ISO 2022 IR 100 (same G1 at each value's start).
    const existing = [bytes('Buc^J\xe9r\xf4me')];
    const terms = extendCharacterSet(['ISO_IR 100'], ['やまだ'], { existing });
    expect(codecFor(terms).decode(existing[0]!)).toBe('Buc^Jérôme');
    // An ISO_IR 100 file whose values are all ASCII may become UTF-8 when nothing else holds the text.
    expect(extendCharacterSet(['ISO_IR 100'], ['😀'], { existing: [bytes('DOE^JANE')] })).toEqual([
      'ISO_IR 192',
    ]);
  });

  it('throws when no set holds the text without changing the existing bytes', () => {
    expect(() => extendCharacterSet(['ISO_IR 100'], ['😀'])).toThrow(CharacterSetError);
    expect(() => extendCharacterSet(['ISO_IR 100'], ['😀'], { existing: [bytes('J\xe9r\xf4me')] })).toThrow(
      /cannot be extended/,
    );
    expect(() => extendCharacterSet(['', 'ISO 2022 IR 87'], ['😀'])).toThrow(CharacterSetError);
  });
});
