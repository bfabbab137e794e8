// Reads auth-policy files from disk: one file, or a directory of `<svc-id>.json` (and
// `<sn-id>.json`) files as analyze writes them, each tied to the resource it governs.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { InputError } from '../log/index.ts';
import { parseAuthPolicy } from './evaluate/index.ts';
import { type GoverningPolicy, serviceNamedBy } from './policy-set.ts';

const POLICY_FILE = /^((?:svc|sn)-[0-9a-z]+)\.json$/;

export interface ReadPolicyOptions {
  /** The service (`svc-…`) or network (`sn-…`) a single file governs, overriding its name. */
  resourceId?: string;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw InputError.fromFileSystem(path, error);
  }
}

/** One policy file: governs what `resourceId` says, else what its name or its resources say. */
export async function readPolicyFile(
  path: string,
  options: ReadPolicyOptions = {},
): Promise<GoverningPolicy> {
  const document = parseAuthPolicy(await readText(path), path);
  const resourceId =
    options.resourceId ?? POLICY_FILE.exec(basename(path))?.[1] ?? serviceNamedBy(document);
  return { resourceId, document };
}

/**
 * The policies at `path`: the file itself, or every `svc-….json` / `sn-….json` directly in the
 * directory (evidence, Terraform and CloudFormation files beside them are not policies).
 */
export async function readPolicies(
  path: string,
  options: ReadPolicyOptions = {},
): Promise<GoverningPolicy[]> {
  let entry: Awaited<ReturnType<typeof stat>>;
  try {
    entry = await stat(path);
  } catch (error) {
    throw InputError.fromFileSystem(path, error);
  }
  if (!entry.isDirectory()) return [await readPolicyFile(path, options)];
  if (options.resourceId !== undefined) {
    throw new InputError(
      `--service names the service of one policy file; ${path} is a directory of <svc-id>.json files`,
      path,
    );
  }
  let names: string[];
  try {
    names = await readdir(path);
  } catch (error) {
    throw InputError.fromFileSystem(path, error);
  }
  const files = names.filter((name) => POLICY_FILE.test(name)).sort();
  if (files.length === 0) {
    throw new InputError(`no policy files (<svc-id>.json or <sn-id>.json) in ${path}`, path);
  }
  return Promise.all(files.map((name) => readPolicyFile(join(path, name))));
}
