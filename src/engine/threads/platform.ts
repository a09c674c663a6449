/**
 * Which threads this host offers: Node's `worker_threads` (found through
 * `process.getBuiltinModule`, so that the library imports no Node module and still
 * bundles for browsers), or Web Workers in a browser page that is cross-origin
 * isolated (`crossOriginIsolated`: without it there is no `SharedArrayBuffer`).
 * Anywhere else: none, and every engine runs on the calling thread.
 */
import { WORKER_SOURCE } from "./worker-source.generated.js";
import type { FromWorker, ToWorker } from "./protocol.js";

/** One started worker. */
export interface WorkerHandle {
  post(message: ToWorker): void;
  /** Stops the worker (whatever it is doing). */
  terminate(): void;
  /** Node: whether the worker keeps the process alive (it does only while a job waits on it). */
  hold(held: boolean): void;
}

/** How to start workers on this host. */
export interface WorkerPlatform {
  /** Logical cores, as the host reports them. */
  readonly cores: number;
  /**
   * Whether the calling thread may block on `Atomics.wait` (Node, and a browser's
   * workers): then the synchronous `decideBatch` and `matrix` use threads too; a
   * browser page's main thread uses them only through the `…Async` methods.
   */
  readonly canBlock: boolean;
  /** Starts a worker running `worker.ts`; `onError` hears of a worker that died. */
  spawn(onMessage: (message: FromWorker) => void, onError: () => void): WorkerHandle;
}

interface NodeWorker {
  postMessage(message: unknown): void;
  on(event: "message", f: (m: FromWorker) => void): void;
  on(event: "error", f: () => void): void;
  terminate(): Promise<number>;
  ref(): void;
  unref(): void;
}

type BuiltinModule = (id: string) => unknown;

function nodePlatform(builtin: BuiltinModule): WorkerPlatform | null {
  const threads = builtin("node:worker_threads") as { Worker?: new (source: string, options: object) => NodeWorker } | undefined;
  const os = builtin("node:os") as { availableParallelism?: () => number; cpus(): unknown[] } | undefined;
  if (threads?.Worker === undefined || os === undefined) return null;
  const NodeWorkerClass = threads.Worker;
  return {
    cores: os.availableParallelism?.() ?? os.cpus().length,
    canBlock: true,
    spawn(onMessage, onError) {
      // the source is plain JavaScript: no loader of the parent's (execArgv) is needed
      const worker = new NodeWorkerClass(WORKER_SOURCE, { eval: true, execArgv: [] });
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.unref();
      return {
        post: (m) => worker.postMessage(m),
        terminate: () => void worker.terminate(),
        hold: (held) => (held ? worker.ref() : worker.unref()),
      };
    },
  };
}

function browserPlatform(): WorkerPlatform | null {
  const scope = globalThis as {
    crossOriginIsolated?: boolean;
    Worker?: new (url: string) => { postMessage(m: unknown): void; terminate(): void; onmessage: ((e: { data: FromWorker }) => void) | null; onerror: (() => void) | null };
    navigator?: { hardwareConcurrency?: number };
    WorkerGlobalScope?: unknown;
    Blob?: typeof Blob;
    URL?: typeof URL;
  };
  if (scope.crossOriginIsolated !== true || scope.Worker === undefined || scope.Blob === undefined || scope.URL?.createObjectURL === undefined) return null;
  const WebWorker = scope.Worker;
  let url: string | undefined;
  return {
    cores: scope.navigator?.hardwareConcurrency ?? 1,
    canBlock: scope.WorkerGlobalScope !== undefined,
    spawn(onMessage, onError) {
      url ??= URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
      const worker = new WebWorker(url);
      worker.onmessage = (e) => onMessage(e.data);
      worker.onerror = onError;
      return { post: (m) => worker.postMessage(m), terminate: () => worker.terminate(), hold: () => {} };
    },
  };
}

let platform: WorkerPlatform | null | undefined;

/** This host's worker threads, or null when it has none that can share memory. */
export function workerPlatform(): WorkerPlatform | null {
  if (platform !== undefined) return platform;
  platform = null;
  if (typeof SharedArrayBuffer !== "function" || typeof Atomics !== "object") return platform;
  try {
    const node = (globalThis as { process?: { getBuiltinModule?: BuiltinModule } }).process;
    const builtin = node?.getBuiltinModule;
    platform = builtin !== undefined ? nodePlatform(builtin.bind(node)) : browserPlatform();
  } catch {
    platform = null;
  }
  return platform;
}
