// What the threads do in a page (and in Node, for comparison): a 2,100-pod cluster,
// one large columnar batch and one matrix through the `…Async` methods of a default
// engine, against the synchronous answers of a one-thread engine.
import type * as Netpol from "../../src/index.js";

/** One threads run, as plain JSON. */
export interface ThreadsSurvey {
  readonly isolated: boolean;
  /** The default engine's `threads`, after its jobs (a worker that failed to start counts no more). */
  readonly threads: number;
  readonly batchSame: boolean;
  readonly matrixSame: boolean;
  readonly sideSame: boolean;
  /** Allowed flows of the batch, and allowed cells of the matrix. */
  readonly allowed: number;
  readonly cells: number;
}

const PODS = 2100;
const FLOWS = 300_000;

const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.prototype.every.call(a, (v: number, i: number) => v === b[i]);

export async function threadsSurvey(netpol: typeof Netpol): Promise<ThreadsSurvey> {
  const namespaces = ["a", "b", "c"].map((name) => ({ name, labels: { team: name } }));
  const pods = Array.from({ length: PODS }, (_, i) => ({
    namespace: namespaces[i % 3]!.name,
    name: `p${i}`,
    labels: { app: i % 7 === 0 ? "db" : "web" },
    ips: [`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`],
  }));
  const policies: Netpol.NetworkPolicyManifest[] = ["a", "b"].map((namespace) => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { namespace, name: "db" },
    spec: {
      podSelector: { matchLabels: { app: "db" } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "c" } } }], ports: [{ port: 5432 }] }],
    },
  }));
  const input = { cluster: { namespaces, pods }, policies };
  const engine = await netpol.createEngine(input);
  const one = await netpol.createEngine({ ...input, threads: 1 });
  let seed = 12345;
  const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % PODS;
  const from = new Uint32Array(FLOWS).map(next);
  const to = new Uint32Array(FLOWS).map(next);
  const port = new Uint16Array(FLOWS).map((_, i) => (i % 2 === 0 ? 5432 : 80));
  const flows = { from, to, port, protocol: new Uint8Array(FLOWS) };
  // the first job starts the workers; give them time to take part in the next ones
  await engine.decideBatchAsync(flows);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const batch = await engine.decideBatchAsync(flows);
  const query = { port: 5432 };
  const matrix = await engine.matrixAsync(query);
  const side = await engine.sideMatrixAsync(query, "Ingress");
  const want = one.matrix(query);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const threads = engine.threads;
  engine.close();
  return {
    isolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
    threads,
    batchSame: same(batch, one.decideBatch(flows)),
    matrixSame: same(matrix.bits, want.bits),
    sideSame: same(side.bits, one.sideMatrix(query, "Ingress").bits),
    allowed: batch.reduce((n, v) => n + v, 0),
    cells: want.bits.reduce((n, w) => n + popcount(w), 0),
  };
}

function popcount(w: number): number {
  let n = 0;
  for (let v = w >>> 0; v !== 0; v &= v - 1) n++;
  return n;
}
