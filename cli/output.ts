// How every command ends: results on stdout (text or --json), failures as one line on stderr,
// and an exit code scripts can branch on.
//
// The contract each command follows (cli/main.ts enforces the error half):
//   0  success: results printed (stdout), nothing on stderr but progress on a TTY
//   1  a check failed (e.g. simulate --fail-on-deny denied a request): throw CheckFailedError
//      after printing the results, so --json output is complete and parseable
//   2  bad usage or unreadable input: commander errors, UsageError, InputError,
//      CorruptInputError, SummaryFormatError, an unwritable output path
//  70  a bug in lattice-lens (anything else), with a pointer to LATTICE_LENS_DEBUG=1
// stderr gets exactly one line `lattice-lens: <reason>` for every non-zero exit.
import { SummaryFormatError } from '../shared/columnar/index.ts';
import { CorruptInputError, InputError } from '../shared/log/index.ts';
import { UsageError } from './usage-error.ts';

export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_USAGE = 2;
/** sysexits.h EX_SOFTWARE: kept apart from 1 so a crash is never read as a failed check. */
export const EXIT_INTERNAL = 70;

/** A check the user asked for failed (results were printed); the command exits 1. */
export class CheckFailedError extends Error {
  override name = 'CheckFailedError';
}

/** The JSON form of a result: two-space indented, one trailing newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Prints a result as JSON on stdout: the whole of stdout under --json. */
export function printJson(value: unknown): void {
  process.stdout.write(jsonText(value));
}

export interface Failure {
  exitCode: number;
  /** One line, without the `lattice-lens: ` prefix. */
  message: string;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function isFileSystemError(error: unknown): error is NodeJS.ErrnoException & { path: string } {
  return (
    error instanceof Error &&
    typeof (error as NodeJS.ErrnoException).code === 'string' &&
    typeof (error as NodeJS.ErrnoException).path === 'string'
  );
}

/** What to print and which code to exit with for an error a command threw. */
export function failureOf(error: unknown): Failure {
  if (error instanceof CheckFailedError) {
    return { exitCode: EXIT_CHECK_FAILED, message: oneLine(error.message) };
  }
  if (
    error instanceof UsageError ||
    error instanceof InputError ||
    error instanceof CorruptInputError ||
    error instanceof SummaryFormatError
  ) {
    return { exitCode: EXIT_USAGE, message: oneLine(error.message) };
  }
  // Reading failures arrive as InputError; a bare file-system error is a path we could not write.
  if (isFileSystemError(error)) {
    // Node words it `ENOTDIR: not a directory, mkdir '/a/b'`: keep the reason, name the code once.
    const reason =
      // A recursive mkdir meeting a file where a folder should be says `EEXIST: file already
      // exists`, which reads as if the folder were there already: say what is wrong instead.
      error.code === 'EEXIST' && error.syscall === 'mkdir'
        ? 'it is a file, not a directory'
        : oneLine(error.message)
            .replace(/^[A-Z]+: /, '')
            .replace(/, \w+ '.*'$/, '');
    return {
      exitCode: EXIT_USAGE,
      message: `cannot write ${error.path}: ${reason} (${error.code})`,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    exitCode: EXIT_INTERNAL,
    message: `internal error: ${oneLine(message)} (a bug: rerun with LATTICE_LENS_DEBUG=1 for the stack trace)`,
  };
}
