// How the report names a caller: the id the evidence uses, and a short form for narrow places.
import { callerId } from '../identity/index.ts';
import type { CallPattern } from '../patterns/index.ts';

/** The caller id of the evidence and review list: the principal, or `anonymous@<vpc-id>`. */
export function callerIdOf(pattern: CallPattern): string {
  return callerId(pattern.callerKind, pattern.callerPrincipal, pattern.sourceVpcId);
}

export interface ShortCaller {
  /** `role/order-service-role`, `user/ops/bot`, `root`, `anonymous`, or the principal as given. */
  name: string;
  /** The account of an ARN, or the source VPC of an anonymous caller; '' when neither. */
  where: string;
}

/** Splits a caller id into what a graph node can show in two short lines. */
export function shortCaller(id: string): ShortCaller {
  if (id.startsWith('anonymous@'))
    return { name: 'anonymous', where: id.slice('anonymous@'.length) };
  const fields = id.split(':');
  if (fields.length >= 6 && fields[0] === 'arn') {
    return { name: fields.slice(5).join(':'), where: fields[4] ?? '' };
  }
  return { name: id, where: '' };
}

/** At most `max` characters (code points), the cut marked with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** The last `/`-separated part of an ARN: the service id of a service ARN. */
export function serviceIdOf(serviceArn: string): string {
  const at = serviceArn.lastIndexOf('/');
  return at === -1 ? serviceArn : serviceArn.slice(at + 1);
}
