// The one-line failure of a command given logs without a single valid record: a wrong folder or
// a wrong format must stop a script (exit 2), not pass as "nothing to report".
import { formatRejection, type RejectedLine } from '../shared/log/index.ts';
import { UsageError } from './usage-error.ts';

/** Names the inputs, how many lines were rejected and, if any was, the first and why. */
export function noValidRecordsError(
  inputs: readonly string[],
  rejectedLines: number,
  firstRejection: RejectedLine | undefined,
): UsageError {
  return new UsageError(
    `no valid access-log records in ${inputs.join(', ')} (${rejectedLines} line(s) rejected${firstRejection ? `, first: ${formatRejection(firstRejection)}` : ''})`,
  );
}
