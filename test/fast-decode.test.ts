// The codecs' fast path (src/decode/fast-decode.ts) against io-ts itself, on every
// codec netpol decodes with: on well-typed input it answers, with exactly what the
// codec decodes; on anything else (mutated input, random values) it either answers
// exactly as the codec would or hands over (null), so that every message and path
// still comes from the codec: `decodeWith` answers exactly as the codec alone does,
// issues included. Likewise the compiled unknown-field check against the walk that
// writes the `unknown field` issues.
import fc from "fast-check";
import * as t from "io-ts";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ClusterCodec, ClusterNamespace, ClusterNode, ClusterPod, NamespaceObject, NetworkPolicy, PodObject } from "../src/decode/codecs.js";
import { decodeWith, issuesFromErrors } from "../src/decode/decode-with.js";
import { fastDecode } from "../src/decode/fast-decode.js";
import { unknownFields, walkUnknownFields } from "../src/decode/unknown-fields.js";
import { cluster, policies } from "./support/arbitraries.js";

const RUNS = Number(process.env.NETPOL_DIFF_RUNS ?? 100);

/** The codec's own decoding of `input` (io-ts, no fast path), or null when it refuses it. */
function viaCodec(codec: t.Mixed, input: unknown): { value: unknown } | null {
  const decoded = codec.decode(input);
  return decoded._tag === "Right" ? { value: decoded.right } : null;
}

/** Every field name a codec reads, all the way down. */
function fieldNames(codec: t.Mixed, out = new Set<string>()): Set<string> {
  if (codec instanceof t.PartialType || codec instanceof t.InterfaceType) {
    for (const [key, field] of Object.entries(codec.props as t.Props)) {
      out.add(key);
      fieldNames(field, out);
    }
  } else if (codec instanceof t.UnionType || codec instanceof t.IntersectionType) for (const member of codec.types as t.Mixed[]) fieldNames(member, out);
  else if (codec instanceof t.ArrayType || codec instanceof t.RefinementType) fieldNames(codec.type as t.Mixed, out);
  return out;
}

/** Values of every type a field could hold, right and wrong. */
const oddValue = fc.oneof(
  fc.constantFrom(undefined, null, "", "x", "80", 0, 80, 1.5, -1, Number.NaN, true, false, [], {}, [null], ["10.0.0.1"], [1], [{}], { a: "b" }, { a: 1 }, new Map()),
  fc.anything(),
);

/**
 * `base` (JSON data) with a few fields somewhere in it set to odd values: one the
 * object has, one the codec reads, or any key.
 */
function mutated(base: fc.Arbitrary<unknown>, codec: t.Mixed): fc.Arbitrary<unknown> {
  const names = [...fieldNames(codec)];
  const key = fc.oneof(fc.constant(null), fc.constantFrom(...names), fc.string({ maxLength: 8 }));
  return fc.tuple(base, fc.array(fc.tuple(fc.nat(), key, oddValue), { minLength: 1, maxLength: 4 })).map(([value, edits]) => {
    const copy = JSON.parse(JSON.stringify(value)) as unknown;
    const objects: Record<string, unknown>[] = [];
    const walk = (v: unknown): void => {
      if (v === null || typeof v !== "object") return;
      if (!Array.isArray(v)) objects.push(v as Record<string, unknown>);
      for (const child of Object.values(v)) walk(child);
    };
    walk(copy);
    for (const [at, name, odd] of edits) {
      const target = objects[at % Math.max(1, objects.length)];
      if (target === undefined) continue;
      const own = Object.keys(target);
      target[name ?? own[at % Math.max(1, own.length)] ?? "x"] = odd;
    }
    return copy;
  });
}

