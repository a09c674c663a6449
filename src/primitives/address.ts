/**
 * IP addresses and CIDRs as integers, read exactly as the API server reads them.
 *
 * The API server validates pod IPs and ipBlock CIDRs with k8s.io/utils/net's
 * `ParseIPSloppy` / `ParseCIDRSloppy`: Go's `net.ParseIP` / `net.ParseCIDR` (which
 * parse with `net/netip`), retried after stripping leading zeros from a trailing
 * dotted quad and from the prefix length. So, as Go reads them:
 * - IPv4: four dotted decimal octets of at most 255; any number of leading zeros,
 *   still decimal (`0010.0.0.1` is 10.0.0.1, never octal as ipaddr.js reads `010`).
 * - IPv6: eight groups of one to four hex digits (any case), `::` standing for at
 *   least one zero group, and an optional trailing dotted quad (decimal only, leading
 *   zeros as above: `::ffff:0x01.2.3.4` is refused, as netip refuses it) standing for
 *   the last two groups wherever it stands: `::10.0.0.1` is `::a00:1` (RFC 4291's
 *   IPv4-compatible form), not `::ffff:10.0.0.1`. Zone ids (`%eth0`) are refused, as
 *   `net.ParseIP` and `net.ParseCIDR` refuse them.
 * - IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`, RFC 4291 2.5.5.2) are the IPv4
 *   address they map, everywhere (pod IPs, flow endpoints, ipBlocks): Go's `net.IP`
 *   holds every IPv4 address in that form, so `net.IP.Equal` and `IPNet.Contains`
 *   treat both spellings as one address, and the API server's warnings
 *   (`GetWarningsForIP`) tell users to write the IPv4 form; `netip.Addr.Unmap` does the
 *   same for netip users.
 * - A CIDR's prefix length is decimal digits with any leading zeros (Go's `dtoi`), at
 *   most the literal's bit length. Host bits below the prefix are allowed and masked
 *   off. An IPv4-mapped network (`::ffff:10.0.0.0/104`) is the IPv4 network
 *   `10.0.0.0/8`, as `IPNet.Contains` and `IPNet.String` read it.
 * Nothing here throws. IPv6 text is formatted as ipaddr.js formats it (RFC 5952; a
 * test holds the two equal).
 */

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
  /** The family of the addresses it covers (IPv4 for an IPv4-mapped network). */
  readonly family: 4 | 6;
  /**
   * The prefix length as written, in bits of the literal's own family: what Go's
   * `IPNet.Mask.Size()` reports and the API server compares for `except`.
   */
  readonly prefix: number;
}

const DOT = 46;
const COLON = 58;
const ZERO = 48;

/** Hex digit values by char code (below 128), -1 for every other char. */
const HEX = new Int8Array(128).fill(-1);
for (let c = 0; c < 16; c++) HEX[c.toString(16).charCodeAt(0)] = HEX[c.toString(16).toUpperCase().charCodeAt(0)] = c;

/**
 * The dotted quad `text[from, n)` into `out[at]` as a u32; false when it is none:
 * four octets of decimal digits (any number of leading zeros, as `ParseIPSloppy`
 * strips them), each at most 255. The value is built in int32 shifts (never a heap
 * number) and wraps to the u32 on the store.
 */
function scanQuad(text: string, from: number, out: Uint32Array, at: number): boolean {
  const n = text.length;
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = from; i < n; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d >= 0 && d <= 9) {
      part = part * 10 + d;
      if (part > 255) return false;
      digits++;
    } else if (d === DOT - ZERO && digits > 0 && dots < 3) {
      value = (value << 8) | part;
      part = digits = 0;
      dots++;
    } else return false;
  }
  if (dots !== 3 || digits === 0) return false;
  out[at] = (value << 8) | part;
  return true;
}

/** The 16-bit groups of the IPv6 literal being scanned. */
const groups = new Uint16Array(8);

