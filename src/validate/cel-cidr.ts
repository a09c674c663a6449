/**
 * The CEL function `isCIDR` of the Kubernetes CEL library (k8s.io/apiserver
 * pkg/cel/library/cidr.go), which the ClusterNetworkPolicy CRD applies to every
 * `networks` entry. It accepts what Go's `netip.ParsePrefix` accepts, zones refused:
 *
 * - IPv4: exactly four decimal octets of one to three digits, at most 255, no
 *   leading zero (`010.0.0.0/8` is refused, unlike NetworkPolicy's ipBlock, which
 *   the API server reads with the sloppy parser);
 * - IPv6: groups of one to four hex digits, at most one `::` standing for at least
 *   one zero group, and an optional dotted IPv4 tail (strict as above) in place of
 *   the last two groups;
 * - the prefix length: decimal, no sign, no leading zero, at most 32 or 128. Host
 *   bits below the prefix are allowed.
 *
 * Only syntax is decided here; the range a CIDR covers is `parseCidr`'s.
 */

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** netip's parseIPv4Fields over `text[from, to)`. */
function ipv4(text: string, from: number, to: number): boolean {
  let fields = 0;
  let digits = 0;
  let value = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) {
      if (digits === 1 && value === 0) return false; // a leading zero
      value = value * 10 + (c - 48);
      if (value > 255) return false;
      digits++;
    } else if (c === 46) {
      if (digits === 0 || fields === 3) return false;
      fields++;
      digits = value = 0;
    } else return false;
  }
  return fields === 3 && digits > 0;
}

/** netip's parseIPv6 (no zone), counting bytes as it does. */
function ipv6(text: string): boolean {
  let s = 0;
  const n = text.length;
  let ellipsis = -1;
  if (n >= 2 && text.charCodeAt(0) === 58 && text.charCodeAt(1) === 58) {
    ellipsis = 0;
    s = 2;
    if (s === n) return true;
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    while (s + off < n && hexValue(text.charCodeAt(s + off)) >= 0) {
      if (off > 3) return false;
      off++;
    }
    if (off === 0) return false;
    if (s + off < n && text.charCodeAt(s + off) === 46) {
      if ((ellipsis < 0 && i !== 12) || i + 4 > 16) return false;
      if (!ipv4(text, s, n)) return false;
      s = n;
      i += 4;
      break;
    }
    i += 2;
    s += off;
    if (s === n) break;
    if (text.charCodeAt(s) !== 58 || s + 1 === n) return false;
    s++;
    if (text.charCodeAt(s) === 58) {
      if (ellipsis >= 0) return false;
      ellipsis = i;
      s++;
      if (s === n) break;
    }
  }
  if (s !== n) return false;
  return i < 16 ? ellipsis >= 0 : ellipsis < 0;
}

/** Whether `text` passes CEL's `isCIDR` as the API server evaluates it. */
export function isCelCidr(text: string): boolean {
  const slash = text.lastIndexOf("/");
  if (slash < 0) return false;
  const address = text.slice(0, slash);
  let family: 4 | 6;
  const first = address.search(/[.:%]/);
  if (first < 0 || address[first] === "%") return false;
  if (address[first] === ".") {
    if (!ipv4(address, 0, address.length)) return false;
    family = 4;
  } else {
    if (address.includes("%") || !ipv6(address)) return false;
    family = 6;
  }
  const bits = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]*)$/.test(bits) || bits.length > 3) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}