const CODECS: ReadonlyArray<readonly [string, t.Mixed, fc.Arbitrary<unknown>]> = [
  ["the compact cluster", ClusterCodec, cluster(8)],
  ["NetworkPolicy", NetworkPolicy, policies(1).map((ps) => ps[0] ?? {})],
  [
    "Pod",
    PodObject,
    fc.constant({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "web-0", namespace: "shop", labels: { app: "web" }, ownerReferences: [{ kind: "ReplicaSet", name: "web-1", controller: true }] },
      spec: { hostNetwork: false, containers: [{ name: "web", ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }] }] },
      status: { phase: "Running", podIP: "10.0.0.1", podIPs: [{ ip: "10.0.0.1" }, { ip: "fd00::1" }] },
    }),
  ],
  ["ClusterPod", ClusterPod, cluster(8).map((c) => c.pods[0] ?? {})],
  [
    "ClusterPod with every field",
    ClusterPod,
    fc.constant({
      namespace: "shop",
      name: "web-0",
      labels: { app: "web", "app.kubernetes.io/name": "web" },
      ips: ["10.0.0.1", "fd00::1"],
      ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }, { containerPort: 53, protocol: "UDP" }],
      hostNetwork: false,
      nodeName: "node-1",
      phase: "Running",
    }),
  ],
  ["ClusterNamespace", ClusterNamespace, fc.constant({ name: "shop", labels: { team: "a" } })],
  ["ClusterNode", ClusterNode, fc.constant({ name: "node-1", labels: { "topology.kubernetes.io/zone": "a" }, ips: ["192.168.0.1", "fd01::1"] })],
  ["Namespace", NamespaceObject, fc.constant({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop", labels: { team: "a" } } })],
];

for (const [name, codec, valid] of CODECS) {
  test(`${name}: well-typed input takes the fast path, with the codec's result`, () => {
    fc.assert(
      fc.property(valid, (input) => {
        const fast = fastDecode(codec, input);
        assert.ok(fast !== null, "the fast path refused well-typed input");
        assert.equal(fast, viaCodec(codec, input));
      }),
      { numRuns: RUNS },
    );
  });

  test(`${name}: on any other input the fast path answers as the codec does, or hands over`, () => {
    fc.assert(
      fc.property(fc.oneof(mutated(valid, codec), fc.anything()), (input) => {
        const fast = fastDecode(codec, input);
        if (fast !== null) assert.equal(fast, viaCodec(codec, input));
      }),
      { numRuns: RUNS * 5 },
    );
  });
}

/** What the codec alone answers, as `decodeWith` words it: the value, or the issues. */
function codecAnswer(codec: t.Mixed, input: unknown): unknown {
  const decoded = codec.decode(input);
  return decoded._tag === "Right" ? { ok: true, value: decoded.right } : { ok: false, issues: issuesFromErrors(decoded.left) };
}

for (const [name, codec, valid] of CODECS) {
  test(`${name}: decodeWith answers exactly as the codec alone, messages and paths included`, () => {
    fc.assert(
      fc.property(fc.oneof(valid, mutated(valid, codec), fc.anything()), (input) => {
        assert.equal(decodeWith(codec, input), codecAnswer(codec, input));
      }),
      { numRuns: RUNS * 5 },
    );
  });
}

for (const [name, codec, valid] of CODECS) {
  test(`${name}: the compiled unknown-field check answers as the walk, paths and messages included`, () => {
    fc.assert(
      fc.property(fc.oneof(valid, mutated(valid, codec), fc.anything()), (input) => {
        assert.equal(unknownFields(codec, input, "p"), walkUnknownFields(codec, input, "p"));
      }),
      { numRuns: RUNS * 5 },
    );
  });
}

test("decodeWith reports the codec's own messages and paths", () => {
  const input = { namespaces: [{ name: "x", labels: { team: 1 } }], pods: [{ namespace: "x", name: "a", ips: "10.0.0.1", ports: [{ containerPort: 80.5 }], phase: 3 }] };
  assert.is(fastDecode(ClusterCodec, input), null);
  const decoded = decodeWith(ClusterCodec, input);
  assert.ok(!decoded.ok);
  assert.equal(decoded.issues.map((i) => i.path).sort(), ["namespaces[0].labels.team", "pods[0].ips", "pods[0].phase", "pods[0].ports[0].containerPort"]);
});

test.run();
