// What the Firehose transform adds to each access-log entry and what it reports about a batch.
import type { CallerKind } from '../identity/index.ts';

/** The name of the one key the transform adds to every `Ok` record; nothing else is changed. */
export const DERIVED_FIELDS_KEY = 'latticeLens';

/**
 * The fields derived from one access-log entry, written under `latticeLens` in the `Ok` record.
 * Values use the names of the call-pattern summaries (shared/patterns), so a query over the raw
 * S3 objects and one over the Parquet summaries agree.
 */
export interface DerivedFields {
  /** `service` for a `VpcLatticeAccessLogs` entry, `resource` for a `VpcLatticeResourceAccessLogs` one. */
  recordKind: 'service' | 'resource';
  /** `svc-…` of the service called, or `rcfg-…` of the resource configuration connected to. */
  serviceId: string;
  /** The principal an auth policy names: an assumed-role session becomes its role ARN. */
  callerPrincipal: string;
  callerKind: CallerKind;
  /** Absent when unknown (an unsigned caller whose VPC owner is not in the log). */
  callerAccount?: string;
  /** The STS session name of an assumed-role caller. */
  sessionName?: string;
  /** `/api/v1/orders/{id}`; for a resource connection `:<destination port>`. */
  pathTemplate: string;
  /** A 403 that VPC Lattice auth denied (it names an `authDeniedReason`), not one from the target. */
  isAuthDenied: boolean;
}

/**
 * Firehose dynamic-partitioning keys for an `Ok` record. The delivery stream's S3 prefix names them
 * (`logs/service=!{partitionKeyFromLambda:service}/dt=…/hour=…/`), so the names are a contract.
 */
export interface PartitionKeys {
  [name: string]: string;
  /** Same value as `latticeLens.serviceId`. */
  service: string;
  /** `YYYY-MM-DD` of the entry's `startTime`, UTC. */
  dt: string;
  /** `HH` of the entry's `startTime`, UTC. */
  hour: string;
}

/** Why a record came back `ProcessingFailed`: the operator's answer to "what was wrong with it?". */
export interface TransformFailure {
  recordId: string;
  /** The kind of failure, stable for log queries. */
  kind: TransformFailureKind;
  reason: string;
  /** The access-log field at fault, when validation names one. */
  field?: string;
}

export type TransformFailureKind =
  /** `data` is not base64 (or missing). */
  | 'undecodable'
  /** The bytes are not UTF-8 text. */
  | 'not-text'
  /** Nothing but whitespace. */
  | 'empty'
  /** Not JSON, truncated JSON, JSON that is not an object, or an object that is not a Lattice entry. */
  | 'invalid'
  /** Valid, but the Lambda response could not carry it within its size limit (see response-budget.ts). */
  | 'response-too-large';