/**
 * IPv6 (no zone id) into `out[0..3]` as big-endian u32 words; false when `text` is
 * not an IPv6 literal. One pass, as netip's `parseIPv6`: groups of 1–4 hex digits
 * separated by `:`, one `::` at most standing for one or more zero groups, no lone
 * `:` at either end; a group running into `.` starts the dotted-quad tail, which
 * stands for the last two groups.
 */
function scanIPv6(text: string, out: Uint32Array): boolean {
  const n = text.length;
  let count = 0;
  let gap = -1; // group index where `::` stands
  let tail = false; // whether a dotted quad stands for the last two groups (its value in `out[3]`)
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
      if (i < n && c === DOT) {
        // the dotted-quad tail, after at least one `:`
        if (first === 0) return false;
        tail = scanQuad(text, first, out, 3);
        if (!tail) return false;
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
  const want = tail ? 6 : 8;
  if (gap < 0) {
    if (count !== want) return false;
  } else {
    if (count >= want) return false; // `::` stands for at least one group
    // the groups after `::` move to the end, zeros fill the gap (loops: a typed array's copyWithin and fill are calls)
    const moved = count - gap;
    for (let k = moved - 1; k >= 0; k--) groups[want - moved + k] = groups[gap + k]!;
    for (let k = gap; k < want - moved; k++) groups[k] = 0;
  }
  out[0] = (groups[0]! << 16) | groups[1]!;
  out[1] = (groups[2]! << 16) | groups[3]!;
  out[2] = (groups[4]! << 16) | groups[5]!;
  if (!tail) out[3] = (groups[6]! << 16) | groups[7]!;
  return true;
}

/** Whether the IPv6 words `w[0..3]` are an IPv4-mapped address (`::ffff:0:0/96`). */
const isMapped = (w: ArrayLike<number>): boolean => w[0] === 0 && w[1] === 0 && w[2] === 0xffff;

/** The family a literal is written in (an IPv4-mapped IPv6 literal is 6 here), its value in `out`; 0 when invalid. */
function scanLiteral(text: string, out: Uint32Array): 0 | 4 | 6 {
  if (scanQuad(text, 0, out, 0)) return 4;
  return scanIPv6(text, out) ? 6 : 0;
}

/**
 * Scans an IPv4 or IPv6 literal without allocating: returns its family and writes
 * its value to `out` (IPv4: `out[0]`; IPv6: `out[0..3]`, most significant word
 * first), or returns 0 when `text` is neither (what `parseAddress` rejects). An
 * IPv4-mapped IPv6 literal is returned as the IPv4 address it maps (`unmapWords`).
 */
export function scanAddress(text: string, out: Uint32Array): 0 | 4 | 6 {
  const family = scanLiteral(text, out);
  return family === 6 ? unmapWords(out) : family;
}

/**
 * The family of the IPv6 address in `words[0..3]` once unmapped, as netip's
 * `Addr.Unmap`: 4 (with the IPv4 value moved to `words[0]`) for an IPv4-mapped
 * address, else 6 (words untouched).
 */
export function unmapWords(words: Uint32Array): 4 | 6 {
  if (!isMapped(words)) return 6;
  words[0] = words[3]!;
  return 4;
}

/** A 128-bit value from four big-endian u32 words at `out[at..at+3]`. */
export function wordsToBigInt(words: ArrayLike<number>, at = 0): bigint {
  return (BigInt(words[at]!) << 96n) | (BigInt(words[at + 1]!) << 64n) | (BigInt(words[at + 2]!) << 32n) | BigInt(words[at + 3]!);
}

/**
 * The RFC 5952 text of the IPv6 address in `words[0..3]` (big-endian u32 words), as
 * ipaddr.js prints it: eight lower-case hex groups without leading zeros, the longest
 * run of two or more zero groups (the first of runs of equal length) written `::`.
 */
function formatWords6(words: ArrayLike<number>): string {
  for (let i = 0; i < 4; i++) {
    sixteen[2 * i] = words[i]! >>> 16;
    sixteen[2 * i + 1] = words[i]! & 0xffff;
  }
  let runStart = -1;
  let runLength = 1; // a longer run than this one is compressed
  for (let i = 0; i < 8; ) {
    if (sixteen[i] !== 0) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < 8 && sixteen[j] === 0) j++;
    if (j - i > runLength) {
      runStart = i;
      runLength = j - i;
    }
    i = j;
  }
  const parts: string[] = [];
  for (let i = 0; i < 8; i++) {
    if (i === runStart) {
      // `::` as an empty part between colons, or at an end where the run touches it
      parts.push(i === 0 ? ":" : "");
      i += runLength - 1;
      if (i === 7) parts.push("");
    } else parts.push(sixteen[i]!.toString(16));
  }
  return parts.join(":");
}

