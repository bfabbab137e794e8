// The access-log field reference: which fields each record kind knows and how each is checked.
// The parser looks fields up here; anything not listed is kept verbatim in `extra`.

/*
 * What the sources say (checked with the `search` tool while writing this parser)
 * ------------------------------------------------------------------------------
 * AWS VPC Lattice User Guide, "Access logs for Amazon VPC Lattice"
 * (docs.aws.amazon.com/vpc-lattice/latest/ug/monitoring-access-logs.html): two log types,
 * `VpcLatticeAccessLogs` for services and `VpcLatticeResourceAccessLogs` for resource
 * configurations (configured separately), documented in the sections "Access log contents" and
 * "Resource access log contents". The stored copy of that page only gave its opening, not the two
 * field tables, so the service field list below is confirmed from a real log entry instead: the
 * one an aws-samples README ("ECS bridge mode Envoy sigv4 sidecar", 2024) shows from a service with
 * IAM auth. That entry (JSON types as they appear):
 *
 *   serviceNetworkArn string        resolvedUser string (ARN)    listenerType string ("-")
 *   authDeniedReason string ("-")   targetGroupArn string        sourceVpcArn string
 *   destinationVpcId string         sourceIpPort string          listenerId string ("-")
 *   targetIpPort string             failureReason string ("-")   serviceArn string
 *   sourceVpcId string              startTime string (2024-08-04T11:28:40Z)
 *   requestMethod string            requestPath string           protocol string (HTTP/1.1)
 *   responseCode number             bytesReceived number         bytesSent number
 *   duration number                 userAgent string             hostHeader string
 *   serverNameIndication string     requestToTargetDuration number
 *   responseFromTargetDuration number                            sslCipher string
 *   tlsVersion string               callerPrincipal string       callerPrincipalOrgID string
 *   callerX509IssuerOU string       callerX509SubjectCN string   callerX509SANNameCN string
 *   callerX509SANDNS string         callerX509SANURI string
 *
 * A second write-up of a denied request (a blog post) shows the same names with
 * `authDeniedReason: "Service"`, `failureReason: "ClientAccessDenied"`, `targetIpPort: "-"` and
 * `requestToTargetDuration: 0` for a 403.
 *
 * Differences from aws-contracts.md §1, and what this parser does about them:
 * - Lattice writes `serverNameIndication`, not `serverNameIndicator`. Both are known fields; the
 *   value of the first is copied to the second so code written against either name works.
 * - `hostHeader`, `sslCipher`, `resolvedUser`, `callerPrincipalOrgID`, `listenerId` and
 *   `listenerType` are real fields missing from the contract; they are known (optional) fields here.
 * - `sourceVpcArn` is present in the 2024 entry; older logs may lack it (it stays optional).
 * - `grpcResponseCode`, `requestId` and `callerPrincipalTags` were not in the observed entry and
 *   could not be confirmed; they stay optional. `callerPrincipalTags` is kept as any JSON value
 *   (object or string), since its shape is unconfirmed.
 * - The resource-log fields (§2) could not be confirmed from any stored source; the list below is
 *   the contract's. Unknown fields are kept in `extra`, so nothing is lost if AWS names differ.
 */

/** How a known field's value is checked and converted. */
export type FieldCheck =
  /** Any string. */
  | 'text'
  /** A non-negative integer (durations in ms, byte counts); a numeric string is accepted. */
  | 'count'
  /** Any JSON value, kept verbatim. */
  | 'json'
  /** ISO 8601 in UTC: `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (or `+00:00`), a real calendar instant. */
  | 'timestamp'
  /** A non-empty string without spaces. */
  | 'method'
  /** A string starting with `/`. */
  | 'requestPath'
  /** An HTTP status code, an integer 100-599. */
  | 'httpStatus'
  /** `arn:aws…:vpc-lattice:REGION:ACCOUNT:service/svc-…`. */
  | 'serviceArn'
  /** `arn:aws…:vpc-lattice:REGION:ACCOUNT:resourceconfiguration/rcfg-…`. */
  | 'resourceConfigurationArn';

const SERVICE_FIELD_CHECKS: [string, FieldCheck][] = [
  ['startTime', 'timestamp'],
  ['duration', 'count'],
  ['requestToTargetDuration', 'count'],
  ['responseFromTargetDuration', 'count'],
  ['requestMethod', 'method'],
  ['requestPath', 'requestPath'],
  ['protocol', 'text'],
  ['responseCode', 'httpStatus'],
  ['grpcResponseCode', 'count'],
  ['bytesReceived', 'count'],
  ['bytesSent', 'count'],
  ['userAgent', 'text'],
  ['serverNameIndicator', 'text'],
  ['serverNameIndication', 'text'],
  ['hostHeader', 'text'],
  ['sslCipher', 'text'],
  ['sourceIpPort', 'text'],
  ['targetIpPort', 'text'],
  ['sourceVpcId', 'text'],
  ['sourceVpcArn', 'text'],
  ['destinationVpcId', 'text'],
  ['serviceNetworkArn', 'text'],
  ['serviceArn', 'serviceArn'],
  ['targetGroupArn', 'text'],
  ['tlsVersion', 'text'],
  ['callerPrincipal', 'text'],
  ['callerPrincipalOrgID', 'text'],
  ['resolvedUser', 'text'],
  ['callerPrincipalTags', 'json'],
  ['callerX509SubjectCN', 'text'],
  ['callerX509IssuerOU', 'text'],
  ['callerX509SANNameCN', 'text'],
  ['callerX509SANDNS', 'text'],
  ['callerX509SANURI', 'text'],
  ['authDeniedReason', 'text'],
  ['failureReason', 'text'],
  ['requestId', 'text'],
  ['listenerId', 'text'],
  ['listenerType', 'text'],
];

const RESOURCE_FIELD_CHECKS: [string, FieldCheck][] = [
  ['startTime', 'timestamp'],
  // Unconfirmed format (see above): kept as text so a differently formatted end time is not a
  // rejection of the whole connection record.
  ['endTime', 'text'],
  ['serviceNetworkArn', 'text'],
  ['serviceNetworkResourceAssociationId', 'text'],
  ['vpcEndpointId', 'text'],
  ['sourceVpcArn', 'text'],
  ['sourceVpcId', 'text'],
  ['resourceConfigurationArn', 'resourceConfigurationArn'],
  ['protocol', 'text'],
  ['sourceIpPort', 'text'],
  ['destinationIpPort', 'text'],
  ['gatewayIpPort', 'text'],
  ['resourceIpPort', 'text'],
  ['sentBytes', 'count'],
  ['receivedBytes', 'count'],
];

// Maps, not object literals: a log key such as "constructor" must not find Object.prototype.
export const SERVICE_FIELDS: ReadonlyMap<string, FieldCheck> = new Map(SERVICE_FIELD_CHECKS);
export const RESOURCE_FIELDS: ReadonlyMap<string, FieldCheck> = new Map(RESOURCE_FIELD_CHECKS);

/** Fields a service record must have, in the order their absence is reported. */
export const SERVICE_REQUIRED: readonly string[] = [
  'startTime',
  'serviceArn',
  'requestMethod',
  'requestPath',
  'responseCode',
];

/** Fields a resource record must have, in the order their absence is reported. */
export const RESOURCE_REQUIRED: readonly string[] = ['startTime', 'resourceConfigurationArn'];
