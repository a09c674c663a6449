// Addresses and CIDRs as integers, read as the API server reads them: Go's
// net.ParseIP / net.ParseCIDR (net/netip underneath) behind k8s.io/utils/net's
// ParseIPSloppy / ParseCIDRSloppy, with IPv4-mapped addresses unmapped. Every case
// below cites what Go does with it; a transliteration of Go's parser (below) checks
// the scanner on random and mutated literals.
import { test } from "uvu";
import * as assert from "uvu/assert";
import ipaddr from "ipaddr.js";
import { formatAddress, inRanges, parseAddress, parseCidr, scanAddress, subtractRanges } from "../src/primitives/address.js";
import { Random } from "./support/random.js";

test("IPv4: dotted decimal; leading zeros are decimal (ParseIPSloppy strips them), never octal", () => {
  assert.is(parseAddress("10.0.0.1")?.value, 0x0a000001n);
  assert.is(parseAddress("010.000.000.010")?.text, "10.0.0.10");
  // netip_test.go TestParseAddr: "010.000.015.001" and "000001.00000002.00000003.000000004"
  // fail netip.ParseAddr (leading zero) and pass ParseIPSloppy, whose matchZeros regex strips them
  assert.is(parseAddress("010.000.015.001")?.text, "10.0.15.1");
  assert.is(parseAddress("000001.00000002.00000003.000000004")?.text, "1.2.3.4");
  // issue 12: `0010.0.0.1` is 10.0.0.1 for the API server
  assert.is(parseAddress("0010.0.0.1")?.text, "10.0.0.1");
  // netip_test.go invalidIPs: dotted octal ("0300...": 300 > 255 once the zero is stripped),
  // dotted hex, class A/B forms, >255, too many fields, a zone on IPv4
  for (const bad of ["0300.0250.0214.0377", "0xc0.0xa8.0x8c.0xff", "192.168.12345", "127.0.1", "192.1234567", "127.1", "192.168.300.1", "192.168.0.1.5.6", "1.2.3.4%eth0", ".1.2.3", "1.2.3.", "1..2.3", "1234", "bad"]) {
    assert.is(parseAddress(bad), null, bad);
  }
  for (const bad of ["256.0.0.1", "1.2.3", "1.2.3.4.5", "0x1.2.3.4", " 1.2.3.4", "1.2.3.-4", "", "1.2.3.4/8", "00256.0.0.1"]) assert.is(parseAddress(bad), null, bad);
});

test("IPv6: compressed, expanded, trailing dotted quad; no zone ids (net.ParseIP refuses them)", () => {
  assert.is(parseAddress("fd00::1")?.value, (0xfd00n << 112n) | 1n);
  assert.is(parseAddress("FD00:0:0:0:0:0:0:1")?.text, "fd00::1");
  // netip_test.go TestParseAddr valid cases
  assert.is(parseAddress("fd7a:115c:a1e0:ab12:4843:cd96:626b:430b")?.value, 0xfd7a115ca1e0ab124843cd96626b430bn);
  assert.is(parseAddress("fd7a:115c::626b:430b")?.value, 0xfd7a115c0000000000000000626b430bn);
  assert.is(parseAddress("fd7a:115c:a1e0::4843:cd96:626b:430b")?.text, "fd7a:115c:a1e0:0:4843:cd96:626b:430b");
  assert.is(parseAddress("FD9E:1A04:F01D::1")?.text, "fd9e:1a04:f01d::1");
  // netip_test.go invalidIPs (IPv6 part), and zones, which net.ParseIP / ParseCIDR refuse
  for (const bad of [
    "1:2:3:4:5:6:7",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4::5:6:7:8",
    "fe801::1",
    "fe80:tail:scal:e::",
    "fe80::1%",
    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:192.168.140.255",
    "ffff::ffff:ffff:ffff:ffff:ffff:ffff:192.168.140.255",
    "::ffff:192.168.140.bad",
    "fe80::1::1",
    "fe80:1?:1",
    "fe80:",
    "0:0:0:0:0:ffff:0:00000",
    "0:0:0:0:00000:ffff:127.1.2.3",
    "fe80::1%eth0",
    "1:2::ffff:192.168.140.255%eth1",
    "fd00:::1",
    "gggg::1",
    "::1::",
  ]) {
    assert.is(parseAddress(bad), null, bad);
  }
});

