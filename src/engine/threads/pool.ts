/**
 * The workers of one engine and the jobs it shares with them. Workers start when the
 * first job that pays for them comes (`WasmEngine` decides), each with its own core
 * instance; the tables of each compile are copied once into a `SharedArrayBuffer`
 * and from there into every worker's instance before its next job (so an update
 * reaches the workers with the next threaded call, and costs nothing until then).
 * A job's chunks are taken from one shared counter by the calling thread and the
 * workers alike (`protocol.ts`); the calling thread then waits, blocking (`runSync`,
 * where the host allows it) or not (`run`), until every chunk a worker took is
 * settled. A chunk a worker failed is left for the caller to redo on its own core,
 * so a worker's error never escapes: the caller's own run reports the input's error,
 * as on one thread. Node workers are `unref`'d: they never keep a process alive,
 * except while an asynchronous job waits on them.
 */
import { C, controlWords, type DecideJob, type FromWorker, type MatrixJob } from "./protocol.js";
import type { WorkerHandle, WorkerPlatform } from "./platform.js";

/** The tables of one compile, as the calling thread's core holds them. */
export interface TablesOf {
  readonly generation: number;
  /** A view of the tables' words (read only during the call). */
  readonly words: () => Uint32Array;
}

/** What a finished job leaves: each chunk's state and, for batches, its first refused flow. */
export interface Settled {
  readonly chunks: number;
  readonly control: Int32Array;
}

interface Member {
  readonly handle: WorkerHandle;
  alive: boolean;
}

/** An engine's worker threads. */
export class ThreadPool {
  private readonly members: Member[] = [];
  private generation = -1;
  private nextJob = 0;
  /** Asynchronous jobs waiting for their workers, by job id. */
  private readonly waiting = new Map<number, () => void>();
  private readonly arena = new Map<string, SharedArrayBuffer>();
  private closed = false;
  /** Per job, how many chunks workers settled (for tests and benchmarks). */
  lastWorkerChunks = 0;

  constructor(
    private readonly platform: WorkerPlatform,
    private readonly module: WebAssembly.Module,
    /** Workers to start: the calling thread is one more thread. */
    readonly size: number,
  ) {}

  /** Whether jobs still go to workers (not after `close`, nor once every worker failed). */
  get open(): boolean {
    return !this.closed && (this.members.length < this.size || this.members.some((m) => m.alive));
  }

  /** A shared buffer of at least `bytes` bytes for `slot`, kept and reused from job to job (a job's buffers are free again once it has settled). */
  shared(slot: string, bytes: number): SharedArrayBuffer {
    const have = this.arena.get(slot);
    if (have !== undefined && have.byteLength >= bytes) return have;
    const buffer = new SharedArrayBuffer(Math.max(bytes, Math.ceil((have?.byteLength ?? 0) * 1.25)));
    this.arena.set(slot, buffer);
    return buffer;
  }

  private start(): void {
    while (this.members.length < this.size) {
      const member: Member = { handle: undefined!, alive: true };
      const onMessage = (message: FromWorker): void => {
        // a worker that failed takes no more work (the chunk it failed is redone by the caller)
        if (message.type === "settled") this.waiting.get(message.id)?.();
        else member.alive = false;
      };
      const onError = (): void => {
        // it died from outside (its own errors are caught chunk by chunk): wake every waiter to look again
        member.alive = false;
        for (const wake of this.waiting.values()) wake();
      };
      try {
        (member as { handle: WorkerHandle }).handle = this.platform.spawn(onMessage, onError);
      } catch {
        // the host refused a worker (a limit, a policy): this engine stays on the calling thread
        this.closed = true;
        this.terminate();
        return;
      }
      member.handle.post({ type: "init", module: this.module });
      this.members.push(member);
    }
  }

  /** Starts the workers if needed and hands them the tables of `tables.generation` if they do not have them. */
  private ready(tables: TablesOf): Member[] {
    this.start();
    const live = this.members.filter((m) => m.alive);
    if (tables.generation !== this.generation) {
      const words = tables.words();
      let copy: Uint32Array;
      try {
        copy = new Uint32Array(new SharedArrayBuffer(words.byteLength));
      } catch (error) {
        // no shared memory for the tables this time: the calling thread runs the job alone
        if (error instanceof RangeError) return [];
        throw error;
      }
      copy.set(words);
      for (const m of live) m.handle.post({ type: "tables", generation: tables.generation, tables: copy });
      this.generation = tables.generation;
    }
    return live;
  }

  /** Posts a job, runs the calling thread's share (`mine(k)` per chunk it takes); returns what it needs to wait for. */
  private launch(tables: TablesOf, job: DecideJob | MatrixJob, chunks: number, mine: (k: number) => void): { id: number; settled: Settled; need: number; live: Member[]; error: unknown } {
    const live = this.ready(tables);
    const control = new Int32Array(new SharedArrayBuffer(controlWords(chunks) * 4));
    const id = this.nextJob++;
    for (const m of live) m.handle.post({ type: "job", id, generation: tables.generation, control, job });
    let own = 0;
    let error: unknown = null;
    try {
      for (let k = Atomics.add(control, C.NEXT, 1); k < chunks; k = Atomics.add(control, C.NEXT, 1)) {
        own++;
        mine(k);
      }
    } catch (e) {
      error = e;
    }
    // no chunk is taken from here on; the workers' ones must settle before the shared buffers are reused
    const taken = Math.min(Atomics.exchange(control, C.NEXT, chunks), chunks);
    return { id, settled: { chunks, control }, need: taken - own, live, error };
  }

  /** Runs a job and waits for its workers by blocking: only where `canBlock`. Rethrows what `mine` threw, after the workers settled. */
  runSync(tables: TablesOf, job: DecideJob | MatrixJob, chunks: number, mine: (k: number) => void): Settled {
    const { settled, need, error } = this.launch(tables, job, chunks, mine);
    const control = settled.control;
    for (let s = Atomics.load(control, C.SETTLED); s < need; s = Atomics.load(control, C.SETTLED)) Atomics.wait(control, C.SETTLED, s);
    this.lastWorkerChunks = need;
    if (error !== null) throw error;
    return settled;
  }

  /** Runs a job and waits for its workers without blocking the calling thread's event loop. */
  async run(tables: TablesOf, job: DecideJob | MatrixJob, chunks: number, mine: (k: number) => void): Promise<Settled> {
    const { id, settled, need, live, error } = this.launch(tables, job, chunks, mine);
    const control = settled.control;
    if (Atomics.load(control, C.SETTLED) < need) {
      for (const m of live) m.handle.hold(true);
      try {
        await new Promise<void>((resolve) => {
          const check = (): void => {
            if (Atomics.load(control, C.SETTLED) >= need) resolve();
          };
          this.waiting.set(id, check);
          check();
        });
      } finally {
        this.waiting.delete(id);
        for (const m of live) m.handle.hold(false);
        if (this.closed && this.waiting.size === 0) this.terminate();
      }
    }
    this.lastWorkerChunks = need;
    if (error !== null) throw error;
    return settled;
  }

  /** Stops every worker (after the asynchronous jobs still waiting on them); later jobs stay on the calling thread. */
  close(): void {
    this.closed = true;
    if (this.waiting.size === 0) this.terminate();
  }

  private terminate(): void {
    for (const m of this.members) {
      m.alive = false;
      m.handle.terminate();
    }
    this.arena.clear();
  }
}
