// Object keys as S3 event notifications carry them: URL-encoded, with a space as `+`
// (aws-contracts.md §8), so `a b+c.gz` arrives as `a+b%2Bc.gz`.

/** The object key an S3 event record names. Throws URIError on a malformed `%` escape. */
export function decodeS3EventKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch (error) {
    throw new URIError(`S3 event object key ${JSON.stringify(encoded)} is not valid URL encoding`, {
      cause: error,
    });
  }
}

/** The form S3 gives `key` in an event (`/` kept, space as `+`): the inverse of decodeS3EventKey. */
export function encodeS3EventKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}
