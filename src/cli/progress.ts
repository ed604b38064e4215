/**
 * Progress output for the commands: bars on a terminal (cli-progress), plain lines elsewhere (logs, CI,
 * `2> file`), nothing but warnings with `--quiet`. The stream and the clock are injected so that tests can
 * check the exact output; the commands use `terminalReporter` (options.ts), which passes stderr and the
 * monotonic clock.
 */
import { createRequire } from 'node:module';
import type { MultiBar, Options as BarOptions, Params as BarParams, SingleBar } from 'cli-progress';
import type { Reporter } from '../pipeline/reporter.js';

/** The part of a writable stream the reporter uses; `process.stderr` is one, tests pass a fake. */
export interface ProgressStream {
  /** Writes text (cli-progress also writes its cursor movements through this). */
  write(chunk: string): unknown;
  /** True on a terminal: bars are drawn. */
  isTTY?: boolean;
  /** The terminal's width in characters (bars fit in it). */
  columns?: number;
}

/** How a progress reporter writes, and what it reads the time from. */
export interface ProgressOptions {
  /** Where progress and warnings go. */
  stream: ProgressStream;
  /** A clock in milliseconds; only differences are used (e.g. `performance.now`). */
  now: () => number;
  /** Print only warnings. */
  quiet?: boolean;
  /** Draw bars; default: `stream.isTTY === true`. */
  tty?: boolean;
  /** Plain lines: at most this many ms between two lines of a running stage (default 60,000). */
  lineIntervalMs?: number;
  /** Plain lines: at least this many ms between two lines of a running stage (default 2,000). */
  lineGapMs?: number;
}

/** A reporter that can be ended early (an error mid-stage), leaving the terminal on a fresh line. */
export interface ProgressReporter extends Reporter {
  /** Stops every bar that is still drawn (at its last count); idempotent. */
  close(): void;
}

/** The prefix of every warning line, as for errors (`pseudophi: ...`). */
const WARNING = 'pseudophi: warning: ';
/** Plain lines: a line each time a stage passes a multiple of this share of its total. */
const LINE_STEP = 0.1;
/** Stage names are padded to this width so that the bars of one run line up. */
const STAGE_WIDTH = 12;

/** Reporters whose bars are on screen now, so that an error can end them before it is printed. */
const drawing = new Set<() => void>();

/**
 * Stops every bar still drawn, leaving the cursor on a fresh line: call it before printing an error that
 * ended a run mid-stage, or the message lands at the end of the last bar's line.
 */
export function closeAllProgress(): void {
  for (const close of [...drawing]) close();
}

/** A stage's counts and clock, as the formats need them. */
interface StageState {
  readonly stage: string;
  /** Clock reading at the stage's first report: elapsed time and rate count from here. */
  readonly started: number;
  done: number;
  total: number;
  /** Clock reading at the latest report. */
  at: number;
}