test("`::a.b.c.d` is the IPv4-compatible address ::a00:… (RFC 4291 2.5.5.1, Go), not ::ffff:a.b.c.d", () => {
  // netip parseIPv6 writes the dotted quad into the last four bytes wherever the `::` stands
  assert.is(parseAddress("::10.0.0.1")?.text, "::a00:1");
  assert.is(parseAddress("::10.0.0.1")?.value, parseAddress("::a00:1")?.value);
  assert.is(parseAddress("::1.2.3.4")?.family, 6);
  assert.equal(parseCidr("::1.2.3.0/120"), { family: 6, prefix: 120, first: 0x01020300n, last: 0x010203ffn });
});

test("IPv4-mapped IPv6 is the IPv4 address it maps (net.IP.Equal, netip Addr.Unmap)", () => {
  // Go: net.ParseIP("::ffff:10.244.1.1").Equal(net.ParseIP("10.244.1.1")) is true, and
  // String() prints "10.244.1.1"; GetWarningsForIP tells users to write that form
  assert.equal(parseAddress("::ffff:10.244.1.1"), parseAddress("10.244.1.1"));
  assert.equal(parseAddress("::ffff:a00:1"), parseAddress("10.0.0.1"));
  assert.equal(parseAddress("0:0:0:0:0:FFFF:0A00:0001"), parseAddress("10.0.0.1"));
  const words = new Uint32Array(4);
  assert.is(scanAddress("::ffff:1.2.3.4", words), 4);
  assert.is(words[0], 0x01020304);
  // only ::ffff:0:0/96 is mapped: ::fffe:… and 1::ffff:… stay IPv6
  assert.is(parseAddress("::fffe:a00:1")?.family, 6);
  assert.is(parseAddress("1::ffff:a00:1")?.family, 6);
});

test("hex in a dotted-quad tail is refused, as netip refuses it (issue 12)", () => {
  // netip parseIPv6: a group "0" followed by "x" is "unexpected character, want colon";
  // ParseIPSloppy's regex only strips decimal zeros, so the retry fails too
  for (const bad of ["::ffff:0x01.2.3.4", "::ffff:1.0x2.3.4", "::0x1.2.3.4", "::ffff:1.2.3.0xff"]) assert.is(parseAddress(bad), null, bad);
  // leading decimal zeros in the tail are stripped by ParseIPSloppy (netip alone refuses "::ffff:1.2.03.4")
  assert.equal(parseAddress("::ffff:1.2.03.4"), parseAddress("1.2.3.4"));
  assert.is(parseAddress("1:2:3:4:5:6:001.2.3.4")?.text, "1:2:3:4:5:6:102:304");
});

