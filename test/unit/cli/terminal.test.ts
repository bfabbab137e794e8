import { describe, expect, it } from 'vitest';
import {
  colours,
  isColourEnabled,
  isInteractive,
  PROGRESS_DELAY_MS,
  PROGRESS_INTERVAL_MS,
  progressLine,
  startProgress,
  type TerminalStream,
} from '../../../cli/terminal.ts';

function stream(isTTY: boolean): TerminalStream & { written: string[] } {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

/** A clock the test moves by hand: throttling is tested without waiting. */
function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('isInteractive', () => {
  it('is true only for a TTY', () => {
    expect(isInteractive(stream(true))).toBe(true);
    expect(isInteractive(stream(false))).toBe(false);
    expect(isInteractive({ write: () => true })).toBe(false);
  });
});

describe('isColourEnabled', () => {
  it('colours a TTY', () => {
    expect(isColourEnabled(stream(true), {})).toBe(true);
  });

  it('never colours a pipe or a file', () => {
    expect(isColourEnabled(stream(false), {})).toBe(false);
  });

  it('never colours when NO_COLOR is set to anything non-empty, as no-color.org says', () => {
    expect(isColourEnabled(stream(true), { NO_COLOR: '1' })).toBe(false);
    expect(isColourEnabled(stream(true), { NO_COLOR: 'false' })).toBe(false);
    expect(isColourEnabled(stream(true), { NO_COLOR: '' })).toBe(true);
  });

  it('never colours a dumb terminal', () => {
    expect(isColourEnabled(stream(true), { TERM: 'dumb' })).toBe(false);
  });
});

describe('colours', () => {
  it('wraps text in ANSI codes when enabled and returns it unchanged otherwise', () => {
    expect(colours(true).red('denied')).toBe('\x1b[31mdenied\x1b[39m');
    expect(colours(false).red('denied')).toBe('denied');
    expect(colours(false).bold('x')).toBe('x');
  });
});

describe('progressLine', () => {
  it('shows a bar, the share done and the bytes', () => {
    expect(progressLine('Reading logs', 12_300_000, 32_100_000)).toBe(
      'Reading logs [#########---------------]  38%  12.3 MB of 32.1 MB',
    );
  });

  it('stays at 100% when more bytes arrive than announced, and for an empty total', () => {
    expect(progressLine('x', 5, 3)).toContain('100%');
    expect(progressLine('x', 0, 0)).toContain('100%');
  });
});

describe('startProgress', () => {
  it('writes nothing at all when not enabled (piped stderr or --json)', () => {
    const err = stream(false);
    const time = clock();
    const progress = startProgress({
      label: 'Reading logs',
      totalBytes: 100,
      stream: err,
      enabled: false,
      now: time.now,
    });
    time.advance(PROGRESS_DELAY_MS * 10);
    progress.advance(50);
    progress.done();
    expect(err.written).toEqual([]);
  });

  it('stays silent on a run shorter than the delay, so quick runs do not flicker', () => {
    const err = stream(true);
    const time = clock();
    const progress = startProgress({
      label: 'x',
      totalBytes: 100,
      stream: err,
      enabled: true,
      now: time.now,
    });
    progress.advance(100);
    progress.done();
    expect(err.written).toEqual([]);
  });

  it('redraws one line in place at most once an interval, then clears it', () => {
    const err = stream(true);
    const time = clock();
    const progress = startProgress({
      label: 'x',
      totalBytes: 100,
      stream: err,
      enabled: true,
      now: time.now,
    });
    time.advance(PROGRESS_DELAY_MS);
    progress.advance(10);
    progress.advance(10); // same instant: not redrawn
    time.advance(PROGRESS_INTERVAL_MS);
    progress.advance(30);
    progress.done();
    expect(err.written).toEqual([
      `\r${progressLine('x', 10, 100)}\x1b[K`,
      `\r${progressLine('x', 50, 100)}\x1b[K`,
      '\r\x1b[K',
    ]);
  });
});
