// Errors the CLI reports in one line and exits 2 on: bad usage or unreadable input.

export class UsageError extends Error {
  override name = 'UsageError';
}
