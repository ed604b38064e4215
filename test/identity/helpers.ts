/** Shared checks for the identity tests: VR fit and pairwise distinctness of listed values. */
import { expect } from 'vitest';
import { checkStringValue } from '../../src/dicom/validate.js';
import { clash, IDENTITY_OVERLAPS, unfitAsPhi } from '../../src/identity/distinct.js';
import type { IdentityValue } from '../../src/identity/fields.js';

/** Fails with the offending value when one does not fit the VR it is written with. */
export function expectFitsVrs(values: readonly IdentityValue[]): void {
  for (const v of values) {
    expect({ ...v, problem: checkStringValue(v.vr, v.value) }).toEqual({ ...v, problem: undefined });
  }
}

const OVERLAPS = new Set(IDENTITY_OVERLAPS.flatMap(([a, b]) => [`${a}|${b}`, `${b}|${a}`]));

/** Fails when a PHI value is unfit alone, or clashes with a value of another field. */
export function expectDistinct(values: readonly IdentityValue[]): void {
  const phi = values.filter((v) => v.distinct);
  const problems: string[] = [];
  for (const v of phi) {
    const unfit = unfitAsPhi(v.value);
    if (unfit) problems.push(`${v.field} ${v.value}: ${unfit}`);
  }
  for (const a of phi) {
    for (const b of phi) {
      if (a.field === b.field || OVERLAPS.has(`${a.field}|${b.field}`)) continue;
      const why = clash(a.value, b.value);
      if (why) problems.push(`${a.field} ${a.value} / ${b.field} ${b.value}: ${why}`);
    }
  }
  expect(problems).toEqual([]);
}
