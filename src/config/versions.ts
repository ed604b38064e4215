/** Versions of what shapes the output, recorded in manifests and answer keys. */
import { createRequire } from 'node:module';
import { DICTIONARY_SOURCE } from '../dicom/dictionary.js';

const require = createRequire(import.meta.url);

/** The installed version of each named package, plus the DICOM dictionary's source and Node's major version. */
export function dependencyVersions(packages: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of packages) {
    try {
      out[name] = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      out[name] = 'unknown';
    }
  }
  out.dictionary = DICTIONARY_SOURCE;
  // Floating-point pixel synthesis may differ across Node majors; the major is part of the contract.
  out.node = process.versions.node.split('.')[0]!;
  return out;
}
