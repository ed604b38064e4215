import { describe, expect, it } from 'vitest';
import { SharedBufferPool } from '../../src/dicom/file-io-thread.js';

const MIB = 1024 * 1024;

describe('SharedBufferPool', () => {
  it('lends the smallest free buffer that fits, and reuses it', () => {
    const pool = new SharedBufferPool(16 * MIB);
    const small = pool.lend(100_000)!;
    const large = pool.lend(3 * MIB)!;
    pool.giveBack(small.buffer as SharedArrayBuffer);
    pool.giveBack(large.buffer as SharedArrayBuffer);
    expect(pool.lend(90_000)!.buffer).toBe(small.buffer);
    expect(pool.lend(2 * MIB)!.buffer).toBe(large.buffer);
  });

  it('keeps free buffers within its bound, letting the largest go first', () => {
    const pool = new SharedBufferPool(10 * MIB);
    const lent = [1, 2, 3, 4, 5].map((n) => pool.lend(n * MIB - 1000)!);
    for (const view of lent) pool.giveBack(view.buffer as SharedArrayBuffer);
    // Buffers of 1, 2, 3, 4 and 5 MiB given back: 15 MiB, so the 5 MiB one goes and 1+2+3+4 stay.
    expect(pool.keptBytes).toBe(10 * MIB);
    expect(pool.lend(MIB - 1000)!.buffer).toBe(lent[0]!.buffer);
    expect(pool.lend(4 * MIB - 1000)!.buffer).toBe(lent[3]!.buffer);
    expect(pool.lend(5 * MIB - 1000)!.buffer).not.toBe(lent[4]!.buffer);
  });

  it('does not pool files too large to keep a buffer for', () => {
    expect(new SharedBufferPool().lend(64 * MIB)).toBeUndefined();
  });
});
