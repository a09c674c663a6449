// Addresses and CIDRs as integers: the API server's reading of IPv4, ipaddr.js for IPv6.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { inRanges, parseAddress, parseCidr, subtractRanges } from "../src/ir/address.js";

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
