// Addresses and CIDRs as integers: the API server's reading of IPv4, ipaddr.js's reading
// of IPv6 (by a hand-written scanner, checked against ipaddr.js itself).
import ipaddr from "ipaddr.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { inRanges, parseAddress, parseCidr, scanAddress, subtractRanges } from "../src/primitives/address.js";
import { Random } from "./support/random.js";

test("IPv4: dotted decimal, leading zeros are decimal, not octal", () => {
  assert.is(parseAddress("10.0.0.1")?.value, 0x0a000001n);
  assert.is(parseAddress("010.000.000.010")?.text, "10.0.0.10");
  for (const bad of ["256.0.0.1", "1.2.3", "1.2.3.4.5", "0x1.2.3.4", " 1.2.3.4", "1.2.3.-4", "", "1.2.3.4/8"]) assert.is(parseAddress(bad), null, bad);
});

test("IPv6: compressed, expanded, embedded IPv4; no zone ids", () => {
  assert.is(parseAddress("fd00::1")?.value, (0xfd00n << 112n) | 1n);
  assert.is(parseAddress("FD00:0:0:0:0:0:0:1")?.text, "fd00::1");
  assert.is(parseAddress("::ffff:1.2.3.4")?.family, 6);
  for (const bad of ["fe80::1%eth0", "fd00:::1", "gggg::1", "::1::"]) assert.is(parseAddress(bad), null, bad);
});

test("the scanner's edge cases: `::`, embedded IPv4, group and octet limits", () => {
  const v6 = (text: string): string | null => {
    const a = parseAddress(text);
    return a === null ? null : a.family === 6 ? a.value.toString(16) : `v4:${a.value.toString(16)}`;
  };
  assert.is(v6("::"), "0");
  assert.is(v6("::1"), "1");
  assert.is(v6("1::"), "1" + "0".repeat(28));
  assert.is(v6("::ffff:1.2.3.4"), "ffff01020304");
  assert.is(v6("::1.2.3.4"), "ffff01020304", "ipaddr.js's deprecated form of ::ffff:1.2.3.4");
  assert.is(v6("::ffff:0x1.02.3.4"), "ffff01020304", "ipaddr.js reads tail octets with parseInt");
  assert.is(v6("1:2:3:4:5:6:1.2.3.4"), "10002000300040005000601020304");
  assert.is(v6("1:2:3:4:5::1.2.3.4"), "10002000300040005000001020304");
  assert.is(v6("1:2:3:4:5:6:7:8"), "10002000300040005000600070008");
  assert.is(v6("1:2:3:4:5:6:7::"), "10002000300040005000600070000");
  assert.is(v6("ABCD:EF01::"), "abcdef01" + "0".repeat(24), "upper case");
  assert.is(v6("0001:0:0:0:0:0:0:0002"), "10000000000000000000000000002", "4 digits with leading zeros");
  assert.is(v6("010.0.0.255"), "v4:a0000ff");
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
    "1:2:3:4:5:6:7",
    "1:2:3:4:5:6:7:",
    ":1:2:3:4:5:6:7",
    "12345::",
    "::ffff:1.2.3.256",
    "::ffff:1.2.3",
    "1:2:3:4:5:6:7:1.2.3.4",
    "::ffff:a.2.3.4",
    "256.1.2.3",
    "1.2.3",
    "1.2.3.4.5",
    "1.2.3.0004",
    "fe80::1%eth0",
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

/** The reading netpol had before its own scanner: the regex for IPv4, ipaddr.js for IPv6. */
function ipaddrReading(text: string): string | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (m !== null) return m.slice(1).every((o) => Number(o) <= 255) ? `4:${m.slice(1).map(Number).join(".")}` : null;
  if (text.includes("%") || !ipaddr.IPv6.isValid(text)) return null;
  const parsed = ipaddr.IPv6.parse(text);
  return `6:${parsed.parts.map((p) => p.toString(16)).join(":")}|${parsed.toString()}`;
}

function scannerReading(text: string): string | null {
  const a = parseAddress(text);
  if (a === null) return null;
  if (a.family === 4) return `4:${a.text}`;
  const parts = Array.from({ length: 8 }, (_, i) => Number((a.value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  return `6:${parts.join(":")}|${a.text}`;
}

test("the scanner accepts and reads exactly what ipaddr.js did, on random and mutated literals", () => {
  const random = new Random(7);
  const alphabet = "0123456789abcdefABCDEFxX:.:.:::% g";
  const seeds = ["::", "::1", "1::", "::ffff:1.2.3.4", "::1.2.3.4", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4", "fd00::1", "1.2.3.4", "010.1.2.3", "::ffff:0x1.02.3.4", "1::2:3.4.5.6"];
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
    const want = ipaddrReading(text);
    if (want !== null) valid++;
    assert.is(scannerReading(text), want, JSON.stringify(text));
  }
  assert.ok(valid > 20_000, `only ${valid} valid literals`);
});

test("CIDRs: prefix bounds, host bits masked as the API server does", () => {
  assert.equal(parseCidr("10.1.2.3/8"), { family: 4, prefix: 8, first: 0x0a000000n, last: 0x0affffffn });
  assert.equal(parseCidr("0.0.0.0/0"), { family: 4, prefix: 0, first: 0n, last: 0xffffffffn });
  assert.is(parseCidr("::/0")?.last, (1n << 128n) - 1n);
  assert.is(parseCidr("fd00::1/128")?.first, parseCidr("fd00::1/128")?.last);
  for (const bad of ["10.0.0.0/33", "fd00::/129", "10.0.0.0", "10.0.0.0/", "10.0.0.0/a", "10.0.0.0/-1", "/8"]) assert.is(parseCidr(bad), null, bad);
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

test.run();