test("the scanner's edge cases: `::`, trailing quad, group and octet limits", () => {
  const v6 = (text: string): string | null => {
    const a = parseAddress(text);
    return a === null ? null : a.family === 6 ? a.value.toString(16) : `v4:${a.value.toString(16)}`;
  };
  assert.is(v6("::"), "0");
  assert.is(v6("::1"), "1");
  assert.is(v6("1::"), "1" + "0".repeat(28));
  assert.is(v6("::ffff:1.2.3.4"), "v4:1020304");
  assert.is(v6("::1.2.3.4"), "1020304");
  assert.is(v6("1:2:3:4:5:6:1.2.3.4"), "10002000300040005000601020304");
  assert.is(v6("1:2:3:4:5::1.2.3.4"), "10002000300040005000001020304");
  assert.is(v6("1:2:3:4:5:6:7:8"), "10002000300040005000600070008");
  assert.is(v6("1:2:3:4:5:6:7::"), "10002000300040005000600070000");
  assert.is(v6("ABCD:EF01::"), "abcdef01" + "0".repeat(24), "upper case");
  assert.is(v6("0001:0:0:0:0:0:0:0002"), "10000000000000000000000000002", "4 digits with leading zeros");
  assert.is(v6("010.0.0.255"), "v4:a0000ff");
  assert.is(v6("1.2.3.0004"), "v4:1020304");
  for (const bad of [
    "",
    ":",
    ":::",
    "1:::2",
    "::1::",
    "1::2::3",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7:8::",
    "::1:2:3:4:5:6:7:8",
    "1::2:3:4:5:6:7:8",
    "1:2:3:4:5:6::1.2.3.4",
    "1:2:3:4:5:6:7",
    "1:2:3:4:5:6:7:",
    ":1:2:3:4:5:6:7",
    "12345::",
    "::ffff:1.2.3.256",
    "::ffff:1.2.3",
    "1:2:3:4:5:6:7:1.2.3.4",
    "::ffff:a.2.3.4",
    "1.2.3.4::",
    "256.1.2.3",
    "1.2.3",
    "1.2.3.4.5",
    " ::1",
    "::1 ",
  ]) {
    assert.is(parseAddress(bad), null, JSON.stringify(bad));
  }
  const words = new Uint32Array(4);
  assert.is(scanAddress("fd00::1:2", words), 6);
  assert.equal([...words], [0xfd000000, 0, 0, 0x10002]);
  assert.is(scanAddress("255.1.2.3", words), 4);
  assert.is(words[0], 0xff010203);
  assert.is(scanAddress("nope", words), 0);
});

/**
 * Go's reading, transliterated: netip's parseIPv4Fields / parseIPv6 (no zones, as
 * net.ParseIP refuses them), retried after k8s.io/utils/net's `matchZeros`
 * substitution (ParseIPSloppy), then `Unmap`. Independent of the scanner's code.
 */
function goParseIPv4Fields(s: string): number[] | null {
  const fields: number[] = [];
  let val = 0;
  let digLen = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c >= "0" && c <= "9") {
      if (digLen === 1 && val === 0) return null; // leading zero
      val = val * 10 + Number(c);
      digLen++;
      if (val > 255) return null;
    } else if (c === ".") {
      if (i === 0 || i === s.length - 1 || s[i - 1] === ".") return null;
      if (fields.length === 3) return null;
      fields.push(val);
      val = 0;
      digLen = 0;
    } else return null;
  }
  if (fields.length < 3) return null;
  fields.push(val);
  return fields;
}

function goParseIPv6(input: string): number[] | null {
  if (input.includes("%")) return null;
  let s = input;
  const ip = new Array<number>(16).fill(0);
  let ellipsis = -1;
  if (s.length >= 2 && s[0] === ":" && s[1] === ":") {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return ip;
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const d = parseInt(s[off]!, 16);
      if (!/[0-9a-fA-F]/.test(s[off]!)) break;
      acc = acc * 16 + d;
      if (off > 3) return null; // more than 4 digits in a group
      if (acc > 0xffff) return null;
    }
    if (off === 0) return null;
    if (off < s.length && s[off] === ".") {
      if (ellipsis < 0 && i !== 12) return null;
      if (i + 4 > 16) return null;
      const four = goParseIPv4Fields(s);
      if (four === null) return null;
      ip.splice(i, 4, ...four);
      s = "";
      i += 4;
      break;
    }
    ip[i] = acc >> 8;
    ip[i + 1] = acc & 0xff;
    i += 2;
    s = s.slice(off);
    if (s.length === 0) break;
    if (s[0] !== ":") return null;
    if (s.length === 1) return null;
    s = s.slice(1);
    if (s[0] === ":") {
      if (ellipsis >= 0) return null;
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return null;
  if (i < 16) {
    if (ellipsis < 0) return null;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j]!;
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) ip[j] = 0;
  } else if (ellipsis >= 0) return null;
  return ip;
}

/** netip.ParseAddr: dispatch on the first `.` or `:`. */
function goParseAddr(s: string): number[] | null {
  for (const c of s) {
    if (c === ".") {
      const f = goParseIPv4Fields(s);
      return f === null ? null : [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...f];
    }
    if (c === ":") return goParseIPv6(s);
    if (c === "%") return null;
  }
  return null;
}

