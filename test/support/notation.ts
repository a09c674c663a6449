/**
 * Equal addresses and CIDRs in the spellings the API server's Go parsing accepts
 * (ParseIPSloppy / ParseCIDRSloppy; see src/primitives/address.ts): leading zeros in
 * IPv4 octets and prefix lengths, IPv4-mapped IPv6 for IPv4 addresses, expanded
 * upper-case IPv6 and a dotted-quad tail for IPv6. Style 0 is the canonical text;
 * every style of one value reads back as that value, so the random tests can spell
 * pod IPs, ipBlocks and flow endpoints any way and expect the same verdicts.
 */
import { formatAddress } from "../../src/primitives/address.js";

/** How many spelling styles there are (style `k` is `k % SPELLINGS`). */
export const SPELLINGS = 6;

const octets = (v: number): number[] => [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
const hex4 = (n: number): string => n.toString(16).padStart(4, "0");

/** IPv6 text of eight 16-bit groups, expanded, each group 4 digits, upper case. */
function expanded(value: bigint): string {
  const parts: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) parts.push(hex4(Number((value >> s) & 0xffffn)).toUpperCase());
  return parts.join(":");
}

/** IPv4 `value` (a u32) in `style`: dotted, zero-padded, or IPv4-mapped IPv6 in four forms. */
function spell4(value: number, style: number): string {
  const o = octets(value);
  switch (style % SPELLINGS) {
    case 1:
      return `0${o.map((x) => String(x).padStart(3, "0")).join(".")}`;
    case 2:
      return `::ffff:${o.join(".")}`;
    case 3:
      return `::ffff:${hex4(value >>> 16)}:${hex4(value & 0xffff)}`;
    case 4:
      return expanded((0xffffn << 32n) | BigInt(value));
    case 5:
      return `::FFFF:0${o.join(".0")}`;
    default:
      return o.join(".");
  }
}

/** IPv6 `value` in `style`: compressed, expanded upper case, or with a dotted-quad tail. */
function spell6(value: bigint, style: number): string {
  switch (style % SPELLINGS) {
    case 1:
    case 4:
      return expanded(value);
    case 2:
    case 5: {
      const head = expanded(value >> 32n).split(":").slice(2).join(":");
      return `${head}:${octets(Number(value & 0xffffffffn)).join(".")}`;
    }
    case 3:
      return formatAddress(6, value).toUpperCase();
    default:
      return formatAddress(6, value);
  }
}

/** The text of an address of `family` in spelling `style`. */
export function spellAddress(family: 4 | 6, value: bigint, style: number): string {
  return family === 4 ? spell4(Number(value), style) : spell6(value, style);
}

/** Whether `style` writes an IPv4 address as IPv6 (its CIDR prefix then counts 96 more bits). */
const mapped = (family: 4 | 6, style: number): boolean => family === 4 && [2, 3, 4, 5].includes(style % SPELLINGS);

/** The text of `address/prefix` in spelling `style` (odd styles pad the prefix with zeros). */
export function spellCidr(family: 4 | 6, value: bigint, prefix: number, style: number): string {
  const bits = mapped(family, style) ? prefix + 96 : prefix;
  return `${spellAddress(family, value, style)}/${style % 2 === 1 ? `00${bits}` : bits}`;
}
