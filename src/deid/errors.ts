/** Errors of the reference de-identifiers. */
import { PseudophiError } from '../errors/index.js';

/** A de-identification step that cannot be done; names the file when there is one. */
export class DeidentifyError extends PseudophiError {
  constructor(
    readonly problem: string,
    readonly file?: string,
  ) {
    super(file ? `${file}: ${problem}` : problem, { file });
  }
}
