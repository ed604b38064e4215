/** Scoring de-identified output against an answer key with the MIDI-B metric. */
export * from './evaluate.js';
