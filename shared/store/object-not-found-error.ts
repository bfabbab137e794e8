// The one store failure callers act on: the object is not there (a 404 for the download function,
// "run suggest first" for the CLI), told apart from access or network failures.

export class ObjectNotFoundError extends Error {
  override name = 'ObjectNotFoundError';

  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`no object at key ${JSON.stringify(key)}`, options);
  }
}
