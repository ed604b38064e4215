/** Value rules per VR (PS3.5 6.2, Table 6.2-1) and Specific Character Set when encoding. */
import { describe, expect, it } from 'vitest';
import {
  checkStringValue,
  DicomDataset,
  getString,
  isValidDate,
  setStrings,
  validateStringValue,
  type Vr,
} from '../../src/dicom/index.js';
import { DicomValueError } from '../../src/errors/index.js';

const ACCEPTED: ReadonlyArray<[Vr, string]> = [
  ['AE', 'STORESCP'],
  ['AE', 'A'.repeat(16)],
  ['AS', '045Y'],
  ['AS', '003D'],
  ['AS', '012W'],
  ['AS', '006M'],
  ['CS', 'ORIGINAL'],
  ['CS', 'DERIVED_2 X'],
  ['CS', 'A'.repeat(16)],
  ['DA', '20240229'], // leap year
  ['DA', '20000229'], // divisible by 400
  ['DA', '19991231'],
  ['DA', '20230131'],
  ['DS', '1.5'],
  ['DS', '-0.5e-3'],
  ['DS', ' 12 '],
  ['DS', '.5'],
  ['DS', '+7.'],
  ['DS', '1234567890123456'],
  ['IS', '2147483647'],
  ['IS', '-2147483648'],
  ['IS', ' 42'],
  ['IS', '+0'],
  ['TM', '23'],
  ['TM', '2359'],
  ['TM', '235959'],
  ['TM', '235960'], // leap second
  ['TM', '000000.123456'],
  ['DT', '2024'],
  ['DT', '202402'],
  ['DT', '20240229'],
  ['DT', '20240229235959.5+0100'],
  ['DT', '20240229235959.123456-0500'],
  ['UI', '1.2.840.10008.1.2'],
  ['UI', '0.1'],
  ['UI', `2.25.${'9'.repeat(59)}`],
  ['PN', 'DOE^JANE'],
  ['PN', 'DOE^JANE^M^DR^PHD'],
  ['PN', 'DOE^JANE^^^'],
  ['PN', 'Yamada^Tarou=山田^太郎=やまだ^たろう'],
  ['PN', `${'A'.repeat(64)}=${'B'.repeat(64)}`],
  ['PN', ''],
  ['LO', 'x'.repeat(64)],
  ['LO', 'ESC \x1b$B ok'],
  ['SH', 'x'.repeat(16)],
  ['LT', 'line one\r\nline two\ttabbed\fpage'],
  ['ST', 'back\\slash is text in ST'],
  ['UT', 'x'.repeat(100000)],
  ['UR', 'http://example.com/a?b=c'],
];

const REJECTED: ReadonlyArray<[Vr, string, RegExp]> = [
  ['AE', 'A'.repeat(17), /longer than 16/],
  ['AE', 'A\\B', /repertoire/],
  ['AE', 'Ä', /repertoire/],
  ['AS', '45Y', /nnnD/],
  ['AS', '045y', /nnnD/],
  ['AS', '045X', /nnnD/],
  ['AS', '0450Y', /longer than 4/],
  ['CS', 'lower', /A-Z/],
  ['CS', 'A-B', /A-Z/],
  ['CS', 'A'.repeat(17), /longer than 16/],
  ['DA', '20230229', /valid date/], // not a leap year
  ['DA', '19000229', /valid date/], // divisible by 100, not by 400
  ['DA', '20241301', /valid date/],
  ['DA', '20240100', /valid date/],
  ['DA', '20240431', /valid date/],
  ['DA', '2024-01-01', /longer than 8/],
  ['DA', '2024011', /valid date/],
  ['DS', '1,5', /decimal/],
  ['DS', 'abc', /decimal/],
  ['DS', '1.2.3', /decimal/],
  ['DS', '12345678901234567', /longer than 16/],
  ['DS', 'NaN', /decimal/],
  ['IS', '2147483648', /range/],
  ['IS', '-2147483649', /range/],
  ['IS', '1.0', /integer/],
  ['IS', '1e3', /integer/],
  ['IS', '1234567890123', /longer than 12/],
  ['TM', '240000', /time/],
  ['TM', '2360', /time/],
  ['TM', '12:30', /time/],
  ['TM', '1', /time/],
  ['TM', '235959.1234567', /time/],
  ['DT', '20230229', /valid date/],
  ['DT', '202413', /month/],
  ['DT', '20240229250000', /date-time/],
  ['DT', '2024-02-29', /date-time/],
  ['UI', '1.02.3', /UID/],
  ['UI', '1..2', /UID/],
  ['UI', 'a.b', /UID/],
  ['UI', '1.2.', /UID/],
  ['UI', `2.25.${'9'.repeat(60)}`, /longer than 64/],
  ['PN', 'A=B=C=D', /3 component groups/],
  ['PN', 'A^B^C^D^E^F', /5 components/],
  ['PN', 'DOE\\JANE', /backslash/],
  ['PN', 'A'.repeat(65), /longer than 64/],
  ['PN', 'DOE\nJANE', /control/],
  ['LO', 'x'.repeat(65), /longer than 64/],
  ['LO', 'a\\b', /backslash/],
  ['LO', 'tab\there', /control/],
  ['LO', 'nul\0', /control/],
  ['SH', 'x'.repeat(17), /longer than 16/],
  ['SH', 'new\nline', /control/],
  ['LT', 'nul\0char', /control/],
  ['LT', 'x'.repeat(10241), /longer than 10240/],
  ['ST', 'x'.repeat(1025), /longer than 1024/],
  ['UR', 'has space', /URI/],
];

