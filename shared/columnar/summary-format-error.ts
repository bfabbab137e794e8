// The error a summary file gets when it is not Parquet or does not follow the summary schema.

/** A summary file could not be read as summary rows; `column` names the offending column if any. */
export class SummaryFormatError extends Error {
  override readonly name = 'SummaryFormatError';
  readonly column: string | undefined;

  constructor(message: string, options: { column?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.column = options.column;
  }
}
