/** Scoring de-identified output against an answer key with the MIDI-B metric, and the checks beyond it. */
export * from './beyond.js';
export * from './evaluate.js';
export * from './mappings.js';
export * from './outputs.js';
export * from './pairing.js';
export * from './report.js';
export * from './score.js';
export * from './tally.js';
export * from './ocr.js';
