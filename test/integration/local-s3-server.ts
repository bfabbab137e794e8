// A real S3-compatible server for integration tests: s3rver on a free loopback port, in a temp
// folder, with one bucket. Loopback only, so tests need no network and no AWS account.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../shared/aws/index.ts';

export interface LocalS3Server {
  endpoint: string;
  bucket: string;
  /** Static credentials s3rver accepts (it checks the signature's form, not the secret). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** A client for this server, built the way the CLI builds one for --endpoint. */
  client: S3Client;
  stop(): Promise<void>;
}

const SERVER_SCRIPT = join(import.meta.dirname, 'local-s3-server-process.mjs');

export async function startLocalS3Server(bucket = 'lattice-lens-test'): Promise<LocalS3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'lattice-lens-s3rver-'));
  // See local-s3-server-process.mjs for why s3rver runs in a process of its own.
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', SERVER_SCRIPT, directory, bucket],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const port = await readPort(child);
  const endpoint = `http://127.0.0.1:${port}`;
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const client = createS3Client({ endpoint, region: 'us-east-1', credentials });
  return {
    endpoint,
    bucket,
    credentials,
    client,
    async stop() {
      client.destroy();
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
      await rm(directory, { recursive: true, force: true });
    },
  };
}

async function readPort(child: ChildProcess): Promise<number> {
  if (!child.stdout) throw new Error('s3rver process has no stdout');
  const lines = createInterface({ input: child.stdout });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`s3rver process exited with code ${code} before listening`);
  });
  const first = once(lines, 'line').then(([line]) => line as string);
  const line = await Promise.race([first, exited]);
  exited.catch(() => {});
  const { port } = JSON.parse(line) as { port: number };
  return port;
}
