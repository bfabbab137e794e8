// Specification of `lattice-lens download` over a store standing in for the bucket (the same
// command against a real local S3 server is in test/integration/pipeline-e2e.test.ts).
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadFrom, formatDownload } from '../../../cli/download.ts';
import { UsageError } from '../../../cli/usage-error.ts';
import type { PolicyFormat, SuggestionsManifest } from '../../../shared/pipeline/index.ts';
import { renderPolicyFile } from '../../../shared/policy/render/index.ts';
import type { AuthPolicy } from '../../../shared/policy/types.ts';
import { FileObjectStore } from '../../../shared/store/index.ts';

const A = 'svc-0a40974812b61bafb';
const B = 'svc-05531d0bdc8fb97d0';

function manifestFor(ids: string[]): SuggestionsManifest {
  return {
    window: { from: '2026-11-08T03:00:00.000Z', to: '2026-11-22T03:00:00.000Z', days: 14 },
    generatedAt: '2026-11-22T03:00:00.000Z',
    summaries: 48,
    services: ids.map((id) => ({
      serviceId: id,
      serviceArn: `arn:aws:vpc-lattice:us-east-1:111122223333:service/${id}`,
      policyKey: `policies/${id}.json`,
      evidenceKey: `policies/${id}.evidence.json`,
      statements: 2,
      review: 1,
    })),
    reportKey: 'policies/report.html',
  };
}

