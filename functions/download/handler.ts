// Policy download behind a Lambda function URL (AWS_IAM auth): GET /policies lists the latest
// suggestions, GET /policies/<svc-id> returns one policy, GET /report a short-lived report link.
import { Logger } from '@aws-lambda-powertools/logger';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { S3ObjectStore, s3Client } from '../../shared/aws/index.ts';
import {
  isPolicyFormat,
  isServiceId,
  ManifestFormatError,
  POLICY_FORMATS,
  readManifest,
  readSuggestedPolicy,
  SuggestedPolicyFormatError,
  type SuggestionsManifest,
} from '../../shared/pipeline/index.ts';
import { ObjectNotFoundError, type ObjectStore } from '../../shared/store/index.ts';

/** The structured logger the handler writes to (Powertools Logger in Lambda). */
export interface DownloadLog {
  info(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

export interface DownloadHandlerOptions {
  store: ObjectStore;
  /** A URL that lets its holder GET `key` for `expiresInSeconds` (S3 presigned GET). */
  presignGet: (key: string, expiresInSeconds: number) => Promise<string>;
  /** Env PRESIGN_SECONDS, default 300. */
  presignSeconds: number;
  log: DownloadLog;
}

export interface DownloadResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export const DEFAULT_PRESIGN_SECONDS = 300;
// SigV4 presigned URLs live at most 7 days.
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/** A missing or malformed environment variable: the function is misconfigured, not the request. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

export interface DownloadConfig {
  bucket: string;
  presignSeconds: number;
}

/** Reads BUCKET_NAME and PRESIGN_SECONDS. @throws ConfigurationError naming the variable. */
export function downloadConfigFromEnv(env: Record<string, string | undefined>): DownloadConfig {
  const bucket = env.BUCKET_NAME?.trim();
  if (!bucket) throw new ConfigurationError('BUCKET_NAME is not set: the bucket to read from');
  const text = env.PRESIGN_SECONDS?.trim();
  if (text === undefined || text === '') return { bucket, presignSeconds: DEFAULT_PRESIGN_SECONDS };
  const seconds = Number(text);
  if (!/^\d+$/.test(text) || seconds < 1 || seconds > MAX_PRESIGN_SECONDS) {
    throw new ConfigurationError(
      `PRESIGN_SECONDS is ${JSON.stringify(text)}: expected a whole number from 1 to ${MAX_PRESIGN_SECONDS}`,
    );
  }
  return { bucket, presignSeconds: seconds };
}

const JSON_TYPE = 'application/json; charset=utf-8';
// Policies change with every suggest run and the report link expires: nothing here is cacheable.
const BASE_HEADERS = { 'cache-control': 'no-store' };

function json(statusCode: number, value: unknown, headers: Record<string, string> = {}) {
  return {
    statusCode,
    headers: { ...BASE_HEADERS, 'content-type': JSON_TYPE, ...headers },
    body: `${JSON.stringify(value, null, 2)}\n`,
  };
}

const ERROR_NAMES: Record<number, string> = {
  400: 'BadRequest',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  500: 'InternalError',
};

function failure(statusCode: number, message: string, headers: Record<string, string> = {}) {
  return json(statusCode, { error: ERROR_NAMES[statusCode] ?? 'Error', message }, headers);
}

const NO_SUGGESTIONS =
  'no suggested policies yet: policies/latest.json is missing (the suggest function has not run)';
const ROUTES =
  'GET /policies, GET /policies/<svc-id>[?format=json|terraform|cloudformation], GET /report';

export type DownloadFunction = (event: LambdaFunctionURLEvent) => Promise<DownloadResponse>;

export function createDownloadHandler(options: DownloadHandlerOptions): DownloadFunction {
  const route = async (method: string, path: string, format: string | undefined) => {
    const segments = path.split('/').filter((segment) => segment !== '');
    const [first, second, ...rest] = segments;
    const isKnownPath =
      (first === 'policies' && rest.length === 0) || (first === 'report' && second === undefined);
    if (!isKnownPath) return failure(404, `no such path ${path}; the paths are ${ROUTES}`);
    if (method !== 'GET') {
      return failure(405, `method ${method} not allowed on ${path}; use GET`, { allow: 'GET' });
    }
    const manifest = await readManifest(options.store);
    if (first === 'report') return await reportLink(manifest);
    if (second === undefined) {
      return manifest === undefined ? failure(404, NO_SUGGESTIONS) : json(200, manifest);
    }
    return await policy(manifest, decodeURIComponent(second), format);
  };

  const reportLink = async (manifest: SuggestionsManifest | undefined) => {
    if (manifest === undefined) return failure(404, NO_SUGGESTIONS);
    if ((await options.store.head(manifest.reportKey)) === undefined) {
      return failure(
        404,
        `the report ${manifest.reportKey} listed in policies/latest.json is missing`,
      );
    }
    const url = await options.presignGet(manifest.reportKey, options.presignSeconds);
    return json(200, {
      url,
      expiresInSeconds: options.presignSeconds,
      generatedAt: manifest.generatedAt,
    });
  };

  const policy = async (
    manifest: SuggestionsManifest | undefined,
    serviceId: string,
    format: string | undefined,
  ) => {
    if (!isServiceId(serviceId)) {
      return failure(
        400,
        `${JSON.stringify(serviceId)} is not a service id (like svc-0a1b2c3d4e5f60718)`,
      );
    }
    const wanted = format ?? 'json';
    if (!isPolicyFormat(wanted)) {
      return failure(
        400,
        `unknown format ${JSON.stringify(wanted)}; expected one of ${POLICY_FORMATS.join(', ')}`,
      );
    }
    if (manifest === undefined) return failure(404, NO_SUGGESTIONS);
    const download = await readSuggestedPolicy(options.store, manifest, serviceId, wanted);
    if (download === undefined) {
      const known = manifest.services.map((s) => s.serviceId).join(', ') || 'none';
      return failure(
        404,
        `no suggested policy for service ${serviceId} in the latest suggestions (services: ${known})`,
      );
    }
    return {
      statusCode: 200,
      headers: { ...BASE_HEADERS, 'content-type': download.contentType },
      body: download.body,
    };
  };

  return async (event) => {
    const method = event?.requestContext?.http?.method ?? '?';
    const path = event?.rawPath ?? '/';
    const format = event?.queryStringParameters?.format;
    const caller = callerOf(event);
    let response: DownloadResponse;
    try {
      response = await route(method, path, format);
    } catch (error) {
      response = errorResponse(error, event?.requestContext?.requestId);
      options.log.error('download failed', { method, path, caller, error: describeError(error) });
    }
    options.log.info('download request', {
      method,
      path,
      format,
      caller,
      status: response.statusCode,
    });
    return response;
  };
}

function errorResponse(error: unknown, requestId: string | undefined): DownloadResponse {
  if (error instanceof URIError) return failure(400, 'the path is not valid URL encoding');
  if (error instanceof ObjectNotFoundError) {
    return failure(
      404,
      `${error.key} is listed in policies/latest.json but missing from the bucket`,
    );
  }
  if (error instanceof ManifestFormatError || error instanceof SuggestedPolicyFormatError) {
    return failure(500, error.message);
  }
  // Anything else (S3 throttling, permissions) is ours, not the caller's: no internals in the body.
  return failure(500, `internal error; see the function's logs for request ${requestId ?? '?'}`);
}

/** Who signed the request (AWS_IAM auth puts it in the request context), for the audit trail. */
function callerOf(event: LambdaFunctionURLEvent): string | undefined {
  const context = event?.requestContext as { authorizer?: { iam?: { userArn?: unknown } } };
  const arn = context?.authorizer?.iam?.userArn;
  return typeof arn === 'string' ? arn : undefined;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

// Module scope, so a warm Lambda reuses them. The service name comes from POWERTOOLS_SERVICE_NAME.
const logger = new Logger();
let configured: DownloadFunction | undefined;

/** The Lambda entry point. Env: BUCKET_NAME, PRESIGN_SECONDS (default 300). */
export const handler: DownloadFunction = async (event) => {
  // Configured on first use, so a misconfiguration fails each invocation with a clear message.
  if (configured === undefined) {
    const config = downloadConfigFromEnv(process.env);
    const store = new S3ObjectStore(s3Client(), config.bucket);
    configured = createDownloadHandler({
      store,
      presignGet: (key, seconds) => store.presignGet(key, seconds),
      presignSeconds: config.presignSeconds,
      log: logger,
    });
  }
  return await configured(event);
};
