/**
 * IP addresses and CIDRs as integers.
 *
 * IPv4 is read the way the API server reads ipBlock (Go's ParseCIDRSloppy): four
 * dotted decimal octets, where a leading zero is still decimal (`010` is 10, never
 * octal as ipaddr.js would read it). IPv6 goes through ipaddr.js; zone ids are
 * refused. Host bits below the prefix are allowed and masked off, as the API server
 * does. Nothing here throws.
 */
import ipaddr from "ipaddr.js";
import type { Address, AddressRange } from "./types.js";

/** A parsed CIDR: the range it covers and its prefix length. */
export interface Cidr extends AddressRange {
  readonly family: 4 | 6;
  readonly prefix: number;
}

const IPV4_OCTETS = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseIPv4(text: string): Address | null {
  const m = IPV4_OCTETS.exec(text);
  if (m === null) return null;
  let value = 0;
  const octets: number[] = [];
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return null;
    octets.push(octet);
    value = value * 256 + octet;
  }
  return { family: 4, value: BigInt(value), text: octets.join(".") };
}

function parseIPv6(text: string): Address | null {
  if (text.includes("%") || !ipaddr.IPv6.isValid(text)) return null;
  const parsed = ipaddr.IPv6.parse(text);
  let value = 0n;
  for (const part of parsed.parts) value = (value << 16n) | BigInt(part);
  return { family: 6, value, text: parsed.toString() };
}

/** The canonical text of an address (dotted quad, or compressed lower-case IPv6). */
export function formatAddress(family: 4 | 6, value: bigint): string {
  if (family === 4) {
    const v = Number(value);
    return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  const parts: number[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) parts.push(Number((value >> s) & 0xffffn));
  return new ipaddr.IPv6(parts).toString();
}

/** Parses an IPv4 or IPv6 literal; `null` when it is neither. */
export function parseAddress(text: string): Address | null {
  return parseIPv4(text) ?? parseIPv6(text);
}

/** Parses `address/prefix`; `null` when it is not a valid CIDR. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf("/");
  if (slash < 0 || !/^\d{1,3}$/.test(text.slice(slash + 1))) return null;
  const address = parseAddress(text.slice(0, slash));
  if (address === null) return null;
  const bits = address.family === 4 ? 32 : 128;
  const prefix = Number(text.slice(slash + 1));
  if (prefix > bits) return null;
  const hostBits = BigInt(bits - prefix);
  const first = (address.value >> hostBits) << hostBits;
  const last = first | ((1n << hostBits) - 1n);
  return { family: address.family, prefix, first, last };
}

/** Cuts `holes` out of `range`; the result is sorted and disjoint. */
export function subtractRanges(range: AddressRange, holes: readonly AddressRange[]): AddressRange[] {
  const sorted = [...holes].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const out: AddressRange[] = [];
  let next = range.first;
  for (const hole of sorted) {
    if (hole.last < next || hole.first > range.last) continue;
    if (hole.first > next) out.push({ first: next, last: hole.first - 1n });
    if (hole.last + 1n > next) next = hole.last + 1n;
    if (next > range.last) return out;
  }
  out.push({ first: next, last: range.last });
  return out;
}

/** Whether `value` lies in one of the sorted, disjoint `ranges`. */
export function inRanges(ranges: readonly AddressRange[], value: bigint): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid]!;
    if (value < r.first) hi = mid - 1;
    else if (value > r.last) lo = mid + 1;
    else return true;
  }
  return false;
}