describe('checkStringValue', () => {
  it.each(ACCEPTED)('accepts %s %j', (vr, value) => {
    expect(checkStringValue(vr, value)).toBeUndefined();
  });

  it.each(REJECTED)('rejects %s %j', (vr, value, reason) => {
    expect(checkStringValue(vr, value)).toMatch(reason);
  });
});

describe('isValidDate', () => {
  it('knows the Gregorian leap-year rule', () => {
    expect([1600, 1700, 1900, 2000, 2023, 2024, 2100].map((y) => isValidDate(`${y}0229`))).toEqual([
      true,
      false,
      false,
      true,
      false,
      true,
      false,
    ]);
  });
});

describe('validateStringValue and setStrings', () => {
  it('throws a DicomValueError naming the tag, VR and value', () => {
    try {
      validateStringValue('DA', '20230229', 0x00100030);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DicomValueError);
      const e = error as DicomValueError;
      expect(e.tag).toBe('(0010,0030)');
      expect(e.vr).toBe('DA');
      expect(e.message).toBe('value for (0010,0030) (DA) is not a valid date YYYYMMDD: "20230229"');
    }
  });

  it('setStrings never truncates: a too-long value is an error and the data set is unchanged', () => {
    const ds = new DicomDataset();
    setStrings(ds, 0x00100020, 'PID');
    expect(() => setStrings(ds, 0x00100020, 'x'.repeat(65))).toThrow(DicomValueError);
    expect(getString(ds, 0x00100020)).toBe('PID');
  });

  it('validates each value of a multi-valued element, and refuses several values for a single-valued VR', () => {
    const ds = new DicomDataset();
    expect(() => setStrings(ds, 0x00080008, ['ORIGINAL', 'bad'])).toThrow(/A-Z/);
    expect(() => setStrings(ds, 0x00104000, ['a', 'b'])).toThrow(/more than one value/);
    setStrings(ds, 0x00080008, ['ORIGINAL', 'PRIMARY']);
    expect(ds.get(0x00080008)!.value).toEqual(Uint8Array.from(Buffer.from('ORIGINAL\\PRIMARY')));
  });

  it('pads to even length: text with a space, UI with NUL', () => {
    const ds = new DicomDataset();
    setStrings(ds, 0x00100020, 'ABC');
    setStrings(ds, 0x00080018, '1.2.3');
    expect(Array.from(ds.get(0x00100020)!.value!)).toEqual([0x41, 0x42, 0x43, 0x20]);
    expect(Array.from(ds.get(0x00080018)!.value!)).toEqual([0x31, 0x2e, 0x32, 0x2e, 0x33, 0x00]);
  });
});

describe('Specific Character Set when encoding', () => {
  it('refuses characters outside the default repertoire when (0008,0005) is absent', () => {
    const ds = new DicomDataset();
    expect(() => setStrings(ds, 0x00100010, 'MÜLLER^JÖRG')).toThrow(DicomValueError);
    expect(ds.has(0x00100010)).toBe(false);
  });

  it('encodes ISO_IR 100 as Latin-1 bytes', () => {
    const ds = new DicomDataset();
    setStrings(ds, 0x00080005, 'ISO_IR 100');
    setStrings(ds, 0x00100010, 'MÜLLER^JÖRG');
    expect(Array.from(ds.get(0x00100010)!.value!)).toEqual([...Buffer.from('MÜLLER^JÖRG', 'latin1'), 0x20]);
    expect(getString(ds, 0x00100010)).toBe('MÜLLER^JÖRG');
    expect(() => setStrings(ds, 0x00100010, '山田^太郎')).toThrow(DicomValueError);
  });

  it('encodes ISO_IR 192 as UTF-8, and an item inherits the character set of its parent', () => {
    const ds = new DicomDataset();
    setStrings(ds, 0x00080005, 'ISO_IR 192');
    const item = ds.addItem(0x00081140);
    setStrings(item, 0x00081030, '山田');
    expect(Array.from(item.get(0x00081030)!.value!)).toEqual([...Buffer.from('山田', 'utf8')]);
    expect(getString(item, 0x00081030)).toBe('山田');
  });

  it('with ISO 2022 code extensions, writes text in the initial set as is and the rest with escapes', () => {
    const ds = new DicomDataset();
    setStrings(ds, 0x00080005, ['ISO 2022 IR 13', 'ISO 2022 IR 87']);
    setStrings(ds, 0x00100020, 'ID-0042');
    expect(Array.from(ds.get(0x00100020)!.value!)).toEqual([...Buffer.from('ID-0042 ')]);
    // JIS X 0201 Romaji (the G0 set of ISO 2022 IR 13) has a yen sign and an overline at 0x5C and 0x7E.
    expect(() => setStrings(ds, 0x00100020, 'A~B')).toThrow(DicomValueError);
    // JIS X 0208 through its escape sequence (PS3.5 6.1.2.5); test/dicom/charset.test.ts checks the bytes.
    setStrings(ds, 0x00100010, 'ヤマダ^タロウ');
    expect(getString(ds, 0x00100010)).toBe('ヤマダ^タロウ');
    const latin = new DicomDataset();
    setStrings(latin, 0x00080005, ['', 'ISO 2022 IR 87']);
    setStrings(latin, 0x00100010, 'YAMADA^TAROU~');
    expect(getString(latin, 0x00100010)).toBe('YAMADA^TAROU~');
  });

  it('default-repertoire VRs ignore the character set: a non-ASCII date is still rejected', () => {
    const ds = new DicomDataset();
    setStrings(ds, 0x00080005, 'ISO_IR 192');
    expect(() => setStrings(ds, 0x00080060, 'MRÉ')).toThrow(DicomValueError);
  });
});
