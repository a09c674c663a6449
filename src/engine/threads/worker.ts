/**
 * The body of every worker thread (Node `worker_threads` and browser Web Workers
 * alike), bundled by `scripts/build-worker.mjs` into one classic script
 * (`worker-source.generated.ts`) that the pool starts from text: no file to locate
 * at run time, in any bundle format. A worker holds its own instance of the core with
 * a copy of the tables, and runs the same loops as the calling thread (`runs.ts`).
 */
import { Core } from "../wasm/core.js";
import { decideRange, loadAddresses, matrixRows, prepareQuery, type Prepared } from "../wasm/runs.js";
import { C, CHUNK_STATE, type DecideJob, type FromWorker, type MatrixJob, type ToWorker } from "./protocol.js";

/** Where messages come from and go to: Node's `parentPort`, or the worker's global scope. */
interface Port {
  post(message: FromWorker): void;
  listen(handler: (message: ToWorker) => void): void;
}

function port(): Port {
  const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.("node:worker_threads") as
    | { parentPort: { postMessage(m: unknown): void; on(e: "message", f: (m: ToWorker) => void): void } | null }
    | undefined;
  const parent = node?.parentPort;
  if (parent) return { post: (m) => parent.postMessage(m), listen: (f) => parent.on("message", f) };
  const scope = globalThis as unknown as { postMessage(m: unknown): void; addEventListener(e: "message", f: (e: { data: ToWorker }) => void): void };
  return { post: (m) => scope.postMessage(m), listen: (f) => scope.addEventListener("message", (e) => f(e.data)) };
}

const parent = port();
let core: Core | null = null;
/** The compile whose tables this worker's core holds; -1 before any, or once the worker failed. */
let generation = -1;
let failed = false;

/** Takes this worker out: the calling thread redoes what it failed, and reports the input's own error, if any. */
function fail(): void {
  failed = true;
  generation = -1;
  parent.post({ type: "failed" });
}

/** Takes chunks of a job until none is left; says so when it took any. */
function work(id: number, control: Int32Array, job: DecideJob | MatrixJob): void {
  const chunks = job.type === "decide" ? Math.ceil(job.length / job.chunkFlows) : Math.ceil(job.strips / job.chunkStrips);
  if (Atomics.load(control, C.NEXT) >= chunks) return; // taken by others while this worker was busy
  let addresses = -1; // the batch's address table in this core, once loaded
  let prepared: Prepared | null = null; // the query's work rows and class block (its strips made as this worker's pods need them)
  let took = 0;
  for (;;) {
    const k = Atomics.add(control, C.NEXT, 1);
    if (k >= chunks) break;
    took++;
    try {
      if (job.type === "decide") {
        if (addresses < 0) addresses = loadAddresses(core!, job.codes);
        const start = k * job.chunkFlows;
        const end = Math.min(job.length, start + job.chunkFlows);
        Atomics.store(control, C.HEAD + chunks + k, decideRange(core!, job.columns, addresses, job.codes.length, start, end, job.out, start));
      } else {
        prepared ??= prepareQuery(core!, job.protocol, job.port, job.kind);
        const first = k * job.chunkStrips;
        matrixRows(core!, job.kind, job.pods, prepared, first, Math.min(job.strips, first + job.chunkStrips), job.bits);
      }
      Atomics.store(control, C.HEAD + k, CHUNK_STATE.DONE);
    } catch {
      Atomics.store(control, C.HEAD + k, CHUNK_STATE.FAILED);
      Atomics.add(control, C.SETTLED, 1);
      Atomics.notify(control, C.SETTLED);
      fail();
      // a failed worker takes no more chunks; the calling thread redoes this one
      break;
    }
    Atomics.add(control, C.SETTLED, 1);
    Atomics.notify(control, C.SETTLED);
  }
  if (took > 0) parent.post({ type: "settled", id });
}

parent.listen((message) => {
  if (failed) return;
  try {
    if (message.type === "init") core = new Core(message.module);
    else if (message.type === "tables") {
      generation = -1;
      core!.allocateTables(message.tables.length, message.tables.length, false).set(message.tables);
      core!.bind();
      generation = message.generation;
    } else if (message.generation === generation) work(message.id, message.control, message.job);
  } catch {
    fail();
  }
});
