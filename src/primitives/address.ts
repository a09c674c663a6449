/**
 * IP addresses and CIDRs as integers.
 *
 * IPv4 is read the way the API server reads ipBlock (Go's ParseCIDRSloppy): four
 * dotted decimal octets of one to three digits, where a leading zero is still
 * decimal (`010` is 10, never octal as ipaddr.js would read it). IPv6 is read as
 * ipaddr.js 2.x reads it (the rules netpol had when it called ipaddr.js), by a
 * hand-written scanner: eight groups of one to four hex digits (any case), `::`
 * standing for at least one zero group, and an optional embedded IPv4 tail whose
 * octets ipaddr.js reads with `parseInt` (any number of decimal digits, or
 * `0x` + hex); `::a.b.c.d` is ipaddr.js's deprecated form of `::ffff:a.b.c.d`. Zone
 * ids are refused. Host bits below the prefix are allowed and masked off, as the
 * API server does. Nothing here throws; ipaddr.js only formats IPv6 text.
 */
import ipaddr from "ipaddr.js";

/** A parsed IP address. */
export interface Address {
  readonly family: 4 | 6;
  readonly value: bigint;
  /** The canonical text form (IPv6 compressed, lower case). */
  readonly text: string;
}

/** An inclusive range of addresses of one family, as integers (IPv4 in 0..2^32-1). */
export interface AddressRange {
  readonly first: bigint;
  readonly last: bigint;
}

/** A parsed CIDR: the range it covers and its prefix length. */
export interface Cidr extends AddressRange {
  readonly family: 4 | 6;
  readonly prefix: number;
}

const DOT = 46;
const COLON = 58;

/** Hex digit values by char code (below 128), -1 for every other char. */
const HEX = new Int8Array(128).fill(-1);
for (let c = 0; c < 16; c++) HEX[c.toString(16).charCodeAt(0)] = HEX[c.toString(16).toUpperCase().charCodeAt(0)] = c;

/** Dotted decimal IPv4 (1–3 digits per octet, at most 255) as a u32, or -1. */
function scanIPv4(text: string): number {
  const n = text.length;
  if (n < 7 || n > 15) return -1;
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + part;
      part = digits = 0;
      dots++;
    } else {
      const d = c - 48;
      if (d < 0 || d > 9 || digits === 3) return -1;
      part = part * 10 + d;
      if (part > 255) return -1;
      digits++;
    }
  }
  return dots === 3 && digits > 0 ? value * 256 + part : -1;
}

/**
 * The embedded IPv4 tail `text[from, n)` of an IPv6 literal as a u32, or -1: four
 * octets, each decimal digits or `0x` + hex digits (as ipaddr.js's `parseInt`), at most 255.
 */
function scanIPv4Tail(text: string, from: number): number {
  const n = text.length;
  let value = 0;
  let i = from;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (i >= n || text.charCodeAt(i) !== DOT) return -1;
      i++;
    }
    let part = 0;
    let first = i;
    let base = 10;
    if (i + 1 < n && text.charCodeAt(i) === 48 && (text.charCodeAt(i + 1) | 32) === 120) {
      base = 16;
      first = i += 2;
    }
    while (i < n) {
      const c = text.charCodeAt(i);
      const d = c < 128 ? HEX[c]! : -1;
      if (d < 0 || d >= base) break;
      part = Math.min(part * base + d, 256); // past 255 it stays invalid
      i++;
    }
    if (i === first || part > 255) return -1;
    value = value * 256 + part;
  }
  return i === n ? value : -1;
}

/** The 16-bit groups of the IPv6 literal being scanned. */
const groups = new Uint16Array(8);

/**
 * IPv6 (no zone id) into `out[0..3]` as big-endian u32 words; false when `text` is
 * not an IPv6 literal. One pass: groups of 1–4 hex digits separated by `:`, one `::`
 * at most standing for one or more zero groups, no lone `:` at either end; a group
 * running into `.` (or `0x`) starts the IPv4 tail, which stands for the last two groups.
 */
function scanIPv6(text: string, out: Uint32Array): boolean {
  const n = text.length;
  let count = 0;
  let gap = -1; // group index where `::` stands
  let tail = -1;
  let i = 0;
  if (n >= 2 && text.charCodeAt(0) === COLON) {
    if (text.charCodeAt(1) !== COLON) return false;
    gap = 0;
    i = 2;
  }
  if (i < n) {
    for (;;) {
      const first = i;
      let value = 0;
      let c = 0;
      while (i < n) {
        c = text.charCodeAt(i);
        const d = c < 128 ? HEX[c]! : -1;
        if (d < 0) break;
        value = (value << 4) | d;
        i++;
      }
      if (i < n && (c === DOT || (c | 32) === 120)) {
        // the IPv4 tail, after at least one `:`
        if (first === 0) return false;
        tail = scanIPv4Tail(text, first);
        if (tail < 0) return false;
        if (first === 2 && gap === 0) {
          // `::a.b.c.d`: ipaddr.js reads it as `::ffff:a.b.c.d`
          groups[count++] = 0xffff;
          gap = 0;
        }
        break;
      }
      const digits = i - first;
      if (digits === 0 || digits > 4 || count === 8) return false;
      groups[count++] = value;
      if (i === n) break;
      if (c !== COLON) return false;
      i++;
      if (i < n && text.charCodeAt(i) === COLON) {
        if (gap >= 0) return false;
        gap = count;
        i++;
        if (i === n) break;
      } else if (i === n) return false; // a lone trailing `:`
    }
  }
  const want = tail < 0 ? 8 : 6;
  if (gap < 0) {
    if (count !== want) return false;
  } else {
    if (count >= want) return false; // `::` stands for at least one group
    const moved = count - gap;
    groups.copyWithin(want - moved, gap, count);
    groups.fill(0, gap, want - moved);
  }
  out[0] = ((groups[0]! << 16) | groups[1]!) >>> 0;
  out[1] = ((groups[2]! << 16) | groups[3]!) >>> 0;
  out[2] = ((groups[4]! << 16) | groups[5]!) >>> 0;
  out[3] = tail < 0 ? ((groups[6]! << 16) | groups[7]!) >>> 0 : tail;
  return true;
}

/**
 * Scans an IPv4 or IPv6 literal without allocating: returns its family and writes
 * its value to `out` (IPv4: `out[0]`; IPv6: `out[0..3]`, most significant word
 * first), or returns 0 when `text` is neither (what `parseAddress` rejects).
 */
export function scanAddress(text: string, out: Uint32Array): 0 | 4 | 6 {
  const v4 = scanIPv4(text);
  if (v4 >= 0) {
    out[0] = v4;
    return 4;
  }
  return scanIPv6(text, out) ? 6 : 0;
}

/** A 128-bit value from four big-endian u32 words at `out[at..at+3]`. */
export function wordsToBigInt(words: ArrayLike<number>, at = 0): bigint {
  return (BigInt(words[at]!) << 96n) | (BigInt(words[at + 1]!) << 64n) | (BigInt(words[at + 2]!) << 32n) | BigInt(words[at + 3]!);
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

const scanned = new Uint32Array(4);

/** Parses an IPv4 or IPv6 literal; `null` when it is neither. */
export function parseAddress(text: string): Address | null {
  if (typeof text !== "string") return null;
  const family = scanAddress(text, scanned);
  if (family === 0) return null;
  const value = family === 4 ? BigInt(scanned[0]!) : wordsToBigInt(scanned);
  return { family, value, text: formatAddress(family, value) };
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
