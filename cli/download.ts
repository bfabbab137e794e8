// `lattice-lens download`: the latest suggested policies from the deployment's bucket — a list,
// one policy on stdout, or files under --out laid out as analyze lays them out.
import { join } from 'node:path';
import { Command } from 'commander';
import { createS3Client, S3ObjectStore } from '../shared/aws/index.ts';
import {
  isServiceId,
  MANIFEST_KEY,
  type PolicyFormat,
  readManifest,
  readSuggestedPolicy,
  type SuggestionsManifest,
} from '../shared/pipeline/index.ts';
import { policyFileName } from '../shared/policy/render/index.ts';
import { FileObjectStore, type ObjectStore } from '../shared/store/index.ts';
import { policyFormats } from './policy-input.ts';
import { isInteractive } from './terminal.ts';
import { UsageError } from './usage-error.ts';

export interface DownloadOptions {
  bucket: string;
  /** One service id; all listed services when absent. */
  service?: string;
  /** Write files under this folder instead of printing. */
  out?: string;
  /** A custom S3 endpoint (MinIO, LocalStack, s3rver). */
  endpoint?: string;
  /**
   * Policy formats: the one to print with --service, or those to write beside the JSON with --out
   * (json is always written). Default json.
   */
  formats?: PolicyFormat[];
}

export type DownloadResult =
  /** No --service, no --out: what the latest suggestions hold. */
  | { kind: 'list'; manifest: SuggestionsManifest }
  /** --service without --out: the policy document, exactly as stored, or its rendering. */
  | { kind: 'policy'; serviceId: string; format: PolicyFormat; policy: string }
  /** --out: the files written. */
  | { kind: 'files'; manifest: SuggestionsManifest; files: string[] };

/** Downloads from `store` (the bucket); `runDownload` builds that store from the options. */
export async function downloadFrom(
  store: ObjectStore,
  options: Omit<DownloadOptions, 'endpoint'>,
): Promise<DownloadResult> {
  const where = `s3://${options.bucket}`;
  if (options.service !== undefined && !isServiceId(options.service)) {
    throw new UsageError(
      `--service ${JSON.stringify(options.service)} is not a service id (like svc-0a1b2c3d4e5f60718)`,
    );
  }
  const formats = options.formats ?? ['json'];
  if (options.out === undefined && options.service === undefined && options.formats !== undefined) {
    throw new UsageError('--format needs --service (print one policy) or --out (write files)');
  }
  if (options.out === undefined && formats.length !== 1) {
    throw new UsageError(`--format: give one format to print, not ${formats.join(',')}`);
  }
  const manifest = await remote(`${where}/${MANIFEST_KEY}`, () => readManifest(store));
  if (manifest === undefined) {
    throw new UsageError(
      `no suggested policies in ${where}: ${MANIFEST_KEY} is missing (has the suggest function run?)`,
    );
  }
  const services =
    options.service === undefined
      ? manifest.services
      : manifest.services.filter((s) => s.serviceId === options.service);
  if (options.service !== undefined && services.length === 0) {
    const known = manifest.services.map((s) => s.serviceId).join(', ') || 'none';
    throw new UsageError(
      `no suggested policy for ${options.service} in ${where} (services: ${known})`,
    );
  }

  if (options.out === undefined) {
    if (options.service === undefined) return { kind: 'list', manifest };
    const format = formats[0] ?? 'json';
    const download = await remote(`${where}/policies/${options.service}.json`, () =>
      readSuggestedPolicy(store, manifest, options.service as string, format),
    );
    return { kind: 'policy', serviceId: options.service, format, policy: download?.body ?? '' };
  }

  // The analyze layout: policies/<svc-id>.json and .evidence.json, report.html at the top.
  const copies: { from: string; to: string }[] = services.flatMap((s) => [
    { from: s.policyKey, to: `policies/${s.serviceId}.json` },
    { from: s.evidenceKey, to: `policies/${s.serviceId}.evidence.json` },
  ]);
  if (options.service === undefined) {
    copies.push({ from: manifest.reportKey, to: 'report.html' });
    copies.push({ from: MANIFEST_KEY, to: 'policies/latest.json' });
  }
  const local = new FileObjectStore(options.out);
  const files: string[] = [];
  for (const copy of copies) {
    const bytes = await remote(`${where}/${copy.from}`, () => store.get(copy.from));
    await local.put(copy.to, bytes);
    files.push(join(options.out, copy.to));
  }
  // Renderings beside the JSON, named as analyze --format names them.
  for (const format of formats.filter((f) => f !== 'json')) {
    for (const s of services) {
      const download = await remote(`${where}/${s.policyKey}`, () =>
        readSuggestedPolicy(store, manifest, s.serviceId, format),
      );
      const to = `policies/${policyFileName(s.serviceId, format)}`;
      await local.put(to, download?.body ?? '');
      files.push(join(options.out, to));
    }
  }
  return { kind: 'files', manifest, files };
}

