// The delivery-stream name PutRecordBatch takes, from a name or a stream ARN as a user gives it.

// Firehose stream names: 1-64 characters of letters, digits, underscore, dot and hyphen.
const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,64}$/;
const STREAM_ARN = /^arn:aws[a-z-]*:firehose:[a-z0-9-]+:\d{12}:deliverystream\/(.+)$/;

/** The stream name, or undefined when `nameOrArn` is neither a valid name nor a stream ARN. */
export function deliveryStreamNameOf(nameOrArn: string): string | undefined {
  const name = STREAM_ARN.exec(nameOrArn)?.[1] ?? nameOrArn;
  return STREAM_NAME.test(name) ? name : undefined;
}
