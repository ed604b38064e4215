import { describe, expect, it } from 'vitest';
import {
  closeAllProgress,
  createProgressReporter,
  toDuration,
  type ProgressStream,
} from '../../src/cli/progress.js';

/** A non-terminal stream that keeps what is written. */
function plainStream(): ProgressStream & { text: () => string } {
  const chunks: string[] = [];
  return { write: (chunk: string) => chunks.push(chunk), text: () => chunks.join('') };
}

/** A clock the test moves by hand, in milliseconds. */
function manualClock(): { now: () => number; set: (ms: number) => void } {
  let t = 1_000_000;
  return { now: () => t, set: (ms) => (t = 1_000_000 + ms) };
}

/** The escape character, and a control sequence `ESC [ n X` (written so for the no-control-regex rule). */
const ESC = String.fromCharCode(27);
const CSI = new RegExp(`^${ESC}\\[(\\d*)([A-Za-z])`);

/**
 * A fake terminal: applies what cli-progress writes (text, `\n`, `\r`, and the CSI sequences Node's
 * readline emits for cursorTo, moveCursor, clearLine, clearScreenDown) to a screen of lines, so that a
 * test sees what a person would see.
 */
function fakeTerminal(columns = 100): ProgressStream & { screen: () => string[]; raw: () => string } {
  const lines: string[] = [''];
  let row = 0;
  let col = 0;
  let raw = '';
  const put = (ch: string) => {
    while (lines.length <= row) lines.push('');
    const line = lines[row]!.padEnd(col);
    lines[row] = line.slice(0, col) + ch + line.slice(col + 1);
    col++;
  };
  const write = (chunk: string) => {
    raw += chunk;
    for (let i = 0; i < chunk.length; ) {
      const csi = CSI.exec(chunk.slice(i));
      if (csi) {
        const n = csi[1] === '' ? undefined : Number(csi[1]);
        const line = () => lines[row] ?? '';
        switch (csi[2]) {
          case 'G': // cursor to column n (1-based)
            col = (n ?? 1) - 1;
            break;
          case 'A':
            row = Math.max(0, row - (n ?? 1));
            break;
          case 'B':
            row += n ?? 1;
            break;
          case 'C':
            col += n ?? 1;
            break;
          case 'D':
            col = Math.max(0, col - (n ?? 1));
            break;
          case 'K': // 0: to the right, 1: to the left, 2: whole line
            if ((n ?? 0) === 0) lines[row] = line().slice(0, col);
            else if (n === 1) lines[row] = ' '.repeat(col) + line().slice(col);
            else lines[row] = '';
            break;
          case 'J':
            lines[row] = line().slice(0, col);
            lines.length = Math.min(lines.length, row + 1);
            break;
          default:
            throw new Error(`unexpected escape sequence ${JSON.stringify(csi[0])}`);
        }
        i += csi[0].length;
        continue;
      }
      const ch = chunk[i]!;
      if (ch === '\n') {
        row++;
        col = 0;
        while (lines.length <= row) lines.push('');
      } else if (ch === '\r') col = 0;
      else if (ch === ESC) throw new Error(`unexpected escape in ${JSON.stringify(chunk)}`);
      else put(ch);
      i++;
    }
    return true;
  };
  return {
    isTTY: true,
    columns,
    write,
    screen: () => lines.map((l) => l.trimEnd()),
    raw: () => raw,
  };
}

describe('toDuration', () => {
  it('writes seconds, minutes and hours compactly', () => {
    expect([0, 4.25, 9.99, 10, 59.9, 60, 125, 3599, 3600, 3725].map(toDuration)).toEqual([
      '0.0s',
      '4.3s',
      '10.0s',
      '10s',
      '59s',
      '1m00s',
      '2m05s',
      '59m59s',
      '1h00m',
      '1h02m',
    ]);
  });
});