let root: string;
let bucket: FileObjectStore;
let out: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'lattice-lens-download-cli-'));
  bucket = new FileObjectStore(join(root, 'bucket'));
  out = join(root, 'out');
  for (const id of [A, B]) {
    await bucket.put(`policies/${id}.json`, `{"policy":"${id}"}`);
    await bucket.put(`policies/${id}.evidence.json`, `{"evidence":"${id}"}\n`);
  }
  await bucket.put('policies/report.html', '<!doctype html>');
  await bucket.put('policies/latest.json', JSON.stringify(manifestFor([A, B])));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('lattice-lens download', () => {
  it('lists the services of the latest suggestions', async () => {
    const result = await downloadFrom(bucket, { bucket: 'b' });
    expect(result).toEqual({ kind: 'list', manifest: manifestFor([A, B]) });
    expect(formatDownload(result)).toBe(
      'Suggested 2026-11-22T03:00:00.000Z from 48 summaries, window 2026-11-08T03:00:00.000Z – 2026-11-22T03:00:00.000Z (14 days):\n' +
        `  ${A}   2 statement(s)  1 to review\n` +
        `  ${B}   2 statement(s)  1 to review\n`,
    );
  });

  it('marks a service whose policy is over the size limit, and lists one without the mark as fine', async () => {
    // A manifest written before exceedsSizeLimit existed (manifestFor leaves it out) still lists.
    const manifest = manifestFor([A, B]);
    manifest.services = manifest.services.map((s, i) => ({ ...s, exceedsSizeLimit: i === 0 }));
    await bucket.put('policies/latest.json', JSON.stringify(manifest));
    const lines = formatDownload(await downloadFrom(bucket, { bucket: 'b' })).split('\n');
    expect(lines[1]).toBe(
      `  ${A}   2 statement(s)  1 to review  (over the size limit: PutAuthPolicy will reject it)`,
    );
    expect(lines[2]).toBe(`  ${B}   2 statement(s)  1 to review`);
  });

  describe('one policy (--service)', () => {
    it('prints it exactly as stored to a pipe or a file: no newline added, PutAuthPolicy rejects one', async () => {
      const result = await downloadFrom(bucket, { bucket: 'b', service: A });
      expect(result).toEqual({
        kind: 'policy',
        serviceId: A,
        format: 'json',
        policy: `{"policy":"${A}"}`,
      });
      expect(formatDownload(result)).toBe(`{"policy":"${A}"}`);
      expect(formatDownload(result, false)).toBe(`{"policy":"${A}"}`);
    });

    it('ends it with a newline on a terminal, so the prompt starts on its own line', async () => {
      const result = await downloadFrom(bucket, { bucket: 'b', service: A });
      expect(formatDownload(result, true)).toBe(`{"policy":"${A}"}\n`);
    });
  });

  it('writes every policy, its evidence, the report and the manifest under --out, as analyze lays them out', async () => {
    const result = await downloadFrom(bucket, { bucket: 'b', out });
    expect(result.kind).toBe('files');
    expect((await readdir(out, { recursive: true })).sort()).toEqual(
      [
        'policies',
        'report.html',
        'policies/latest.json',
        ...[A, B].flatMap((id) => [`policies/${id}.json`, `policies/${id}.evidence.json`]),
      ].sort(),
    );
    expect(await readFile(join(out, 'policies', `${A}.json`), 'utf8')).toBe(`{"policy":"${A}"}`);
  });

  it('writes only the policy and evidence of --service under --out', async () => {
    await downloadFrom(bucket, { bucket: 'b', out, service: B });
    expect((await readdir(join(out, 'policies'))).sort()).toEqual([
      `${B}.evidence.json`,
      `${B}.json`,
    ]);
  });

  describe('--format', () => {
    const POLICY = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Allow1',
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::111122223333:role/checkout'] },
          Action: 'vpc-lattice-svcs:Invoke',
          Resource: `arn:aws:vpc-lattice:us-east-1:111122223333:service/${A}/*`,
        },
      ],
    } as AuthPolicy;
    const WINDOW = { from: '2026-11-09T00:00:01.000Z', to: '2026-11-21T23:59:58.000Z' };
    const rendered = (format: PolicyFormat) =>
      renderPolicyFile(
        {
          serviceId: A,
          serviceArn: `arn:aws:vpc-lattice:us-east-1:111122223333:service/${A}`,
          policy: POLICY,
          window: WINDOW,
        },
        format,
      );

    beforeEach(async () => {
      await bucket.put(`policies/${A}.json`, JSON.stringify(POLICY));
      await bucket.put(`policies/${A}.evidence.json`, JSON.stringify({ window: WINDOW }));
    });

    it.each(['terraform', 'cloudformation'] as const)(
      'prints the %s rendering of one policy, as analyze --format writes it',
      async (format) => {
        const result = await downloadFrom(bucket, { bucket: 'b', service: A, formats: [format] });
        expect(result).toEqual({ kind: 'policy', serviceId: A, format, policy: rendered(format) });
        expect(formatDownload(result)).toBe(rendered(format));
      },
    );

    it('writes the renderings beside the JSON under --out, named as analyze names them', async () => {
      await downloadFrom(bucket, {
        bucket: 'b',
        out,
        service: A,
        formats: ['json', 'terraform', 'cloudformation'],
      });
      expect((await readdir(join(out, 'policies'))).sort()).toEqual([
        `${A}.cfn.json`,
        `${A}.evidence.json`,
        `${A}.json`,
        `${A}.tf`,
      ]);
      expect(await readFile(join(out, 'policies', `${A}.tf`), 'utf8')).toBe(rendered('terraform'));
    });

    it('is a usage error without --service or --out (a list has no format)', async () => {
      await expect(downloadFrom(bucket, { bucket: 'b', formats: ['terraform'] })).rejects.toThrow(
        new UsageError('--format needs --service (print one policy) or --out (write files)'),
      );
    });

    it('is a usage error to print one policy in two formats', async () => {
      await expect(
        downloadFrom(bucket, { bucket: 'b', service: A, formats: ['json', 'terraform'] }),
      ).rejects.toThrow(new UsageError('--format: give one format to print, not json,terraform'));
    });
  });

  describe('fails with one line (exit 2)', () => {
    it('when the suggest function has not run', async () => {
      await rm(join(root, 'bucket', 'policies', 'latest.json'));
      await expect(downloadFrom(bucket, { bucket: 'b' })).rejects.toThrow(
        new UsageError(
          'no suggested policies in s3://b: policies/latest.json is missing (has the suggest function run?)',
        ),
      );
    });

    it('when the service is not in the latest suggestions, naming those that are', async () => {
      await expect(downloadFrom(bucket, { bucket: 'b', service: 'svc-0000' })).rejects.toThrow(
        `no suggested policy for svc-0000 in s3://b (services: ${A}, ${B})`,
      );
    });

    it('when --service is not a service id', async () => {
      await expect(downloadFrom(bucket, { bucket: 'b', service: '../latest' })).rejects.toThrow(
        /is not a service id/,
      );
    });

    it('when the manifest is damaged', async () => {
      await bucket.put('policies/latest.json', '[]');
      await expect(downloadFrom(bucket, { bucket: 'b' })).rejects.toThrow(
        'cannot read s3://b/policies/latest.json: ManifestFormatError: policies/latest.json: expected a JSON object',
      );
    });

    it('when a service of the manifest has an exceedsSizeLimit that is not a boolean', async () => {
      const manifest = manifestFor([A]);
      await bucket.put(
        'policies/latest.json',
        JSON.stringify({
          ...manifest,
          services: [{ ...manifest.services[0], exceedsSizeLimit: 'no' }],
        }),
      );
      await expect(downloadFrom(bucket, { bucket: 'b' })).rejects.toThrow(
        /services\[0\] should have .* and exceedsSizeLimit \(a boolean\) if any/,
      );
    });

    it('when a listed object is missing from the bucket', async () => {
      await rm(join(root, 'bucket', 'policies', `${A}.evidence.json`));
      const error = await downloadFrom(bucket, { bucket: 'b', out }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toBe(
        `cannot read s3://b/policies/${A}.evidence.json: ObjectNotFoundError: no object at key "policies/${A}.evidence.json"`,
      );
    });
  });
});