/** Seconds as `4.2s`, `37s`, `2m05s` or `1h02m`. */
export function toDuration(seconds: number): string {
  const s = Math.max(0, seconds);
  if (s < 10) return `${s.toFixed(1)}s`;
  const whole = Math.floor(s);
  if (whole < 60) return `${whole}s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (whole < 3600) return `${Math.floor(whole / 60)}m${pad(whole % 60)}s`;
  return `${Math.floor(whole / 3600)}h${pad(Math.floor(whole / 60) % 60)}m`;
}

/** Units per second as `4.2/s` or `250/s`; undefined when no time has passed. */
function toRate(state: StageState): string | undefined {
  const rate = rateOf(state);
  if (rate === undefined) return undefined;
  return `${rate >= 100 ? Math.round(rate) : rate.toFixed(1)}/s`;
}

/** Units per second since the stage's first report, or undefined when no time has passed. */
function rateOf(state: StageState): number | undefined {
  const seconds = (state.at - state.started) / 1000;
  return seconds > 0 ? state.done / seconds : undefined;
}

/** Time left at the rate so far (`ETA 18s`), or `ETA -` when it cannot be estimated yet. */
function toEta(state: StageState): string {
  const rate = rateOf(state);
  if (state.done >= state.total) return 'ETA 0.0s';
  return rate ? `ETA ${toDuration((state.total - state.done) / rate)}` : 'ETA -';
}

/** The share of the total done, 0..1 (a stage with nothing to do is complete). */
function shareOf(state: StageState): number {
  return state.total > 0 ? Math.min(1, Math.max(0, state.done / state.total)) : 1;
}

/** How many whole 10% steps of its total a stage has passed (0.3 / 0.1 is 2.999..., hence the epsilon). */
function stepOf(state: StageState): number {
  return Math.floor(shareOf(state) / LINE_STEP + 1e-9);
}

/**
 * A reporter for the CLI: on a terminal, one cli-progress bar per stage as stages come (several at once
 * if they overlap); elsewhere, plain lines. A stage is finished when `done >= total`; the same stage
 * name reported again later (`verify` once per split) starts a new bar or line block. Warnings always
 * print, as whole lines above the bars.
 */
export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  const tty = options.tty ?? options.stream.isTTY === true;
  if (options.quiet) return quietReporter(options.stream);
  return tty ? barReporter(options) : lineReporter(options);
}

/** Warnings only. */
function quietReporter(stream: ProgressStream): ProgressReporter {
  return {
    progress: () => undefined,
    warn: (message) => void stream.write(`${WARNING}${message}\n`),
    close: () => undefined,
  };
}

/**
 * Plain lines, one per event worth a line in a log:
 * ```
 * scan: 0/1200 started
 * scan: 120/1200 (10%) in 2.5s, 48.0/s, ETA 23s
 * scan: 1200/1200 done in 26s, 46.1/s
 * ```
 * A running stage prints a line when it has passed another 10% of its total and `lineGapMs` has gone by
 * since its last line (a stage of a few seconds prints its start and end only), or when `lineIntervalMs`
 * has gone by and its count has moved. A stage whose first report is already complete prints only
 * `stage: n/n done`.
 */
function lineReporter(options: ProgressOptions): ProgressReporter {
  const { stream, now } = options;
  const interval = options.lineIntervalMs ?? 60_000;
  const gap = options.lineGapMs ?? 2_000;
  /** Running stages, with the step and time of their last line. */
  const running = new Map<string, StageState & { step: number; lineAt: number; lineDone: number }>();
  const line = (text: string) => void stream.write(`${text}\n`);
  return {
    progress(stage, done, total) {
      const at = now();
      let state = running.get(stage);
      if (!state) {
        state = { stage, started: at, done, total, at, step: 0, lineAt: at, lineDone: done };
        if (done >= total) {
          line(`${stage}: ${done}/${total} done`);
          return;
        }
        state.step = stepOf(state);
        running.set(stage, state);
        line(`${stage}: ${done}/${total} started`);
        return;
      }
      Object.assign(state, { done, total, at });
      if (done >= total) {
        running.delete(stage);
        const rate = toRate(state);
        line(
          `${stage}: ${done}/${total} done in ${toDuration((at - state.started) / 1000)}${rate ? `, ${rate}` : ''}`,
        );
        return;
      }
      const step = stepOf(state);
      const since = at - state.lineAt;
      const due = since >= interval && done !== state.lineDone;
      if (!due && (step <= state.step || since < gap)) return;
      Object.assign(state, { step: Math.max(step, state.step), lineAt: at, lineDone: done });
      const percent = Math.floor(shareOf(state) * 100);
      const rate = toRate(state);
      line(
        `${stage}: ${done}/${total} (${percent}%) in ${toDuration((at - state.started) / 1000)}` +
          `${rate ? `, ${rate}` : ''}, ${toEta(state)}`,
      );
    },
    warn: (message) => line(`${WARNING}${message}`),
    close: () => running.clear(),
  };
}

/** What each bar carries for its format: the stage's state, read at render time. */
interface BarPayload {
  state: StageState;
}

/**
 * The text of one bar: `scan         [=====-----] 50% | 600/1200 | 46.1/s | 13s | ETA 13s`. The bar's
 * width leaves room for the rest in the terminal's width (cli-progress trims what does not fit).
 */
function formatBar(_options: BarOptions, params: BarParams, payload: BarPayload): string {
  const { state } = payload;
  const share = shareOf(state);
  const width = Math.max(10, Math.min(40, params.maxWidth - Math.max(STAGE_WIDTH, state.stage.length) - 54));
  const filled = Math.round(share * width);
  return (
    `${state.stage.padEnd(STAGE_WIDTH)} [${'='.repeat(filled)}${'-'.repeat(width - filled)}] ` +
    `${String(Math.floor(share * 100)).padStart(3)}% | ${state.done}/${state.total} | ${toRate(state) ?? '-'} | ` +
    `${toDuration((state.at - state.started) / 1000)} | ${toEta(state)}`
  );
}

/**
 * cli-progress bars. A MultiBar lives while at least one stage is running; when the last running stage
 * finishes it is stopped (its bars stay on screen) and the next stage opens a new one below. Warnings go
 * through the MultiBar's log, flushed at once, so they print as whole lines above the bars.
 */
function barReporter(options: ProgressOptions): ProgressReporter {
  const { stream, now } = options;
  let multibar: MultiBar | undefined;
  const bars = new Map<string, { bar: SingleBar; state: StageState }>();

  // Loaded only when bars are drawn: commands run in pipelines or with --quiet do not pay for it.
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof import('cli-progress');

  const open = (): MultiBar => {
    const created = new cliProgress.MultiBar({
      stream: stream as unknown as NodeJS.WritableStream,
      format: formatBar,
      fps: 10,
      // Trims each line to the terminal's width instead of switching wrapping off: nothing to restore if
      // the process ends mid-bar (an error, a signal).
      linewrap: true,
      hideCursor: false,
      // Signal handlers would stop a Ctrl-C from ending the run.
      gracefulExit: false,
    });
    // The redraw timer must not keep the process alive: a run that ends with an error mid-stage exits.
    // cli-progress re-arms it at start and after every redraw; it keeps it in `timer`.
    const unref = () => (created as unknown as { timer?: { unref?: () => void } | null }).timer?.unref?.();
    created.on('start', unref);
    created.on('update-post', unref);
    return created;
  };

  const close = () => {
    if (!multibar) return;
    multibar.update(); // flushes pending warnings and draws the latest counts
    multibar.stop();
    multibar = undefined;
    bars.clear();
    drawing.delete(close);
  };

  return {
    progress(stage, done, total) {
      const at = now();
      const entry = bars.get(stage);
      if (entry && entry.state.done < entry.state.total) {
        Object.assign(entry.state, { done, total, at });
        if (entry.bar.getTotal() !== total) entry.bar.setTotal(total);
        entry.bar.update(done);
      } else {
        if (!multibar) {
          multibar = open();
          drawing.add(close);
        }
        const state: StageState = { stage, started: at, done, total, at };
        const payload: BarPayload = { state };
        bars.set(stage, { bar: multibar.create(total, done, payload), state });
      }
      // Only a call that finishes its stage can leave every stage finished.
      if (done >= total && [...bars.values()].every((b) => b.state.done >= b.state.total)) close();
    },
    warn(message) {
      if (!multibar) {
        stream.write(`${WARNING}${message}\n`);
        return;
      }
      multibar.log(`${WARNING}${message}\n`);
      multibar.update();
    },
    close,
  };
}
