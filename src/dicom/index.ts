/** The DICOM layer's public surface: everything above src/dicom imports from here. */
export * from './dataset.js';
export * from './dictionary.js';
export * from './io.js';
export * from './file-io-thread.js';
export * from './midi-b.js';
export * from './paths.js';
export * from './pixel-digest.js';
export * from './pixels.js';
export * from './private.js';
export * from './read.js';
export * from './tag.js';
export * from './transfer-syntax.js';
export * from './uid.js';
export * from './validate.js';
export * from './values.js';
export * from './vr.js';
export * from './write.js';
export {
  CharacterSetError,
  codecFor,
  normalizeTerm,
  parseSpecificCharacterSet,
  toSpecificCharacterSetValue,
  type TextCodec,
} from './charset.js';
export { extendCharacterSet, type ExtendCharacterSetOptions } from './charset-extend.js';
