// Specification of the download function: a function URL (AWS_IAM) over the latest suggestions,
// answering JSON, with clear JSON errors for everything it cannot serve.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  createDownloadHandler,
  type DownloadLog,
  downloadConfigFromEnv,
} from '../../../functions/download/handler.ts';
import type { SuggestionsManifest } from '../../../shared/pipeline/index.ts';
import { renderPolicyFile } from '../../../shared/policy/render/index.ts';
import type { AuthPolicy } from '../../../shared/policy/types.ts';
import { FileObjectStore, type ObjectStore } from '../../../shared/store/index.ts';

const SERVICE_ID = 'svc-0a40974812b61bafb';
const POLICY = '{"Version":"2012-10-17","Statement":[{"Sid":"Allow1","Effect":"Allow"}]}';
const EVIDENCE = {
  serviceId: SERVICE_ID,
  window: { from: '2026-11-09T00:00:01.000Z', to: '2026-11-21T23:59:58.000Z' },
};
const CALLER = 'arn:aws:sts::111122223333:assumed-role/platform-admin/alice';

const MANIFEST: SuggestionsManifest = {
  window: { from: '2026-11-08T03:00:00.000Z', to: '2026-11-22T03:00:00.000Z', days: 14 },
  generatedAt: '2026-11-22T03:00:00.000Z',
  summaries: 48,
  services: [
    {
      serviceId: SERVICE_ID,
      serviceArn: `arn:aws:vpc-lattice:us-east-1:111122223333:service/${SERVICE_ID}`,
      policyKey: `policies/${SERVICE_ID}.json`,
      evidenceKey: `policies/${SERVICE_ID}.evidence.json`,
      statements: 1,
      review: 2,
    },
  ],
  reportKey: 'policies/report.html',
};

/** A function URL request as Lambda delivers it with AWS_IAM auth. */
function request(
  method: string,
  rawPath: string,
  query: Record<string, string> = {},
): LambdaFunctionURLEvent {
  const rawQueryString = new URLSearchParams(query).toString();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers: { host: 'abc123.lambda-url.us-east-1.on.aws' },
    ...(rawQueryString === '' ? {} : { queryStringParameters: query }),
    requestContext: {
      accountId: '111122223333',
      apiId: 'abc123',
      domainName: 'abc123.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abc123',
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.9',
        userAgent: 'curl/8',
      },
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      routeKey: '$default',
      stage: '$default',
      time: '22/Nov/2026:03:05:00 +0000',
      timeEpoch: 1_795_316_700_000,
      authorizer: {
        iam: {
          accessKey: 'ASIA',
          accountId: '111122223333',
          callerId: 'AROA',
          cognitoIdentity: null,
          principalOrgId: 'o-1',
          userArn: CALLER,
          userId: 'AROA:alice',
        },
      },
    } as LambdaFunctionURLEvent['requestContext'],
    isBase64Encoded: false,
  };
}

let root: string;
let store: FileObjectStore;
let logLines: { message: string; attributes: Record<string, unknown> }[];
let presigned: { key: string; seconds: number }[];

const log: DownloadLog = {
  info: (message, attributes) => logLines.push({ message, attributes }),
  error: (message, attributes) => logLines.push({ message, attributes }),
};

function download(over: Partial<{ store: ObjectStore }> = {}) {
  return createDownloadHandler({
    store: over.store ?? store,
    presignGet: async (key, seconds) => {
      presigned.push({ key, seconds });
      return `https://bucket.s3.amazonaws.com/${key}?X-Amz-Expires=${seconds}&X-Amz-Signature=abc`;
    },
    presignSeconds: 300,
    log,
  });
}

async function publish(): Promise<void> {
  await store.put(`policies/${SERVICE_ID}.json`, POLICY);
  await store.put(`policies/${SERVICE_ID}.evidence.json`, JSON.stringify(EVIDENCE));
  await store.put('policies/report.html', '<!doctype html>');
  await store.put('policies/latest.json', JSON.stringify(MANIFEST));
}

