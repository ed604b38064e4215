/**
 * Stateless, seeded noise for pixel synthesis: a hash of integer coordinates (no generator state, so any
 * pixel can be computed alone and the result never depends on evaluation order).
 */

/** A 32-bit integer seed from a hex or decimal seed string (first 8 hex digits of a derived seed). */
export function seedInt(seed: string): number {
  return parseInt(seed.slice(0, 8), 16) >>> 0;
}

/** Uniform [0, 1) from integer coordinates and a seed (a murmur-style finaliser). */
export function hash3(x: number, y: number, seed: number): number {
  let h = (Math.imul(x | 0, 0x27d4eb2d) ^ Math.imul(y | 0, 0x165667b1) ^ seed) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** Approximately normal noise (sum of three uniforms, centred, unit variance). */
export function gauss3(x: number, y: number, seed: number): number {
  return (hash3(x, y, seed) + hash3(x, y, seed ^ 0x9e3779b9) + hash3(x, y, seed ^ 0x7f4a7c15) - 1.5) * 2;
}

/** Smooth value noise in [0, 1): bilinear interpolation of a hashed lattice with spacing `cell`. */
export function valueNoise(x: number, y: number, cell: number, seed: number): number {
  const gx = x / cell;
  const gy = y / cell;
  const x0 = Math.floor(gx);
  const y0 = Math.floor(gy);
  const fx = gx - x0;
  const fy = gy - y0;
  const sx = fx * fx * (3 - 2 * fx);
  const sy = fy * fy * (3 - 2 * fy);
  const a = hash3(x0, y0, seed);
  const b = hash3(x0 + 1, y0, seed);
  const c = hash3(x0, y0 + 1, seed);
  const d = hash3(x0 + 1, y0 + 1, seed);
  return a + (b - a) * sx + (c - a) * sy + (a - b - c + d) * sx * sy;
}

/** Two octaves of value noise, in [0, 1). */
export function fractalNoise(x: number, y: number, cell: number, seed: number): number {
  return 0.65 * valueNoise(x, y, cell, seed) + 0.35 * valueNoise(x, y, cell / 2.7, seed ^ 0x5bd1e995);
}

/** Cheap zero-mean, unit-variance noise from one hash (two 16-bit uniforms summed: triangular). */
export function gauss1(x: number, y: number, seed: number): number {
  let h = (Math.imul(x | 0, 0x27d4eb2d) ^ Math.imul(y | 0, 0x165667b1) ^ seed) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (((h & 0xffff) + (h >>> 16)) / 65536 - 1) * 2.449489742783178;
}
