/**
 * What `kubectl get namespaces,pods -A -o yaml` (or `-o json`) prints for a large
 * cluster: one `List` document whose items are the Namespaces, then the Pods, each
 * with the fields a real dump carries (owner references, uids, timestamps, images,
 * resources, node names), keys sorted as kubectl sorts them. About 670 bytes of YAML
 * per pod, as the dumps of issue 12 were (134 MB for 200k pods).
 *
 * Written chunk by chunk into a file so that generating a dump never holds it twice.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { formatAddress } from "../src/primitives/address.js";

/** Pods per namespace in a dump. */
const PODS_PER_NAMESPACE = 100;
const APPS = ["web", "api", "worker", "auth", "search", "orders", "billing", "cache"];

/** A deterministic hex string of `n` digits from a number. */
function hex(seed: number, n: number): string {
  let out = "";
  let x = (seed * 2654435761) >>> 0;
  while (out.length < n) {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x297a2d39) >>> 0;
    out += x.toString(16).padStart(8, "0");
  }
  return out.slice(0, n);
}

const uid = (seed: number): string => {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/** The object kubectl prints for pod `i` (as JSON; YAML is rendered from it). */
function podObject(i: number): Record<string, unknown> {
  const namespace = `team-${Math.floor(i / PODS_PER_NAMESPACE)}`;
  const app = APPS[i % APPS.length]!;
  const hash = hex(i % 997, 10);
  const name = `${app}-${hash}-${hex(i, 5)}`;
  const ip = formatAddress(4, 0x0a000000n + BigInt(i + 1));
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      creationTimestamp: "2024-05-01T10:00:00Z",
      labels: { app, "pod-template-hash": hash },
      name,
      namespace,
      ownerReferences: [{ apiVersion: "apps/v1", controller: true, kind: "ReplicaSet", name: `${app}-${hash}`, uid: uid(i % 997) }],
      resourceVersion: String(100000 + i),
      uid: uid(i + 1_000_000),
    },
    spec: {
      containers: [
        {
          image: `registry.example.com/${app}:1.${i % 7}.0`,
          name: app,
          ports: [{ containerPort: 8080, name: "http", protocol: "TCP" }],
        },
      ],
      nodeName: `node-${i % 64}`,
    },
    status: { hostIP: `192.168.0.${i % 64}`, phase: "Running", podIP: ip, podIPs: [{ ip }] },
  };
}

function namespaceObject(k: number): Record<string, unknown> {
  const name = `team-${k}`;
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { creationTimestamp: "2024-05-01T09:00:00Z", labels: { "kubernetes.io/metadata.name": name, team: `t${k % 13}` }, name, resourceVersion: String(k + 10), uid: uid(k + 5_000_000) },
    spec: { finalizers: ["kubernetes"] },
    status: { phase: "Active" },
  };
}

const PLAIN = /^[A-Za-z0-9_/][-A-Za-z0-9_./:]*$/;
/** Plain scalars YAML 1.1 would read as something other than a string: numbers, timestamps, booleans, null. */
const NOT_STRING = /^([-+]?[0-9_]*\.?[0-9_]*([eE][-+]?[0-9]+)?|.*:$|0[xXbBoO][0-9a-fA-F_]+|[0-9]{4}-.*|true|false|yes|no|on|off|y|n|null|~)$/i;
/** A string as kubectl's YAML printer writes it: plain when that reads back as the same string, else double-quoted. */
function yamlString(s: string): string {
  return PLAIN.test(s) && !NOT_STRING.test(s) ? s : JSON.stringify(s);
}

/** `value` as block YAML lines at `indent`; `first` is the prefix of the first line (`- ` for a sequence item). */
function yamlLines(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item === "object" && item !== null) {
        const lines: string[] = [];
        yamlLines(item, `${indent}  `, lines);
        out.push(`${indent}- ${lines[0]!.slice(indent.length + 2)}`, ...lines.slice(1));
      } else out.push(`${indent}- ${scalar(item)}`);
    }
    return;
  }
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === "object" && v !== null) {
      out.push(`${indent}${yamlString(key)}:`);
      yamlLines(v, Array.isArray(v) ? indent : `${indent}  `, out);
    } else out.push(`${indent}${yamlString(key)}: ${scalar(v)}`);
  }
}

const scalar = (v: unknown): string => (typeof v === "string" ? yamlString(v) : String(v));

/** Sizes of a written dump. */
export interface Dump {
  readonly bytes: number;
  readonly pods: number;
  readonly namespaces: number;
}

/** Writes the dump of a cluster of `pods` pods (and a namespace per 100) to `file`, as YAML or JSON. */
export function writeDump(file: string, pods: number, format: "yaml" | "json"): Dump {
  const namespaces = Math.ceil(pods / PODS_PER_NAMESPACE);
  const fd = openSync(file, "w");
  let bytes = 0;
  let pending = "";
  const write = (text: string): void => {
    pending += text;
    if (pending.length > 1 << 20) flush();
  };
  const flush = (): void => {
    bytes += writeSync(fd, pending);
    pending = "";
  };
  const items = function* (): Generator<Record<string, unknown>> {
    for (let k = 0; k < namespaces; k++) yield namespaceObject(k);
    for (let i = 0; i < pods; i++) yield podObject(i);
  };
  try {
    if (format === "yaml") {
      write("apiVersion: v1\nitems:\n");
      for (const item of items()) {
        const lines: string[] = [];
        yamlLines([item], "", lines);
        write(`${lines.join("\n")}\n`);
      }
      write('kind: List\nmetadata:\n  resourceVersion: ""\n');
    } else {
      write('{\n    "apiVersion": "v1",\n    "items": [\n');
      let first = true;
      for (const item of items()) {
        const text = JSON.stringify(item, null, 4).replace(/\n/g, "\n        ");
        write(`${first ? "" : ",\n"}        ${text}`);
        first = false;
      }
      write('\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n');
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return { bytes, pods, namespaces };
}
