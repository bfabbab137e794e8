// `lattice-lens download` and `replay` as scripts see them: spawned with pipes for stdio (not a
// TTY), download against a real local S3 server. What reaches stdout is the stored policy byte for
// byte, and stderr holds nothing but the one-line reason of a failure, on every supported Node.js.
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../shared/aws/index.ts';
import { type LocalS3Server, startLocalS3Server } from './local-s3-server.ts';

const SERVICE = 'svc-0a40974812b61bafb';
/** Compact one-line JSON, no final newline, as suggest stores it; non-ASCII to check the bytes. */
const POLICY = Buffer.from(
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Allow1',
        Effect: 'Allow',
        Principal: { AWS: ['arn:aws:iam::111122223333:role/café'] },
        Action: 'vpc-lattice-svcs:Invoke',
        Resource: `arn:aws:vpc-lattice:us-east-1:111122223333:service/${SERVICE}/*`,
      },
    ],
  }),
  'utf8',
);

interface Run {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs the CLI with pipes for stdio and only the AWS settings given: none inherited, not even
 * AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED, so the CLI must keep stderr clean itself.
 */
function lens(env: Record<string, string>, ...args: string[]): Promise<Run> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')),
  );
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'cli/main.ts', ...args],
      { env: { ...inherited, NO_COLOR: '1', ...env }, encoding: 'buffer' },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr: stderr.toString('utf8') });
      },
    );
  });
}

let server: LocalS3Server;
let credentials: Record<string, string>;

beforeAll(async () => {
  server = await startLocalS3Server();
  credentials = {
    AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
  };
  const bucket = new S3ObjectStore(server.client, server.bucket);
  await bucket.put(`policies/${SERVICE}.json`, POLICY);
  await bucket.put(
    'policies/latest.json',
    JSON.stringify({
      window: { from: '2026-11-08T03:00:00.000Z', to: '2026-11-22T03:00:00.000Z', days: 14 },
      generatedAt: '2026-11-22T03:00:00.000Z',
      summaries: 48,
      services: [
        {
          serviceId: SERVICE,
          serviceArn: `arn:aws:vpc-lattice:us-east-1:111122223333:service/${SERVICE}`,
          policyKey: `policies/${SERVICE}.json`,
          evidenceKey: `policies/${SERVICE}.evidence.json`,
          statements: 1,
          review: 0,
        },
      ],
      reportKey: 'policies/report.html',
    }),
  );
});

afterAll(async () => {
  await server?.stop();
});

describe('lattice-lens download --service, to a pipe', () => {
  it('writes the stored policy byte for byte, with nothing on stderr', async () => {
    const run = await lens(
      credentials,
      'download',
      '--bucket',
      server.bucket,
      '--endpoint',
      server.endpoint,
      '--service',
      SERVICE,
    );
    expect(run.stdout).toEqual(POLICY);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('fails with exactly one line on stderr when the bucket does not exist', async () => {
    const run = await lens(
      credentials,
      'download',
      '--bucket',
      'no-such-bucket',
      '--endpoint',
      server.endpoint,
      '--service',
      SERVICE,
    );
    expect(run.code).toBe(2);
    expect(run.stdout.length).toBe(0);
    expect(run.stderr).toMatch(/^lattice-lens: cannot read s3:\/\/no-such-bucket\/[^\n]+\n$/);
  });
});

describe('lattice-lens replay, to a pipe', () => {
  it('fails with exactly one line on stderr, its Firehose client built, when an input is missing', async () => {
    const run = await lens(credentials, 'replay', '--stream', 'logs', 'no-such-logs/');
    expect(run.code).toBe(2);
    expect(run.stdout.length).toBe(0);
    expect(run.stderr).toMatch(/^lattice-lens: cannot read no-such-logs\/[^\n]*\n$/);
  });
});