describe('plain lines (not a terminal)', () => {
  it('prints the start, a line per 10% or per interval, and the end with count and rate', () => {
    const stream = plainStream();
    const clock = manualClock();
    const reporter = createProgressReporter({ stream, now: clock.now, lineIntervalMs: 30_000 });
    reporter.progress('scan', 0, 200);
    for (let done = 1; done <= 19; done++) {
      clock.set(done * 100);
      reporter.progress('scan', done, 200); // below 10%: nothing
    }
    clock.set(2_000);
    reporter.progress('scan', 20, 200); // 10%
    clock.set(2_100);
    reporter.progress('scan', 21, 200);
    clock.set(7_000);
    reporter.progress('scan', 70, 200); // 35%: one line for 20% and 30% together
    clock.set(36_999);
    reporter.progress('scan', 71, 200); // 29.999 s after the last line, 35%: nothing
    clock.set(37_000);
    reporter.progress('scan', 72, 200); // 30 s since the last line: a line
    clock.set(37_100);
    reporter.progress('scan', 72, 200);
    clock.set(80_000);
    reporter.progress('scan', 72, 200); // 30 s more, but no progress since the last line: nothing
    clock.set(100_000);
    reporter.progress('scan', 200, 200);
    expect(stream.text()).toBe(
      [
        'scan: 0/200 started',
        'scan: 20/200 (10%) in 2.0s, 10.0/s, ETA 18s',
        'scan: 70/200 (35%) in 7.0s, 10.0/s, ETA 13s',
        'scan: 72/200 (36%) in 37s, 1.9/s, ETA 1m05s',
        'scan: 200/200 done in 1m40s, 2.0/s',
        '',
      ].join('\n'),
    );
  });

  it('prints only the start and the end of a stage faster than the gap between lines', () => {
    const stream = plainStream();
    const clock = manualClock();
    const reporter = createProgressReporter({ stream, now: clock.now, lineGapMs: 2_000 });
    for (let done = 0; done <= 100; done++) {
      clock.set(done * 19);
      reporter.progress('scan', done, 100);
    }
    expect(stream.text()).toBe('scan: 0/100 started\nscan: 100/100 done in 1.9s, 52.6/s\n');
  });

  it('prints a 10% line held back by the gap as soon as the gap has passed', () => {
    const stream = plainStream();
    const clock = manualClock();
    const reporter = createProgressReporter({ stream, now: clock.now, lineGapMs: 2_000 });
    reporter.progress('scan', 0, 100);
    clock.set(1_000);
    reporter.progress('scan', 15, 100);
    clock.set(2_000);
    reporter.progress('scan', 16, 100);
    clock.set(2_500);
    reporter.progress('scan', 17, 100);
    expect(stream.text().split('\n')).toEqual([
      'scan: 0/100 started',
      'scan: 16/100 (16%) in 2.0s, 8.0/s, ETA 10s',
      '',
    ]);
  });

  it('keeps stages apart, starts a stage again when it comes back, and prints warnings as lines', () => {
    const stream = plainStream();
    const clock = manualClock();
    const reporter = createProgressReporter({ stream, now: clock.now });
    reporter.progress('corpus', 3, 3); // complete at its first report
    reporter.progress('generate', 0, 1000);
    clock.set(500);
    reporter.progress('verify', 0, 10);
    reporter.warn('(0008,0080) too long in a.dcm; template skipped');
    clock.set(1_000);
    reporter.progress('generate', 1000, 1000);
    reporter.progress('verify', 10, 10);
    reporter.progress('verify', 0, 4); // the next split's verify
    clock.set(1_250);
    reporter.progress('verify', 4, 4);
    reporter.progress('empty', 0, 0);
    expect(stream.text().split('\n')).toEqual([
      'corpus: 3/3 done',
      'generate: 0/1000 started',
      'verify: 0/10 started',
      'pseudophi: warning: (0008,0080) too long in a.dcm; template skipped',
      'generate: 1000/1000 done in 1.0s, 1000/s',
      'verify: 10/10 done in 0.5s, 20.0/s',
      'verify: 0/4 started',
      'verify: 4/4 done in 0.3s, 16.0/s',
      'empty: 0/0 done',
      '',
    ]);
  });

  it('prints only warnings when quiet, on a terminal or not', () => {
    for (const stream of [plainStream(), fakeTerminal()]) {
      const chunks: string[] = [];
      const spy: ProgressStream = { ...stream, write: (chunk: string) => chunks.push(chunk) };
      const reporter = createProgressReporter({ stream: spy, now: manualClock().now, quiet: true });
      reporter.progress('scan', 0, 10);
      reporter.warn('careful');
      reporter.progress('scan', 10, 10);
      reporter.close();
      expect(chunks.join('')).toBe('pseudophi: warning: careful\n');
    }
  });
});

