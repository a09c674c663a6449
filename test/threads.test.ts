// Threads: batches and matrices split across worker threads give, byte for byte, what
// one thread gives (1, 2 and 3 threads; small random clusters and a mid-sized one;
// after updates; caller buffers plain and shared, matrices splitting only into shared
// ones); a worker's failure is redone on the calling thread; bad flows fail as on one
// thread; `close` and idle workers let a process end; `threads` is checked.
import { spawnSync } from "node:child_process";
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { createEngineWith, createEngine, createEngineSync } from "../src/engine/create.js";
import { WasmEngine } from "../src/engine/wasm/engine.js";
import { DEFAULT_SPLIT, type SplitPolicy } from "../src/engine/threads/split.js";
import { workerPlatform, type WorkerPlatform } from "../src/engine/threads/platform.js";
import { C, CHUNK_STATE, type ToWorker } from "../src/engine/threads/protocol.js";
import type { ColumnarFlows, Engine, EngineInput, PortQuery } from "../src/api/engine.js";
import { NetpolValidationError } from "../src/primitives/issues.js";
import { toColumns } from "../src/api/flow-columns.js";
import { mixedScenario } from "./support/tier-arbitraries.js";
import { deriveFlows, matrixQueries } from "./support/flows.js";
import { applySpecs, updateSpec } from "./support/updates.js";
import type { Scenario } from "./support/arbitraries.js";
import { syntheticFlows, syntheticWorld } from "../benchmarks/synthetic.js";

/** Splits even the smallest input: many small chunks. */
const TINY: SplitPolicy = { minFlows: 1, chunkFlows: 61, minPods: 1, chunksPerThread: 4 };

const inputOf = (s: Scenario): EngineInput => ({ cluster: s.cluster, policies: s.policies, options: s.options });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Workers start with the first job and take nothing until they run: repeats `job` until workers took chunks of one (at most ~10 s). */
async function withWorkers(engine: Engine, job: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    await job();
    if ((engine as WasmEngine).workerChunks() > 0) return;
    await sleep(20);
  }
  assert.unreachable("the workers never took a chunk");
}

