// The ways reading access logs can fail as a whole (as opposed to one bad line, a rejection).
// Callers tell them apart: the CLI exits 2 on InputError; a Lambda fails the object on either.

/** An input path that is missing, unreadable, of the wrong kind, or holds no log files. */
export class InputError extends Error {
  override name = 'InputError';

  constructor(
    message: string,
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** An InputError for a file-system failure on `path`, worded for a person, not as an errno. */
  static fromFileSystem(path: string, error: unknown): InputError {
    return new InputError(`cannot read ${path}: ${describeFileSystemError(error)}`, path, {
      cause: error,
    });
  }
}

/** A byte stream that claims to be gzip but does not decompress to its end. */
export class CorruptInputError extends Error {
  override name = 'CorruptInputError';

  constructor(
    message: string,
    readonly source: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const FILE_SYSTEM_REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

function describeFileSystemError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && Object.hasOwn(FILE_SYSTEM_REASONS, code)) {
    return `${FILE_SYSTEM_REASONS[code]} (${code})`;
  }
  return error instanceof Error ? error.message : String(error);
}