describe('bars (a terminal)', () => {
  it('draws a bar with counts, rate and ETA, and finishes it on its own line', () => {
    const terminal = fakeTerminal(100);
    const clock = manualClock();
    const reporter = createProgressReporter({ stream: terminal, now: clock.now });
    reporter.progress('generate', 0, 4);
    clock.set(1_000);
    reporter.progress('generate', 1, 4);
    reporter.warn('first'); // flushes the log and draws the bar at its current count
    expect(terminal.screen()).toEqual([
      'pseudophi: warning: first',
      'generate     [=========-------------------------]  25% | 1/4 | 1.0/s | 1.0s | ETA 3.0s',
    ]);
    clock.set(4_000);
    reporter.progress('generate', 4, 4);
    expect(terminal.screen()).toEqual([
      'pseudophi: warning: first',
      'generate     [==================================] 100% | 4/4 | 1.0/s | 4.0s | ETA 0.0s',
      '',
    ]);
    reporter.warn('after the bars'); // no bar running: a plain line
    expect(terminal.screen().slice(2)).toEqual(['pseudophi: warning: after the bars', '']);
  });

  it('keeps overlapping stages on their own lines, warnings above, and stage after stage below', () => {
    const terminal = fakeTerminal(80);
    const clock = manualClock();
    const reporter = createProgressReporter({ stream: terminal, now: clock.now });
    reporter.progress('generate train', 0, 10);
    reporter.progress('verify', 0, 2);
    clock.set(2_000);
    reporter.progress('generate train', 5, 10);
    reporter.warn('one');
    reporter.warn('two');
    reporter.progress('verify', 2, 2);
    clock.set(3_000);
    reporter.progress('generate train', 10, 10);
    reporter.progress('verify', 0, 1);
    reporter.progress('verify', 1, 1);
    const screen = terminal.screen();
    expect(screen.slice(0, 2)).toEqual(['pseudophi: warning: one', 'pseudophi: warning: two']);
    expect(screen[2]).toMatch(/^generate train \[=+\] 100% \| 10\/10 \| 3\.3\/s \| 3\.0s \| ETA 0\.0s$/);
    expect(screen[3]).toMatch(/^verify {7}\[=+\] 100% \| 2\/2 \| 1\.0\/s \| 2\.0s \| ETA 0\.0s$/);
    expect(screen[4]).toMatch(/^verify {7}\[=+\] 100% \| 1\/1 \| - \| 0\.0s \| ETA 0\.0s$/);
    expect(screen.slice(5)).toEqual(['']);
    // Every line fits in the terminal: nothing wraps and pushes the bars out of place.
    for (const line of screen) expect(line.length).toBeLessThanOrEqual(80);
    // Line wrapping and the cursor are left alone, so an interrupted run leaves the terminal as it was.
    for (const mode of ['?7h', '?7l', '?25h', '?25l']) expect(terminal.raw()).not.toContain(`${ESC}[${mode}`);
  });

  it('close() ends a stage cut short (an error) on a fresh line, and lets the process exit', async () => {
    const terminal = fakeTerminal(100);
    const clock = manualClock();
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const reporter = createProgressReporter({ stream: terminal, now: clock.now });
    reporter.progress('scan', 0, 10);
    clock.set(1_000);
    reporter.progress('scan', 3, 10);
    // The redraw timer is unref'ed: a bar left running does not keep Node from exiting.
    expect(timers()).toBe(before);
    await new Promise((resolve) => setTimeout(resolve, 150)); // one redraw by the timer
    expect(terminal.screen()).toEqual([
      'scan         [==========------------------------]  30% | 3/10 | 3.0/s | 1.0s | ETA 2.3s',
    ]);
    reporter.close();
    reporter.close();
    expect(terminal.screen()).toEqual([
      'scan         [==========------------------------]  30% | 3/10 | 3.0/s | 1.0s | ETA 2.3s',
      '',
    ]);
  });

  it('closeAllProgress() ends the bars still drawn, so an error message gets a line of its own', () => {
    const terminal = fakeTerminal(100);
    const clock = manualClock();
    const reporter = createProgressReporter({ stream: terminal, now: clock.now });
    reporter.progress('scan', 0, 10);
    clock.set(1_000);
    reporter.progress('scan', 5, 10);
    closeAllProgress();
    terminal.write('pseudophi: something broke\n');
    closeAllProgress(); // nothing left to close
    expect(terminal.screen()).toEqual([
      'scan         [=================-----------------]  50% | 5/10 | 5.0/s | 1.0s | ETA 1.0s',
      'pseudophi: something broke',
      '',
    ]);
  });
});
