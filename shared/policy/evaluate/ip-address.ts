// IPv4 and IPv6 addresses and CIDR blocks, as the IpAddress / NotIpAddress operators compare them.

export interface IpRange {
  version: 4 | 6;
  /** The address as a big integer, masked to the prefix. */
  network: bigint;
  prefix: number;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let groups: string[];
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : (halves[0] ?? '').split(':');
  let tail = halves.length === 2 ? (halves[1] === '' ? [] : (halves[1] ?? '').split(':')) : [];
  // An embedded IPv4 address (`::ffff:10.0.0.1`) stands for the last two groups.
  const last = (halves.length === 2 ? tail : head).at(-1);
  let v4: bigint | undefined;
  if (last?.includes('.')) {
    v4 = parseIpv4(last);
    if (v4 === undefined) return undefined;
    if (halves.length === 2) tail = tail.slice(0, -1);
    else head.pop();
  }
  const width = 8 - (v4 === undefined ? 0 : 2);
  if (halves.length === 2) {
    const missing = width - head.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== width) return undefined;
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(Number.parseInt(group, 16));
  }
  if (v4 !== undefined) value = (value << 32n) | v4;
  return value;
}

/** An address (`10.0.0.1`, `2001:db8::1`) or a CIDR block (`10.0.0.0/16`); undefined if neither. */
export function parseIpRange(text: string): IpRange | undefined {
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const isV6 = address.includes(':');
  const value = isV6 ? parseIpv6(address) : parseIpv4(address);
  if (value === undefined) return undefined;
  const bits = isV6 ? 128 : 32;
  let prefix = bits;
  if (slash !== -1) {
    const given = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(given) || Number(given) > bits) return undefined;
    prefix = Number(given);
  }
  const mask = ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
  return { version: isV6 ? 6 : 4, network: value & mask, prefix };
}

/** True when the address `ip` lies in `range` (of the same IP version). */
export function isInRange(range: IpRange, ip: string): boolean {
  const address = parseIpRange(ip);
  if (address === undefined || address.prefix !== (address.version === 6 ? 128 : 32)) return false;
  if (address.version !== range.version) return false;
  const bits = range.version === 6 ? 128 : 32;
  const mask = ((1n << BigInt(range.prefix)) - 1n) << BigInt(bits - range.prefix);
  return (address.network & mask) === range.network;
}
