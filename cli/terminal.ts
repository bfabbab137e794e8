// What a command may do on the terminal it runs in: colour and a progress line, only for a person
// at a TTY, never in a pipe, a file, CI logs or under --json.
//
// How a command uses it (analyze and report do; every command should):
//   const term = terminalFor({ json: options.json });
//   const files = await listAccessLogFiles(inputs);            // or any known total of bytes
//   const progress = term.progress('Reading logs', files.reduce((n, f) => n + f.bytes, 0));
//   … readAccessLogs(inputs, { onBytes: progress.advance }) …
//   progress.done();                                           // clears the line
//   process.stdout.write(options.json ? jsonText(result) : format(result, term.colour));
// Results go to stdout (printJson / plain text from ./output.ts); progress only to stderr.

/** The part of a stream this module needs; process.stdout/stderr and test doubles fit. */
export interface TerminalStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** True when a person is watching `stream`: it is a TTY (not a pipe, a file or /dev/null). */
export function isInteractive(stream: TerminalStream = process.stderr): boolean {
  return stream.isTTY === true;
}

/**
 * Colour on a TTY only, and never when NO_COLOR is set to a non-empty value (no-color.org) or
 * the terminal says it cannot (TERM=dumb).
 */
export function isColourEnabled(
  stream: TerminalStream = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  const noColor = env.NO_COLOR;
  return isInteractive(stream) && (noColor === undefined || noColor === '') && env.TERM !== 'dumb';
}

export interface Colours {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
}

const PLAIN: Colours = {
  bold: (t) => t,
  dim: (t) => t,
  red: (t) => t,
  yellow: (t) => t,
  green: (t) => t,
};

function sgr(open: number, close: number): (text: string) => string {
  return (text) => `\x1b[${open}m${text}\x1b[${close}m`;
}

const ANSI: Colours = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  yellow: sgr(33, 39),
  green: sgr(32, 39),
};

/** Colour functions: ANSI when enabled, identity otherwise, so formatting code never branches. */
export function colours(enabled: boolean): Colours {
  return enabled ? ANSI : PLAIN;
}

export interface Progress {
  /** Adds bytes done; safe to pass as a callback (`onBytes: progress.advance`). */
  advance: (bytes: number) => void;
  /** Clears the line, if one was drawn. Call it before printing anything else. */
  done: () => void;
}

export interface ProgressOptions {
  label: string;
  totalBytes: number;
  stream?: TerminalStream;
  enabled: boolean;
  /** Milliseconds clock; injectable so the throttling is testable without waiting. */
  now?: () => number;
}

/** Runs shorter than this never show a progress line: it would only flicker. */
export const PROGRESS_DELAY_MS = 500;
/** At most this often the line is redrawn, so progress never costs throughput. */
export const PROGRESS_INTERVAL_MS = 100;
const BAR_WIDTH = 24;

const SILENT: Progress = { advance: () => {}, done: () => {} };

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** `Reading logs [#########---------------]  38%  12.3 MB of 32.1 MB` */
export function progressLine(label: string, done: number, total: number): string {
  const share = total <= 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(share * BAR_WIDTH);
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(share * 100)).padStart(3)}%  ${megabytes(done)} of ${megabytes(total)}`;
}

/** A one-line progress indicator on stderr by bytes done; silent when not enabled. */
export function startProgress(options: ProgressOptions): Progress {
  if (!options.enabled) return SILENT;
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const started = now();
  let doneBytes = 0;
  let drawnAt: number | undefined;
  return {
    advance: (bytes) => {
      doneBytes += bytes;
      const t = now();
      if (t - started < PROGRESS_DELAY_MS) return;
      if (drawnAt !== undefined && t - drawnAt < PROGRESS_INTERVAL_MS) return;
      drawnAt = t;
      // \r back to the start, \x1b[K erases what a longer earlier line left behind.
      stream.write(`\r${progressLine(options.label, doneBytes, options.totalBytes)}\x1b[K`);
    },
    done: () => {
      if (drawnAt !== undefined) stream.write('\r\x1b[K');
      drawnAt = undefined;
    },
  };
}

export interface Terminal {
  colour: Colours;
  /** A progress line on stderr, drawn only for a person at a TTY and never under --json. */
  progress(label: string, totalBytes: number): Progress;
}

/** The terminal behaviour for one command run, from its --json flag and the real streams. */
export function terminalFor(options: { json?: boolean }): Terminal {
  const isJson = options.json === true;
  return {
    colour: colours(!isJson && isColourEnabled(process.stdout)),
    progress: (label, totalBytes) =>
      startProgress({
        label,
        totalBytes,
        enabled: !isJson && isInteractive(process.stderr),
      }),
  };
}
