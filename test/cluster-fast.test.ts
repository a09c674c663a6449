// The compact cluster's fast path (src/decode/cluster-fast.ts) against the io-ts codec
// it stands in for: on well-typed clusters it answers, with what the codec decodes; on
// anything else it either answers exactly as the codec would or hands over (null), so
// that decodeCluster reports the codec's own messages and paths.
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ClusterCodec } from "../src/decode/codecs.js";
import { decodeWith } from "../src/decode/decode-with.js";
import { FAST_PATH_UNCHECKED, decodeClusterFast } from "../src/decode/cluster-fast.js";
import { decodeCluster } from "../src/validate/decoders.js";
import { cluster } from "./support/arbitraries.js";

const RUNS = Number(process.env.NETPOL_DIFF_RUNS ?? 100);

/** The codec's decoding of `input`, or null when it reports problems. */
function codec(input: unknown): unknown {
  const decoded = decodeWith(ClusterCodec, input);
  return decoded.ok ? decoded.value : null;
}

/** A value that is sometimes the right type for a field and sometimes not. */
const oddValue = fc.oneof(
  fc.constantFrom(undefined, null, "", "x", 0, 1.5, -1, Number.NaN, true, false, [], {}, [null], ["10.0.0.1"], [1], { a: "b" }, { a: 1 }, new Map()),
  fc.anything(),
);

/** Clusters of well-typed pods and namespaces with some fields replaced by odd values. */
const oddCluster = fc
  .tuple(cluster(6), fc.array(fc.tuple(fc.nat(), fc.constantFrom("pods", "namespaces", "ports"), fc.string({ maxLength: 12 }), oddValue), { maxLength: 4 }))
  .map(([c, edits]) => {
    const copy = JSON.parse(JSON.stringify(c)) as Record<string, unknown[]>;
    const fields = ["namespace", "name", "labels", "ips", "ports", "hostNetwork", "phase", "containerPort", "protocol"];
    for (const [at, where, key, value] of edits) {
      const list = where === "ports" ? (copy.pods ?? []).flatMap((p) => ((p as { ports?: unknown[] }).ports ?? [])) : (copy[where] ?? []);
      if (list.length === 0) continue;
      const target = list[at % list.length] as Record<string, unknown>;
      target[at % 2 === 0 ? fields[at % fields.length]! : key] = value;
    }
    return copy;
  });

test("well-typed clusters take the fast path, with the codec's result", () => {
  fc.assert(
    fc.property(cluster(12), (c) => {
      const fast = decodeClusterFast(c);
      assert.ok(fast !== null, "the fast path refused a well-typed cluster");
      assert.equal(fast, codec(c));
    }),
    { numRuns: RUNS },
  );
});

test("on any other input the fast path answers as the codec does, or hands over", () => {
  fc.assert(
    fc.property(fc.oneof(oddCluster, fc.anything(), fc.record({ pods: fc.anything(), namespaces: fc.anything() })), (input) => {
      const fast = decodeClusterFast(input);
      if (fast !== null) assert.equal(fast, codec(input));
    }),
    { numRuns: RUNS * 5 },
  );
});

test("decodeCluster reports the codec's messages, whichever path read the input", () => {
  const input = { namespaces: [{ name: "x", labels: { team: 1 } }], pods: [{ namespace: "x", name: "a", ips: "10.0.0.1", ports: [{ containerPort: 80.5 }], phase: 3 }] };
  assert.is(decodeClusterFast(input), null);
  const decoded = decodeCluster(input);
  assert.ok(!decoded.ok);
  const codecIssues = decodeWith(ClusterCodec, input);
  assert.ok(!codecIssues.ok);
  assert.equal(decoded.issues, codecIssues.issues);
});

test("the fast path checks every field of the compact cluster's codecs", () => {
  // a field added to ClusterCodec, ClusterNamespace, ClusterPod or ContainerPort is
  // read by the codec alone (correct, but slow) until cluster-fast.ts checks it too
  assert.equal(FAST_PATH_UNCHECKED, { cluster: [], namespace: [], pod: [], port: [] });
});

test.run();
