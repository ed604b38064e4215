/** The answer-key layer's public surface: checks, the scorer's text rules, AnswerData, the SQLite key, the rule tables. */
export * from './answer-data.js';
export * from './check.js';
export * from '../phi/scorer-text.js';
export * from './rules.js';
export * from './sqlite.js';
export * from './derive.js';
export * from './key-writer-thread.js';
export * from './key-source.js';
export * from './merge.js';
