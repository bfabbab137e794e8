// Reads auth-policy files from disk: one file, or a directory of `<svc-id>.json` (and
// `<sn-id>.json`) files as analyze writes them, each tied to the resource it governs.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { InputError } from '../log/index.ts';
import { type PolicyDocument, PolicyFormatError, parseAuthPolicy } from './evaluate/index.ts';
import { type GoverningPolicy, serviceNamedBy } from './policy-set.ts';

const POLICY_FILE = /^((?:svc|sn)-[0-9a-z]+)\.json$/;

export interface ReadPolicyOptions {
  /**
   * The service (`svc-…`) or network (`sn-…`) a single file governs (`--service`): it must agree
   * with what the file's name or its one named service says, and decides where they say nothing.
   */
  resourceId?: string;
  /** What a single file governs when neither its name nor its resources say, and none is given. */
  defaultResourceId?: string;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw InputError.fromFileSystem(path, error);
  }
}

/**
 * One policy file: governs what its name says, else the one service its resources name, else
 * `resourceId`. A `resourceId` that contradicts the name or the resources is an error: the file
 * would be simulated against another service's traffic.
 */
export async function readPolicyFile(
  path: string,
  options: ReadPolicyOptions = {},
): Promise<GoverningPolicy> {
  const document = parseAuthPolicy(await readText(path), path);
  const given = options.resourceId;
  const fromName = POLICY_FILE.exec(basename(path))?.[1];
  if (fromName !== undefined) {
    if (given !== undefined && given !== fromName) {
      throw new PolicyFormatError(path, `its name says it governs ${fromName}, not ${given}`);
    }
    return { resourceId: fromName, document };
  }
  const fallback = given ?? options.defaultResourceId;
  if (fallback === undefined) return { resourceId: serviceNamedBy(document), document };
  const named = oneServiceNamedBy(document);
  if (given !== undefined && named !== undefined && named !== given) {
    throw new PolicyFormatError(path, `its resources name ${named}, not ${given}`);
  }
  return { resourceId: named ?? fallback, document };
}

/** serviceNamedBy, or undefined when the resources name no service or several. */
function oneServiceNamedBy(document: PolicyDocument): string | undefined {
  try {
    return serviceNamedBy(document);
  } catch (error) {
    if (error instanceof PolicyFormatError) return undefined;
    throw error;
  }
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
