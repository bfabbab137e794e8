// Specification of readAccessLogs: files and directories in, parsed lines out, in a fixed order,
// with every input checked before the first line.
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ParsedLine } from '../../../shared/log/index.ts';
import {
  CorruptInputError,
  formatRejection,
  InputError,
  listAccessLogFiles,
  readAccessLogBatches,
  readAccessLogs,
} from '../../../shared/log/index.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures/log');
const SERVICE_ARN = 'arn:aws:vpc-lattice:eu-west-1:111122223333:service/svc-0a1b2c3d4e5f60718';

function line(path: string): string {
  return JSON.stringify({
    startTime: '2026-11-20T10:15:30Z',
    serviceArn: SERVICE_ARN,
    requestMethod: 'GET',
    requestPath: path,
    responseCode: 200,
  });
}

async function collect(stream: AsyncIterable<ParsedLine>): Promise<ParsedLine[]> {
  const out: ParsedLine[] = [];
  for await (const parsed of stream) out.push(parsed);
  return out;
}

/** Where each result came from and what it is: `source:line path` or `source:line rejected`. */
function summary(results: ParsedLine[]): string[] {
  return results.map((r) => {
    if (!r.ok) return `${r.rejected.location.source}:${r.rejected.location.line} rejected`;
    const what = r.record.kind === 'service' ? r.record.requestPath : r.record.kind;
    return `${r.location.source}:${r.location.line} ${what}`;
  });
}

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lattice-lens-log-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readAccessLogs', () => {
  describe('with the committed fixtures', () => {
    it('reads service requests with every field', async () => {
      const results = await collect(readAccessLogs([join(FIXTURES, 'service-requests.log')]));
      expect(results.map((r) => r.ok)).toEqual([true, true, true]);
      const denied = results[2];
      if (denied?.ok !== true || denied.record.kind !== 'service')
        throw new Error('expected a record');
      expect(denied.record).toMatchObject({
        responseCode: 403,
        authDeniedReason: 'Service',
        failureReason: 'ClientAccessDenied',
        callerPrincipal: 'arn:aws:sts::777788889999:assumed-role/reporting/job-42',
        serverNameIndicator: 'orders-0a1b2c3d4e5f60718.7d67968.vpc-lattice-svcs.eu-west-1.on.aws',
        extra: {},
      });
      expect(denied.record).not.toHaveProperty('targetIpPort');
      expect(denied.record).not.toHaveProperty('callerPrincipalOrgID');
    });

    it('reads resource connections', async () => {
      const results = await collect(readAccessLogs([join(FIXTURES, 'resource-connections.log')]));
      expect(results.map((r) => r.ok && r.record.kind)).toEqual(['resource', 'resource']);
      expect(results[1]).toMatchObject({ ok: true, record: { sentBytes: 64, receivedBytes: 128 } });
    });

    it('keeps line numbers through a BOM, CRLF line ends and blank lines', async () => {
      const source = join(FIXTURES, 'bom-crlf-blank-lines.log');
      expect(summary(await collect(readAccessLogs([source])))).toEqual([
        `${source}:1 /a`,
        `${source}:3 /b`,
        `${source}:6 /c`,
      ]);
    });

    it('reports each bad line with its own reason and keeps going', async () => {
      const source = join(FIXTURES, 'good-and-bad-lines.log');
      const results = await collect(readAccessLogs([source]));
      const messages = results.map((r) =>
        r.ok ? `ok ${r.location.line}` : formatRejection(r.rejected).replace(source, 'f'),
      );
      expect(messages).toEqual([
        'ok 1',
        expect.stringMatching(/^f:2: not valid JSON: /),
        expect.stringMatching(/^f:3: truncated JSON: /),
        'f:4: expected one JSON object per line, got an array',
        'f:5: field responseCode: expected an integer status 100-599, got "abc"',
        'f:6: field startTime: expected an ISO 8601 UTC time such as "2026-11-20T10:15:30Z", got "yesterday"',
        'f:7: field requestPath: required field is missing',
        'ok 8',
      ]);
    });
  });

  it('gives the same results in batches', async () => {
    const inputs = [FIXTURES];
    const batched: ParsedLine[] = [];
    for await (const batch of readAccessLogBatches(inputs)) batched.push(...batch);
    expect(batched).toEqual(await collect(readAccessLogs(inputs)));
    expect(batched.length).toBeGreaterThan(10);
  });

  describe('compression', () => {
    it('decides by content, not by name: a gzip file named .log and a plain file named .gz', async () => {
      await writeFile(join(dir, 'x.log'), gzipSync(`${line('/zipped')}\n`));
      await writeFile(join(dir, 'y.gz'), `${line('/plain')}\n`);
      expect(summary(await collect(readAccessLogs([dir])))).toEqual([
        `${join(dir, 'x.log')}:1 /zipped`,
        `${join(dir, 'y.gz')}:1 /plain`,
      ]);
    });

    it('throws CorruptInputError naming a damaged gzip file', async () => {
      const gz = gzipSync(`${line('/a')}\n${line('/b')}\n`);
      const path = join(dir, 'broken.log.gz');
      await writeFile(path, gz.subarray(0, gz.length - 12));
      const error = await collect(readAccessLogs([path])).catch((e) => e);
      expect(error).toBeInstanceOf(CorruptInputError);
      expect(error.message).toBe(
        `${path}: corrupt or truncated gzip data (unexpected end of file)`,
      );
    });
  });

  describe('directories', () => {
    it('are read recursively, entries in sorted order, hidden ones skipped', async () => {
      await mkdir(join(dir, 'b', 'deeper'), { recursive: true });
      await mkdir(join(dir, '.cache'));
      await writeFile(join(dir, 'c.log'), `${line('/c')}\n`);
      await writeFile(join(dir, 'a.log'), `${line('/a')}\n`);
      await writeFile(join(dir, 'b', 'z.log'), `${line('/b-z')}\n`);
      await writeFile(join(dir, 'b', 'deeper', 'x.log'), `${line('/b-deeper-x')}\n`);
      await writeFile(join(dir, '.hidden.log'), `${line('/hidden')}\n`);
      await writeFile(join(dir, '.cache', 'k.log'), `${line('/cached')}\n`);
      const results = await collect(readAccessLogs([dir]));
      expect(
        results.map((r) => r.ok && r.record.kind === 'service' && r.record.requestPath),
      ).toEqual(['/a', '/b-deeper-x', '/b-z', '/c']);
    });

    it('read a file once even when it is named twice', async () => {
      await writeFile(join(dir, 'a.log'), `${line('/a')}\n`);
      const files = await listAccessLogFiles([dir, join(dir, 'a.log')]);
      expect(files.map((f) => f.path)).toEqual([join(dir, 'a.log')]);
    });

    it('follow symbolic links without walking a loop forever', async () => {
      await mkdir(join(dir, 'logs'));
      await writeFile(join(dir, 'logs', 'a.log'), `${line('/a')}\n`);
      await symlink(dir, join(dir, 'logs', 'loop'));
      const files = await listAccessLogFiles([dir]);
      expect(files.map((f) => f.path)).toEqual([join(dir, 'logs', 'a.log')]);
    });
  });

  describe('bad inputs', () => {
    it('throw InputError naming a missing path before yielding anything', async () => {
      await writeFile(join(dir, 'a.log'), `${line('/a')}\n`);
      const missing = join(dir, 'nope.log');
      const iterator = readAccessLogs([join(dir, 'a.log'), missing]);
      const error = await iterator.next().catch((e) => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error).toMatchObject({
        path: missing,
        message: `cannot read ${missing}: no such file or directory (ENOENT)`,
      });
    });

    it('throw InputError for an empty directory', async () => {
      const empty = join(dir, 'empty');
      await mkdir(empty);
      await expect(collect(readAccessLogs([empty]))).rejects.toThrow(
        new InputError(`no log files found under ${empty}`, empty),
      );
    });

    it('throw InputError for a directory holding only hidden files', async () => {
      await writeFile(join(dir, '.DS_Store'), 'x');
      await expect(collect(readAccessLogs([dir]))).rejects.toThrow(
        `no log files found under ${dir}`,
      );
    });

    it('throw InputError when no input is given', async () => {
      await expect(collect(readAccessLogs([]))).rejects.toThrow(InputError);
    });
  });

  describe('progress', () => {
    it('reports the raw bytes read from disk', async () => {
      await writeFile(join(dir, 'a.log'), `${line('/a')}\n`.repeat(2000));
      await writeFile(join(dir, 'b.log.gz'), gzipSync(`${line('/b')}\n`.repeat(2000)));
      let bytes = 0;
      const results = await collect(readAccessLogs([dir], { onBytes: (n) => (bytes += n) }));
      expect(results).toHaveLength(4000);
      const onDisk =
        (await stat(join(dir, 'a.log'))).size + (await stat(join(dir, 'b.log.gz'))).size;
      expect(bytes).toBe(onDisk);
    });

    it('lists files with their sizes for a progress total', async () => {
      await writeFile(join(dir, 'a.log'), 'abc\n');
      expect(await listAccessLogFiles([dir])).toEqual([{ path: join(dir, 'a.log'), bytes: 4 }]);
      expect((await readFile(join(dir, 'a.log'))).byteLength).toBe(4);
    });
  });
});