const MATCH_ZEROS = /(^|:)0*(0|[1-9][0-9]*)\.0*(0|[1-9][0-9]*)\.0*(0|[1-9][0-9]*)\.0*(0|[1-9][0-9]*)((\/)0*(0|[1-9][0-9]*))?$/;

/** ParseIPSloppy then Unmap, as `4:a.b.c.d` or `6:<32 hex digits>`. */
function goReading(text: string): string | null {
  const bytes = goParseAddr(text) ?? goParseAddr(text.replace(MATCH_ZEROS, "$1$2.$3.$4.$5$7$8"));
  if (bytes === null) return null;
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return `4:${bytes.slice(12).join(".")}`;
  return `6:${bytes.map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

function scannerReading(text: string): string | null {
  const a = parseAddress(text);
  if (a === null) return null;
  if (a.family === 4) return `4:${a.text}`;
  return `6:${a.value.toString(16).padStart(32, "0")}`;
}

test("the scanner reads exactly what Go's ParseIPSloppy + Unmap reads, on random and mutated literals", () => {
  const random = new Random(7);
  const alphabet = "0123456789abcdefABCDEFxX:.:.:::% g0000";
  const seeds = ["::", "::1", "1::", "::ffff:1.2.3.4", "::1.2.3.4", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4", "fd00::1", "1.2.3.4", "010.1.2.3", "0010.0.0.1", "::ffff:0x1.02.3.4", "1::2:3.4.5.6", "::ffff:a00:1"];
  let valid = 0;
  for (let k = 0; k < 200_000; k++) {
    let text: string;
    if (random.chance(0.5)) {
      text = Array.from({ length: random.below(14) }, () => alphabet[random.below(alphabet.length)]!).join("");
    } else {
      text = random.pick(seeds);
      for (let e = random.below(3); e > 0; e--) {
        const i = random.below(text.length + 1);
        const c = alphabet[random.below(alphabet.length)]!;
        const roll = random.below(3);
        text = roll === 0 ? text.slice(0, i) + c + text.slice(i) : roll === 1 ? text.slice(0, i) + text.slice(i + 1) : text.slice(0, i) + c + text.slice(i + 1);
      }
    }
    const want = goReading(text);
    if (want !== null) valid++;
    assert.is(scannerReading(text), want, JSON.stringify(text));
  }
  assert.ok(valid > 20_000, `only ${valid} valid literals`);
});

test("IPv6 text is RFC 5952 as ipaddr.js prints it: the longest zero run (the first of equal ones) as ::", () => {
  const random = new Random(5952);
  const cases: bigint[] = [0n, 1n, (1n << 128n) - 1n, 0xfd00n << 112n, (1n << 112n) | 1n];
  for (let k = 0; k < 5000; k++) {
    // mostly zero groups, so that runs of every length and position occur
    let value = 0n;
    for (let g = 0; g < 8; g++) value = (value << 16n) | (random.chance(0.55) ? 0n : random.chance(0.5) ? BigInt(random.below(16)) : random.bits(16));
    cases.push(value);
  }
  for (const value of cases) {
    const parts = Array.from({ length: 8 }, (_, g) => Number((value >> BigInt(112 - 16 * g)) & 0xffffn));
    const want = new ipaddr.IPv6(parts).toString();
    assert.is(formatAddress(6, value), want);
    // parseAddress formats from its scanned words; an IPv4-mapped address is IPv4 there
    const parsed = parseAddress(want)!;
    if (parsed.family === 6) assert.is(parsed.text, want);
  }
});

test("CIDRs: prefix bounds, host bits masked as the API server does", () => {
  assert.equal(parseCidr("10.1.2.3/8"), { family: 4, prefix: 8, first: 0x0a000000n, last: 0x0affffffn });
  assert.equal(parseCidr("0.0.0.0/0"), { family: 4, prefix: 0, first: 0n, last: 0xffffffffn });
  assert.is(parseCidr("::/0")?.last, (1n << 128n) - 1n);
  assert.is(parseCidr("fd00::1/128")?.first, parseCidr("fd00::1/128")?.last);
  for (const bad of ["10.0.0.0/33", "fd00::/129", "10.0.0.0", "10.0.0.0/", "10.0.0.0/a", "10.0.0.0/-1", "/8", "10.0.0.0/+8", "10.0.0.0/8 ", "fe80::/64%eth0", "fe80::%eth0/64"]) {
    assert.is(parseCidr(bad), null, bad);
  }
});

test("CIDRs: leading zeros in the prefix length and the address are read as Go reads them (issue 12)", () => {
  // net.ParseCIDR reads the prefix with dtoi, which takes any leading zeros; ParseCIDRSloppy
  // also strips them from a dotted quad: "0010.0.0.0/0008" is 10.0.0.0/8
  assert.equal(parseCidr("10.0.0.0/0008"), parseCidr("10.0.0.0/8"));
  assert.equal(parseCidr("0010.0.0.0/0008"), parseCidr("10.0.0.0/8"));
  assert.equal(parseCidr("fd00::/00064"), parseCidr("fd00::/64"));
  assert.is(parseCidr("10.0.0.0/000000000000000000032")?.prefix, 32);
  assert.is(parseCidr("10.0.0.0/0033"), null);
});

test("CIDRs: an IPv4-mapped network is the IPv4 network it maps (net.IPNet.Contains / String)", () => {
  // ParseCIDRSloppy("::ffff:10.0.0.0/104") is an IPNet whose String() is "10.0.0.0/8", the form
  // GetWarningsForCIDR tells users to write; Contains(10.1.2.3) holds. The written prefix stays
  // 104: the API server compares Mask.Size() for except
  assert.equal(parseCidr("::ffff:10.0.0.0/104"), { family: 4, prefix: 104, first: 0x0a000000n, last: 0x0affffffn });
  assert.equal(parseCidr("::ffff:0:0/96"), { family: 4, prefix: 96, first: 0n, last: 0xffffffffn });
  // a shorter prefix masks the ::ffff: part away: an IPv6 network (Go: "::/80")
  assert.equal(parseCidr("::ffff:10.0.0.0/80"), { family: 6, prefix: 80, first: 0n, last: (1n << 48n) - 1n });
});

test("subtractRanges cuts holes, in any order, overlapping or touching the ends", () => {
  const r = (first: number, last: number) => ({ first: BigInt(first), last: BigInt(last) });
  assert.equal(subtractRanges(r(0, 100), [r(10, 19), r(50, 59)]), [r(0, 9), r(20, 49), r(60, 100)]);
  assert.equal(subtractRanges(r(0, 100), [r(50, 59), r(0, 9), r(55, 70)]), [r(10, 49), r(71, 100)]);
  assert.equal(subtractRanges(r(0, 100), [r(90, 100)]), [r(0, 89)]);
  assert.equal(subtractRanges(r(0, 100), [r(0, 100)]), []);
  assert.equal(subtractRanges(r(0, 100), []), [r(0, 100)]);
});

test("inRanges finds membership by binary search", () => {
  const ranges = subtractRanges({ first: 0n, last: 1000n }, [{ first: 100n, last: 199n }, { first: 500n, last: 599n }]);
  for (const [v, want] of [[0, true], [99, true], [100, false], [199, false], [200, true], [599, false], [600, true], [1000, true], [1001, false]] as const) {
    assert.is(inRanges(ranges, BigInt(v)), want, String(v));
  }
});

test("an address's text is its canonical form however the dotted quad is written", () => {
  const random = new Random(7);
  for (let k = 0; k < 5000; k++) {
    const octets = Array.from({ length: 4 }, () => random.below(256));
    const text = octets.map((o) => "0".repeat(random.below(3) === 0 ? random.below(3) : 0) + String(o)).join(".");
    const parsed = parseAddress(text);
    assert.ok(parsed !== null, text);
    assert.is(parsed.text, formatAddress(4, parsed.value), text);
    assert.is(parsed.text, octets.join("."), text);
  }
  assert.is(parseAddress("::ffff:10.0.0.1")?.text, "10.0.0.1");
  assert.is(parseAddress("0.0.0.0")?.text, "0.0.0.0");
});

test.run();
