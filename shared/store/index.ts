// Object storage behind one interface: a local folder here, an S3 bucket in shared/aws.
export { FileObjectStore } from './file-object-store.ts';
export { ObjectNotFoundError } from './object-not-found-error.ts';
export type { ObjectInfo, ObjectStore } from './object-store.ts';