/** Runs the download against the bucket (AWS credentials and region from the usual places). */
export async function runDownload(options: DownloadOptions): Promise<DownloadResult> {
  const client = createS3Client(
    options.endpoint === undefined ? {} : { endpoint: options.endpoint },
  );
  try {
    return await downloadFrom(new S3ObjectStore(client, options.bucket), options);
  } finally {
    client.destroy();
  }
}

/**
 * Runs one read of the bucket; its failures (no such bucket, access denied, no credentials, a
 * missing object, an unreachable endpoint) are the user's to fix, so they end as one line, exit 2.
 */
async function remote<T>(what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new UsageError(`cannot read ${what}: ${reason}`, { cause: error });
  }
}

/**
 * The text to print. A policy goes out as stored when stdout is a pipe or a file (PutAuthPolicy
 * rejects newlines, and `> policy.json` must equal the stored object); only a person at a terminal
 * gets a final newline, so the prompt starts on a line of its own.
 */
export function formatDownload(result: DownloadResult, isTerminal = false): string {
  switch (result.kind) {
    case 'policy':
      return isTerminal && !result.policy.endsWith('\n') ? `${result.policy}\n` : result.policy;
    case 'files':
      return `Wrote ${result.files.length} file(s):\n${result.files.map((f) => `  ${f}\n`).join('')}`;
    case 'list': {
      const { manifest } = result;
      const lines = [
        `Suggested ${manifest.generatedAt} from ${manifest.summaries} summaries, ` +
          `window ${manifest.window.from} – ${manifest.window.to} (${manifest.window.days} days):`,
      ];
      const width = Math.max(0, ...manifest.services.map((s) => s.serviceId.length));
      for (const s of manifest.services) {
        lines.push(
          `  ${s.serviceId.padEnd(width)}  ${String(s.statements).padStart(2)} statement(s)  ${s.review} to review` +
            (s.exceedsSizeLimit === true
              ? '  (over the size limit: PutAuthPolicy will reject it)'
              : ''),
        );
      }
      if (manifest.services.length === 0) lines.push('  (no services: no traffic in the window)');
      return `${lines.join('\n')}\n`;
    }
  }
}

function jsonOf(result: DownloadResult): unknown {
  switch (result.kind) {
    case 'list':
      return result.manifest;
    case 'policy':
      // The JSON document as an object; a Terraform rendering is text, so it goes in a string.
      return result.format === 'terraform'
        ? { serviceId: result.serviceId, format: result.format, policy: result.policy }
        : JSON.parse(result.policy);
    case 'files':
      return { files: result.files, manifest: result.manifest };
  }
}

export function downloadCommand(): Command {
  return new Command('download')
    .description(
      'Fetch the latest suggested policies from the deployment bucket (what the suggest function wrote).',
    )
    .requiredOption('--bucket <name>', 'the lattice-lens bucket')
    .option('--service <svc-id>', 'only this service: print its policy, or write only its files')
    .option('-o, --out <dir>', 'write policies, evidence and the report under this folder')
    .option('--json', 'print a machine-readable result on stdout', false)
    .option('--endpoint <url>', 'a custom S3 endpoint (MinIO, LocalStack, s3rver)')
    .option(
      '--format <formats>',
      'json, terraform, cloudformation: the one to print with --service, or those to write beside the JSON with --out',
      policyFormats,
    )
    .addHelpText(
      'after',
      `
Without --service or --out, lists the services of the latest suggestions. With --service, prints
that policy exactly as stored, without a final newline unless stdout is a terminal (usable with
aws vpc-lattice put-auth-policy --policy file://…). With --out, writes
<dir>/policies/<svc-id>.json and .evidence.json (and <dir>/report.html for all services), plus
<svc-id>.tf or <svc-id>.cfn.json for each --format given, as analyze --format writes them.

Examples:
  $ lattice-lens download --bucket my-lattice-lens-bucket
  $ lattice-lens download --bucket my-lattice-lens-bucket --service svc-0a40974812b61bafb > policy.json
  $ lattice-lens download --bucket my-lattice-lens-bucket --service svc-0a40974812b61bafb --format terraform > auth_policy.tf
  $ lattice-lens download --bucket my-lattice-lens-bucket --out suggested/ --format terraform`,
    )
    .action(
      async (options: {
        bucket: string;
        service?: string;
        out?: string;
        json: boolean;
        endpoint?: string;
        format?: PolicyFormat[];
      }) => {
        const result = await runDownload({
          ...options,
          ...(options.format === undefined ? {} : { formats: options.format }),
        });
        process.stdout.write(
          options.json
            ? `${JSON.stringify(jsonOf(result), null, 2)}\n`
            : formatDownload(result, isInteractive(process.stdout)),
        );
      },
    );
}
