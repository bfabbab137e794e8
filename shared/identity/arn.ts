// Just enough ARN parsing for caller identities: partition, service, account and resource.
// Anything that does not split into the six ARN fields is not an ARN here, never an error.

export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the fifth colon; it may itself contain colons. */
  resource: string;
}

const ACCOUNT_ID = /^\d{12}$/;

// aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-eusc …: kept as found, never rewritten.
const PARTITION = /^aws(?:-[a-z]+)*$/;

export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

export function isPartition(value: string): boolean {
  return PARTITION.test(value);
}

export function parseArn(arn: string): ArnParts | undefined {
  const fields = arn.split(':');
  if (fields.length < 6 || fields[0] !== 'arn') return undefined;
  const [, partition = '', service = '', region = '', account = ''] = fields;
  return { partition, service, region, account, resource: fields.slice(5).join(':') };
}

/** The account of an ARN (its fifth colon field) when that is a 12-digit account id. */
export function accountOfArn(arn: string): string | undefined {
  const account = parseArn(arn)?.account;
  return account !== undefined && isAccountId(account) ? account : undefined;
}