/** The groups of the IPv6 address being formatted. */
const sixteen = new Uint16Array(8);

const formatted = new Uint32Array(4);

/** The canonical text of an address (dotted quad, or compressed lower-case IPv6). */
export function formatAddress(family: 4 | 6, value: bigint): string {
  if (family === 4) {
    const v = Number(value);
    return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  formatted[0] = Number((value >> 96n) & 0xffffffffn);
  formatted[1] = Number((value >> 64n) & 0xffffffffn);
  formatted[2] = Number((value >> 32n) & 0xffffffffn);
  formatted[3] = Number(value & 0xffffffffn);
  return formatWords6(formatted);
}

const scanned = new Uint32Array(4);

/** Parses an IPv4 or IPv6 literal; `null` when it is neither. */
export function parseAddress(text: string): Address | null {
  if (typeof text !== "string") return null;
  const family = scanAddress(text, scanned);
  return family === 0 ? null : scannedAddress(text, family, scanned);
}

/**
 * `parseAddress(text)` for a `text` that `scanAddress` already read (family `family`,
 * value in `words`): the `Address` without scanning the text again.
 */
export function scannedAddress(text: string, family: 4 | 6, words: Uint32Array): Address {
  if (family === 6) return { family, value: wordsToBigInt(words), text: formatWords6(words) };
  const value = BigInt(words[0]!);
  // a dotted quad written without leading zeros is its own canonical text (no string is built); an IPv4-mapped literal is not
  return { family, value, text: text.indexOf(":") < 0 && !hasLeadingZero(text) ? text : formatAddress(4, value) };
}

/** Whether a valid dotted quad has an octet written with a leading zero (`010`, `00`). */
function hasLeadingZero(quad: string): boolean {
  for (let i = 0; i + 1 < quad.length; i++) {
    if (quad.charCodeAt(i) === ZERO && (i === 0 || quad.charCodeAt(i - 1) === DOT) && quad.charCodeAt(i + 1) !== DOT) return true;
  }
  return false;
}

/**
 * The prefix length after the `/` as Go's `dtoi` reads it: decimal digits, any
 * number of leading zeros; -1 when not a number or above `bits`.
 */
function prefixLength(text: string, from: number, bits: number): number {
  if (from >= text.length) return -1;
  let value = 0;
  for (let i = from; i < text.length; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
    if (value > bits) return -1;
  }
  return value;
}

const cidrWords = new Uint32Array(4);

/** Parses `address/prefix`; `null` when it is not a valid CIDR. */
export function parseCidr(text: string): Cidr | null {
  if (typeof text !== "string") return null;
  const slash = text.indexOf("/");
  if (slash < 0) return null;
  const written = scanLiteral(text.slice(0, slash), cidrWords);
  if (written === 0) return null;
  const prefix = prefixLength(text, slash + 1, written === 4 ? 32 : 128);
  if (prefix < 0) return null;
  // an IPv4-mapped network keeps the mapping only when the prefix covers the ::ffff: part
  const mapped = written === 6 && prefix >= 96 && isMapped(cidrWords);
  const family = written === 4 || mapped ? 4 : 6;
  const value = written === 4 ? BigInt(cidrWords[0]!) : mapped ? BigInt(cidrWords[3]!) : wordsToBigInt(cidrWords);
  const hostBits = BigInt((written === 4 ? 32 : 128) - prefix);
  const first = (value >> hostBits) << hostBits;
  const last = first | ((1n << hostBits) - 1n);
  return { family, prefix, first, last };
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