const bodyOf = (response: { body: string }) => JSON.parse(response.body) as Record<string, unknown>;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'lattice-lens-download-'));
  store = new FileObjectStore(root);
  logLines = [];
  presigned = [];
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the download function', () => {
  describe('GET /policies', () => {
    it('lists the latest suggestions: the manifest, as JSON', async () => {
      await publish();
      const response = await download()(request('GET', '/policies'));
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(bodyOf(response)).toEqual(MANIFEST);
    });

    it('accepts a trailing slash', async () => {
      await publish();
      expect((await download()(request('GET', '/policies/'))).statusCode).toBe(200);
    });

    it('answers 404 with a JSON error when suggest has not run yet', async () => {
      const response = await download()(request('GET', '/policies'));
      expect(response.statusCode).toBe(404);
      expect(bodyOf(response)).toEqual({
        error: 'NotFound',
        message: expect.stringContaining('the suggest function has not run'),
      });
    });
  });

  describe('GET /policies/<svc-id>', () => {
    it('returns the policy document exactly as suggest wrote it', async () => {
      await publish();
      const response = await download()(request('GET', `/policies/${SERVICE_ID}`));
      expect(response).toEqual({
        statusCode: 200,
        headers: { 'cache-control': 'no-store', 'content-type': 'application/json' },
        body: POLICY,
      });
    });

    it('returns it for ?format=json too', async () => {
      await publish();
      const response = await download()(
        request('GET', `/policies/${SERVICE_ID}`, { format: 'json' }),
      );
      expect(response.body).toBe(POLICY);
    });

    it.each([
      ['terraform', 'text/plain; charset=utf-8'],
      ['cloudformation', 'application/json'],
    ] as const)(
      'renders it for ?format=%s as analyze --format does',
      async (format, contentType) => {
        await publish();
        const response = await download()(request('GET', `/policies/${SERVICE_ID}`, { format }));
        expect(response.statusCode).toBe(200);
        expect(response.headers['content-type']).toBe(contentType);
        expect(response.body).toBe(
          renderPolicyFile(
            {
              serviceArn: MANIFEST.services[0]?.serviceArn as string,
              serviceId: SERVICE_ID,
              policy: JSON.parse(POLICY) as AuthPolicy,
              window: EVIDENCE.window,
            },
            format,
          ),
        );
        // The rendering quotes the evidence's window (the traffic seen), not the schedule's.
        expect(response.body).toContain('2026-11-09T00:00:01.000Z to 2026-11-21T23:59:58.000Z');
      },
    );

    it('answers 500 with the key when a stored policy is not JSON and cannot be rendered', async () => {
      await publish();
      await store.put(`policies/${SERVICE_ID}.json`, '{"Version":');
      const response = await download()(
        request('GET', `/policies/${SERVICE_ID}`, { format: 'terraform' }),
      );
      expect(response.statusCode).toBe(500);
      expect(bodyOf(response).message).toContain(`policies/${SERVICE_ID}.json is not JSON`);
    });

    it('answers 400 for an unknown format, listing the known ones', async () => {
      await publish();
      const response = await download()(
        request('GET', `/policies/${SERVICE_ID}`, { format: 'yaml' }),
      );
      expect(response.statusCode).toBe(400);
      expect(bodyOf(response).message).toBe(
        'unknown format "yaml"; expected one of json, terraform, cloudformation',
      );
    });

    it('answers 404 for a service the latest suggestions do not list, naming the ones they do', async () => {
      await publish();
      const response = await download()(request('GET', '/policies/svc-0000000000000000'));
      expect(response.statusCode).toBe(404);
      expect(bodyOf(response).message).toBe(
        `no suggested policy for service svc-0000000000000000 in the latest suggestions (services: ${SERVICE_ID})`,
      );
    });

    it('never serves a stale policy file of a service that left the window', async () => {
      await publish();
      await store.put('policies/svc-0111111111111111.json', POLICY);
      expect((await download()(request('GET', '/policies/svc-0111111111111111'))).statusCode).toBe(
        404,
      );
    });

    it.each([
      ['a path-like id', '/policies/..%2Flatest'],
      ['an id with spaces', '/policies/svc%20x'],
    ])('answers 400 for %s', async (_, path) => {
      await publish();
      const response = await download()(request('GET', path));
      expect(response.statusCode).toBe(400);
      expect(bodyOf(response).message).toMatch(/is not a service id/);
    });

    it('answers 400 for a path that is not valid URL encoding', async () => {
      await publish();
      const response = await download()(request('GET', '/policies/svc-%zz'));
      expect(response.statusCode).toBe(400);
      expect(bodyOf(response).message).toBe('the path is not valid URL encoding');
    });

    it('answers 404 when the manifest lists a policy that is missing from the bucket', async () => {
      await publish();
      await rm(join(root, 'policies', `${SERVICE_ID}.json`));
      const response = await download()(request('GET', `/policies/${SERVICE_ID}`));
      expect(response.statusCode).toBe(404);
      expect(bodyOf(response).message).toBe(
        `policies/${SERVICE_ID}.json is listed in policies/latest.json but missing from the bucket`,
      );
    });
  });

  describe('GET /report', () => {
    it('returns a presigned link to the report that expires after PRESIGN_SECONDS', async () => {
      await publish();
      const response = await download()(request('GET', '/report'));
      expect(response.statusCode).toBe(200);
      expect(bodyOf(response)).toEqual({
        url: expect.stringContaining('policies/report.html?X-Amz-Expires=300'),
        expiresInSeconds: 300,
        generatedAt: MANIFEST.generatedAt,
      });
      expect(presigned).toEqual([{ key: 'policies/report.html', seconds: 300 }]);
    });

    it('answers 404 when there is no report yet', async () => {
      expect((await download()(request('GET', '/report'))).statusCode).toBe(404);
      await store.put('policies/latest.json', JSON.stringify(MANIFEST));
      const response = await download()(request('GET', '/report'));
      expect(response.statusCode).toBe(404);
      expect(bodyOf(response).message).toMatch(/the report policies\/report\.html .* is missing/);
      expect(presigned).toEqual([]);
    });
  });

  describe('bad requests', () => {
    it.each(['POST', 'PUT', 'DELETE', 'HEAD'])(
      'answers 405 with Allow: GET to %s',
      async (method) => {
        await publish();
        const response = await download()(request(method, `/policies/${SERVICE_ID}`));
        expect(response.statusCode).toBe(405);
        expect(response.headers.allow).toBe('GET');
        expect(bodyOf(response)).toEqual({
          error: 'MethodNotAllowed',
          message: `method ${method} not allowed on /policies/${SERVICE_ID}; use GET`,
        });
      },
    );

    it.each(['/', '/policy', '/policies/svc-1/evidence', '/report/x', '/latest.json'])(
      'answers 404 for the unknown path %s, listing the paths',
      async (path) => {
        await publish();
        const response = await download()(request('GET', path));
        expect(response.statusCode).toBe(404);
        expect(bodyOf(response).message).toMatch(
          /^no such path .*; the paths are GET \/policies, GET \/policies\/<svc-id>/,
        );
      },
    );
  });

  describe('failures of its own', () => {
    it('answers 500 naming the problem when the manifest is damaged', async () => {
      await store.put('policies/latest.json', '{"window":');
      const response = await download()(request('GET', '/policies'));
      expect(response.statusCode).toBe(500);
      expect(bodyOf(response).message).toMatch(/^policies\/latest\.json is not JSON/);
    });

    it('answers 500 without internals when the store fails, and logs the cause', async () => {
      const failing: ObjectStore = {
        getStream: (key) => store.getStream(key),
        get: async () => {
          throw new Error(
            'AccessDenied: not authorized to perform s3:GetObject on arn:aws:s3:::secret',
          );
        },
        put: (key, body, contentType) => store.put(key, body, contentType),
        list: (prefix) => store.list(prefix),
        head: (key) => store.head(key),
      };
      const response = await download({ store: failing })(request('GET', '/policies'));
      expect(response.statusCode).toBe(500);
      expect(response.body).not.toContain('AccessDenied');
      expect(bodyOf(response).message).toBe(
        "internal error; see the function's logs for request c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
      );
      expect(logLines[0]).toEqual({
        message: 'download failed',
        attributes: expect.objectContaining({ error: expect.stringContaining('AccessDenied') }),
      });
    });
  });

  it('logs one line per request with the method, path, caller and status', async () => {
    await publish();
    await download()(request('GET', `/policies/${SERVICE_ID}`, { format: 'json' }));
    expect(logLines).toEqual([
      {
        message: 'download request',
        attributes: {
          method: 'GET',
          path: `/policies/${SERVICE_ID}`,
          format: 'json',
          caller: CALLER,
          status: 200,
        },
      },
    ]);
  });
});

describe('downloadConfigFromEnv', () => {
  it('defaults PRESIGN_SECONDS to 300', () => {
    expect(downloadConfigFromEnv({ BUCKET_NAME: 'b' })).toEqual({
      bucket: 'b',
      presignSeconds: 300,
    });
  });

  it('reads PRESIGN_SECONDS', () => {
    expect(downloadConfigFromEnv({ BUCKET_NAME: 'b', PRESIGN_SECONDS: '60' })).toEqual({
      bucket: 'b',
      presignSeconds: 60,
    });
  });

  it('requires BUCKET_NAME', () => {
    expect(() => downloadConfigFromEnv({})).toThrow(ConfigurationError);
  });

  it.each(['0', '-1', '1.5', 'soon', '604801'])(
    'rejects PRESIGN_SECONDS=%s (1 to 604800, the SigV4 limit)',
    (value) => {
      expect(() => downloadConfigFromEnv({ BUCKET_NAME: 'b', PRESIGN_SECONDS: value })).toThrow(
        /^PRESIGN_SECONDS is .*: expected a whole number from 1 to 604800$/,
      );
    },
  );
});
