import { describe, expect, it } from 'vitest';
import { isCommonWord, isInCommonWord } from '../../src/identity/common-words.js';
import { clash, drawDistinct, makeIdentityRegistry, unfitAsPhi } from '../../src/identity/distinct.js';
import { IdentityPlanError } from '../../src/identity/errors.js';

describe('distinct values', () => {
  it('finds one value inside another: short ones by case, long ones in any case', () => {
    expect(clash('SG', 'HOSG-7006')).toBeDefined();
    expect(clash('SG', 'Stacy_Gaines@sgmail.com')).toBeUndefined();
    expect(clash('Gaines Stacy', 'MR GAINES STACY')).toBeDefined();
    expect(clash('GAINES^STACY', 'Stacy Gaines')).toBeUndefined();
  });

  it('finds digit runs of three or more that recur', () => {
    expect(clash('(959)405-3715', '6505959881')).toMatch(/959/);
    expect(clash('096-74-4054', '84054000')).toMatch(/4054/);
    expect(clash('(139)060-6894x33', '3312345678')).toBeUndefined(); // two-digit runs are too common
  });

  it('rejects single characters and values inside common words', () => {
    expect(unfitAsPhi('J')).toBeDefined();
    expect(unfitAsPhi('ST')).toBeDefined(); // inside CHEST
    expect(unfitAsPhi('MR')).toBeDefined();
    expect(unfitAsPhi('SG')).toBeUndefined();
    expect(unfitAsPhi('Stacy Gaines')).toBeUndefined();
    expect(isCommonWord('Hand')).toBe(true);
    expect(isInCommonWord('reas')).toBe(true);
  });

  it('redraws until distinct, allows declared overlaps, and gives up loudly', () => {
    const registry = makeIdentityRegistry();
    registry.add('study.date', ['20180805']);
    const values = ['9920180805', '555'];
    expect(
      drawDistinct(
        registry,
        'study.studyId',
        () => values.shift()!,
        (v) => [v],
      ),
    ).toBe('555');
    expect(registry.problem('study.accessionNumber', ['20180805E673674'])).toBeUndefined();
    expect(registry.problem('study.visitId', ['VN20180805'])).toMatch(/study.date/);
    expect(() =>
      drawDistinct(
        registry,
        'x',
        () => 'A',
        (v) => [v],
      ),
    ).toThrow(IdentityPlanError);
  });

  it('keeps family names apart', () => {
    const registry = makeIdentityRegistry();
    registry.addFamily('Hicks');
    expect(registry.familyTaken('hick')).toBe(true);
    expect(registry.familyTaken('Hickson')).toBe(true);
    expect(registry.familyTaken('Gaines')).toBe(false);
    expect(registry.mentionsFamily('Hicks Memorial Hospital')).toBe(true);
  });
});
