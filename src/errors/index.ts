/** Error types thrown by the library; only the CLI turns them into messages and exit codes. */

/** Base of every error pseudophi throws on purpose, with the context that locates the problem. */
export class PseudophiError extends Error {
  constructor(
    message: string,
    readonly context: Readonly<Record<string, string | number | undefined>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A file that is not DICOM, or whose bytes break the encoding rules of PS3.5 at a known offset. */
export class DicomParseError extends PseudophiError {
  constructor(
    readonly problem: string,
    readonly file: string | undefined,
    readonly offset: number,
    readonly tag?: string,
  ) {
    super(`${file ?? '<buffer>'}: ${problem} at byte offset ${offset}${tag ? ` (element ${tag})` : ''}`, {
      file,
      offset,
      tag,
    });
  }
}

/** A value that does not fit its VR (length, repertoire, form): a planning error, never truncated silently. */
export class DicomValueError extends PseudophiError {
  constructor(
    readonly problem: string,
    readonly tag: string,
    readonly vr: string,
    readonly value: string,
  ) {
    super(`value for ${tag} (${vr}) ${problem}: ${JSON.stringify(value.slice(0, 80))}`, { tag, vr });
  }
}

/** Pixel data that cannot be decoded or encoded (unsupported syntax, corrupt fragment, codec failure). */
export class PixelDataError extends PseudophiError {
  constructor(
    readonly problem: string,
    readonly file: string | undefined,
    readonly transferSyntaxUid?: string,
  ) {
    super(`${file ?? '<dataset>'}: ${problem}`, { file, transferSyntaxUid });
  }
}

/** A path in the MIDI-B `tag_ds` form that cannot be parsed, or that names nothing in a dataset. */
export class ElementPathError extends PseudophiError {
  constructor(
    readonly problem: string,
    readonly path: string,
  ) {
    super(`element path ${path}: ${problem}`, { path });
  }
}

/** A template, profile or option that is malformed; names the file and, where known, the line. */
export class ConfigError extends PseudophiError {
  constructor(message: string, file?: string, line?: number) {
    super(file ? `${file}${line !== undefined ? `:${line}` : ''}: ${message}` : message, { file, line });
  }
}
