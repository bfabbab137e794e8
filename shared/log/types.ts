// The VPC Lattice access-log record kinds, as the rest of lattice-lens sees them after parsing.
// Field names are Lattice's own (see ../shared/reference/aws-contracts.md §1 and §2).

/** A JSON value kept verbatim: unknown fields and principal tags are carried through untouched. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/**
 * One request to a VPC Lattice service (`VpcLatticeAccessLogs`).
 * Every field Lattice marks not-applicable (`-`, `"null"`) or leaves out is `undefined` here.
 * `startTime`, `serviceArn`, `requestMethod`, `requestPath` and `responseCode` are required:
 * the validator rejects a record without them.
 */
export interface ServiceAccessLogRecord {
  kind: 'service';
  startTime: string;
  duration?: number;
  requestToTargetDuration?: number;
  responseFromTargetDuration?: number;
  requestMethod: string;
  requestPath: string;
  protocol?: string;
  responseCode: number;
  grpcResponseCode?: number;
  bytesReceived?: number;
  bytesSent?: number;
  userAgent?: string;
  /**
   * TLS SNI. Lattice itself writes `serverNameIndication` (see fields.ts); the parser copies that
   * value here too, so code written against this name keeps working.
   */
  serverNameIndicator?: string;
  /** TLS SNI under the name Lattice writes (seen in real `VpcLatticeAccessLogs` entries). */
  serverNameIndication?: string;
  /** The Host header of the request. */
  hostHeader?: string;
  sslCipher?: string;
  sourceIpPort?: string;
  targetIpPort?: string;
  sourceVpcId?: string;
  sourceVpcArn?: string;
  destinationVpcId?: string;
  serviceNetworkArn?: string;
  serviceArn: string;
  targetGroupArn?: string;
  tlsVersion?: string;
  callerPrincipal?: string;
  /** The AWS Organizations id of the authenticated principal. */
  callerPrincipalOrgID?: string;
  /** The principal as Lattice resolved it; in observed logs the same ARN as `callerPrincipal`. */
  resolvedUser?: string;
  callerPrincipalTags?: JsonValue;
  callerX509SubjectCN?: string;
  callerX509IssuerOU?: string;
  callerX509SANNameCN?: string;
  callerX509SANDNS?: string;
  callerX509SANURI?: string;
  authDeniedReason?: string;
  failureReason?: string;
  requestId?: string;
  listenerId?: string;
  listenerType?: string;
  /** Fields this version does not know, kept verbatim (AWS adds fields over time). */
  extra: Record<string, JsonValue>;
}

/**
 * One TCP connection to a VPC Lattice resource configuration (`VpcLatticeResourceAccessLogs`).
 * Its "method" is the protocol and its "path" the destination port when aggregated.
 */
export interface ResourceAccessLogRecord {
  kind: 'resource';
  startTime: string;
  endTime?: string;
  serviceNetworkArn?: string;
  serviceNetworkResourceAssociationId?: string;
  vpcEndpointId?: string;
  sourceVpcArn?: string;
  sourceVpcId?: string;
  resourceConfigurationArn: string;
  protocol?: string;
  sourceIpPort?: string;
  destinationIpPort?: string;
  gatewayIpPort?: string;
  resourceIpPort?: string;
  sentBytes?: number;
  receivedBytes?: number;
  /** Fields this version does not know, kept verbatim. */
  extra: Record<string, JsonValue>;
}

export type AccessLogRecord = ServiceAccessLogRecord | ResourceAccessLogRecord;

/** Where a record came from, for error messages: a file (or object key) and a 1-based line. */
export interface RecordLocation {
  source: string;
  line: number;
}

/** A line that could not become a record, with the reason and the field at fault (if any). */
export interface RejectedLine {
  location: RecordLocation;
  field?: string;
  reason: string;
}

/** The outcome of parsing one line: a record, a rejection, or nothing (blank line). */
export type ParsedLine =
  | { ok: true; record: AccessLogRecord; location: RecordLocation }
  | { ok: false; rejected: RejectedLine };