/** The same columns, over SharedArrayBuffers (workers read them in place). */
function sharedColumns(c: ColumnarFlows): ColumnarFlows {
  const share = <T extends Uint8Array | Uint16Array | Uint32Array>(a: T): T => {
    const copy = new (a.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
    copy.set(a);
    return copy;
  };
  return c.ports !== undefined
    ? { ...c, from: share(c.from), to: share(c.to), ports: share(c.ports) }
    : { ...c, from: share(c.from), to: share(c.to), protocol: share(c.protocol), port: share(c.port) };
}

/** Every batch and matrix answer of `engine` on `flows` and `queries`, each form and path, as one list of byte arrays. */
async function answers(engine: Engine, flows: ColumnarFlows, queries: readonly PortQuery[]): Promise<Array<[string, ArrayLike<number>]>> {
  const n = engine.pods.length;
  const words = n * Math.ceil(n / 32);
  const out: Array<[string, ArrayLike<number>]> = [
    ["decideBatch", engine.decideBatch(flows)],
    ["decideBatchAsync", await engine.decideBatchAsync(flows)],
    ["decideBatch shared", engine.decideBatch(sharedColumns(flows))],
  ];
  for (const q of queries) {
    const tag = `${q.protocol}/${q.port}`;
    out.push([`matrix ${tag}`, engine.matrix(q).bits]);
    out.push([`matrixAsync ${tag}`, (await engine.matrixAsync(q)).bits]);
    out.push([`sideMatrix Egress ${tag}`, engine.sideMatrix(q, "Egress").bits]);
    out.push([`sideMatrixAsync Ingress ${tag}`, (await engine.sideMatrixAsync(q, "Ingress")).bits]);
    // a reused buffer, dirty from the last matrix
    const into = new Uint32Array(words + 3).fill(0xdeadbeef);
    out.push([`matrix into ${tag}`, engine.matrix(q, { into }).bits]);
    const shared = new Uint32Array(new SharedArrayBuffer((words + 1) * 4)).fill(0xffffffff);
    out.push([`matrix into shared ${tag}`, Array.from(engine.matrix(q, { into: shared }).bits)]);
  }
  return out;
}

function assertSame(got: Array<[string, ArrayLike<number>]>, want: Array<[string, ArrayLike<number>]>, label: string): void {
  assert.equal(got.map(([name]) => name), want.map(([name]) => name));
  got.forEach(([name, bytes], i) => {
    const expected = want[i]![1];
    assert.is(bytes.length, expected.length, `${label}: ${name} length`);
    for (let k = 0; k < bytes.length; k++) if (bytes[k] !== expected[k]) assert.unreachable(`${label}: ${name} differs at ${k}: ${bytes[k]} where one thread gives ${expected[k]}`);
  });
}

const hasThreads = workerPlatform() !== null;

test("Node has worker threads: the default is the host's cores (at most 8), threads: 1 has none", async () => {
  assert.ok(hasThreads, "worker_threads and SharedArrayBuffer are found");
  const input: EngineInput = { cluster: { namespaces: [], pods: [] }, policies: [] };
  const cores = workerPlatform()!.cores;
  assert.is((await createEngine(input)).threads, cores < 2 ? 1 : Math.min(cores, 8));
  assert.is((await createEngine({ ...input, threads: 1 })).threads, 1);
  assert.is((await createEngine({ ...input, threads: 3 })).threads, 3);
  assert.is(createEngineSync({ ...input, threads: 3, evaluator: "reference" }).threads, 1);
});

test("threads is an integer from 1 to 64, checked on every evaluator", async () => {
  for (const evaluator of ["wasm", "reference"] as const) {
    for (const threads of [0, 1.5, 65, "2", null, Number.NaN]) {
      try {
        await createEngine({ cluster: { namespaces: [], pods: [] }, policies: [], evaluator, threads: threads as number });
        assert.unreachable(`threads ${String(threads)} was accepted`);
      } catch (error) {
        assert.instance(error, NetpolValidationError);
        assert.equal((error as NetpolValidationError).issues.map((i) => i.path), ["threads"]);
        assert.match((error as NetpolValidationError).issues[0]!.message, /^expected an integer from 1 to 64, got /);
      }
    }
  }
});

test("small random clusters: 1, 2 and 3 threads give the same verdicts and matrices, before and after updates", async () => {
  const scenarios = fc.sample(fc.tuple(mixedScenario(), fc.array(updateSpec, { minLength: 1, maxLength: 4 })), { seed: 7, numRuns: 6 });
  let seed = 0;
  for (const [scenario, specs] of scenarios) {
    seed++;
    const engines = await Promise.all([1, 2, 3].map((threads) => createEngineWith({ ...inputOf(scenario), threads }, { split: TINY })));
    const { changes, next } = applySpecs(scenario, specs);
    for (const phase of ["before", "after"] as const) {
      const s = phase === "before" ? scenario : next;
      const flows = toColumns(engines[0]!.pods, deriveFlows(s, seed, 1500));
      const queries = matrixQueries(s, seed, 2);
      const want = await answers(engines[0]!, flows, queries);
      for (const engine of engines.slice(1)) {
        await withWorkers(engine, () => engine.decideBatchAsync(flows));
        assertSame(await answers(engine, flows, queries), want, `scenario ${seed} ${phase}, ${engine.threads} threads`);
      }
      if (phase === "before") for (const engine of engines) engine.update(changes);
    }
    for (const engine of engines) engine.close();
  }
});

test("a mid-sized cluster (1,000 pods, 200 policies): 1, 2 and 3 threads agree on 300,000 flows and every matrix form", async () => {
  const world = syntheticWorld({ name: "S", pods: 1000, policies: 200 }, 3);
  const input: EngineInput = { cluster: world.cluster, policies: world.policies as EngineInput["policies"] };
  // the default split for batches (300,000 flows are past its minimum); matrices split from 256 pods
  const split: SplitPolicy = { ...DEFAULT_SPLIT, minPods: 256 };
  const engines = await Promise.all([1, 2, 3].map((threads) => createEngineWith({ ...input, threads }, { split })));
  const flows = toColumns(engines[0]!.pods, syntheticFlows(world, 300_000, 4));
  const queries: PortQuery[] = [{ protocol: "TCP", port: 8080 }, { protocol: "UDP", port: 53 }];
  const want = await answers(engines[0]!, flows, queries);
  const shared = new Uint32Array(new SharedArrayBuffer(engines[0]!.pods.length * Math.ceil(engines[0]!.pods.length / 32) * 4));
  for (const engine of engines.slice(1)) {
    await withWorkers(engine, () => engine.matrixAsync(queries[0]!, { into: shared }));
    assertSame(await answers(engine, flows, queries), want, `${engine.threads} threads`);
    // split only into shared memory: a fresh array stays an ordinary one
    assert.instance(engine.matrix(queries[0]!).bits.buffer, ArrayBuffer);
  }
  // an update reaches the workers: a namespace's pods lose every ingress
  const namespace = world.cluster.pods[0]!.namespace;
  const deny = { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { namespace, name: "threads-deny" }, spec: { podSelector: {}, policyTypes: ["Ingress"] } } as const;
  for (const engine of engines) engine.update({ op: "upsertPolicy", policy: deny });
  const after = await answers(engines[0]!, flows, queries);
  assert.not.equal(after[0]![1], want[0]![1], "the update changes verdicts");
  for (const engine of engines.slice(1)) assertSame(await answers(engine, flows, queries), after, `${engine.threads} threads, after an update`);
  for (const engine of engines) engine.close();
});

test("a bad flow fails a split batch as it fails on one thread: the first one, with its path", async () => {
  const world = syntheticWorld({ name: "S", pods: 1000, policies: 200 }, 3);
  const input: EngineInput = { cluster: world.cluster, policies: world.policies as EngineInput["policies"] };
  const one = await createEngineWith({ ...input, threads: 1 }, { split: TINY });
  const three = await createEngineWith({ ...input, threads: 3 }, { split: TINY });
  const flows = toColumns(one.pods, syntheticFlows(world, 20_000, 5));
  await withWorkers(three, () => three.decideBatchAsync(flows));
  const from = flows.from.slice();
  from[17_000] = 9_999_999;
  from[12_345] = 9_999_998;
  const bad = { ...flows, from };
  const message = (f: () => unknown): string => {
    try {
      f();
    } catch (error) {
      assert.instance(error, NetpolValidationError);
      return (error as Error).message;
    }
    return "accepted";
  };
  const want = message(() => one.decideBatch(bad));
  assert.match(want, /flows\.from\[12345\]/);
  assert.is(message(() => three.decideBatch(bad)), want);
  assert.is(await three.decideBatchAsync(bad).then(() => "accepted", (e: Error) => e.message), want);
  three.close();
});

/** A host whose one "worker" takes the first chunk of every job and fails it, as a worker that cannot grow its memory would. */
function failingPlatform(): WorkerPlatform & { readonly failures: number } {
  let failures = 0;
  return {
    cores: 2,
    canBlock: true,
    get failures() {
      return failures;
    },
    spawn(onMessage) {
      return {
        post(message: ToWorker) {
          if (message.type !== "job") return;
          const k = Atomics.add(message.control, C.NEXT, 1);
          Atomics.store(message.control, C.HEAD + k, CHUNK_STATE.FAILED);
          Atomics.add(message.control, C.SETTLED, 1);
          failures++;
          queueMicrotask(() => onMessage({ type: "settled", id: message.id }));
        },
        terminate() {},
        hold() {},
      };
    },
  };
}

test("a chunk a worker failed is redone on the calling thread: same answers, no error", async () => {
  const world = syntheticWorld({ name: "S", pods: 1000, policies: 200 }, 3);
  const input: EngineInput = { cluster: world.cluster, policies: world.policies as EngineInput["policies"] };
  const one = await createEngineWith({ ...input, threads: 1 }, { split: TINY });
  const host = failingPlatform();
  const failing = await createEngineWith({ ...input, threads: 2 }, { split: { ...TINY, chunkFlows: 1000 }, platform: host });
  const flows = toColumns(one.pods, syntheticFlows(world, 20_000, 6));
  const query = { protocol: "TCP", port: 8080 } as const;
  assertSame(await answers(failing, flows, [query]), await answers(one, flows, [query]), "a failing worker");
  // three batches and the matrix into shared memory
  assert.ok(host.failures >= 4, "the worker failed a chunk of every job");
});

test("close() stops the workers; the engine keeps answering, on one thread", async () => {
  const world = syntheticWorld({ name: "S", pods: 1000, policies: 200 }, 3);
  const input: EngineInput = { cluster: world.cluster, policies: world.policies as EngineInput["policies"] };
  const engine = await createEngineWith({ ...input, threads: 2 }, { split: TINY });
  const flows = toColumns(engine.pods, syntheticFlows(world, 5_000, 7));
  await withWorkers(engine, () => engine.decideBatchAsync(flows));
  const before = engine.decideBatch(flows);
  engine.close();
  assert.is(engine.threads, 1);
  assert.equal(engine.decideBatch(flows), before);
  assert.equal(await engine.decideBatchAsync(flows), before);
  engine.close();
});

test("idle workers do not keep a Node process alive", () => {
  const script = `
    import { createEngine } from ${JSON.stringify(new URL("../src/engine/create.ts", import.meta.url).pathname)};
    const pods = Array.from({ length: 3000 }, (_, i) => ({ namespace: "a", name: "p" + i, ips: ["10.0." + (i >> 8) + "." + (i & 255)] }));
    const engine = await createEngine({ cluster: { namespaces: [{ name: "a" }], pods }, policies: [], threads: 2 });
    const m = await engine.matrixAsync({ port: 80 });
    engine.matrix({ port: 80 });
    process.stdout.write(engine.threads + " " + m.allowed(0, 1));
  `;
  const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
  assert.is(run.stderr, "");
  assert.is(run.stdout.trim(), "2 true");
  assert.is(run.status, 0);
});

test.run();
