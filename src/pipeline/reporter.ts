/** How library code tells the caller what it is doing; the CLI supplies one, tests a silent or recording one. */

/** Progress and warnings from a long-running stage. The library never logs; it calls these. */
export interface Reporter {
  /** `done` of `total` units of `stage` are finished. */
  progress(stage: string, done: number, total: number): void;
  /** Something the user should know that does not stop the run. */
  warn(message: string): void;
}

/** A reporter that discards everything. */
export const silentReporter: Reporter = {
  progress: () => undefined,
  warn: () => undefined,
};
