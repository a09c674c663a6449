/**
 * Loading the WASM core and owning its linear memory.
 *
 * The module is compiled once per process from the inlined bytes and cached; each
 * engine gets its own instance (own memory). Memory map of an instance, from the
 * core's heap base: the batch scratch region (`SCRATCH.BYTES`), then the tables,
 * then a transient region reused by every call (address table, work rows, matrix
 * output). The work rows of a matrix or count call start earlier when they can: over
 * the tables' derived tail (the PROFILE_PEERS rows, which only `decide` reads and
 * fills again after such a call), so that a batch's screen and a query's work rows,
 * each about `profiles * W` words, share their pages instead of both staying
 * resident (a 1M-pod cluster's are 1 GiB each). Memory grows on demand; every
 * typed-array view is taken after the last possible `memory.grow` of a call, never
 * kept across one.
 */
import { CORE_WASM_BASE64 } from "../core-wasm.generated.js";
import { SCRATCH, VERSION } from "../../compile/layout.js";
import { alignUp, tooLarge, WASM_MAX_BYTES } from "../../primitives/limits.js";

/** The core's exports (see assembly/index.ts). */
interface CoreExports {
  readonly memory: WebAssembly.Memory;
  layoutVersion(): number;
  heapBase(): number;
  bind(base: number): number;
  decide(scratch: number, count: number, addresses: number, addressCount: number, split: number): number;
  prepare(work: number, protocol: number, port: number): void;
  classMatrix(block: number, kind: number): void;
  podRows(out: number, block: number, kind: number, first: number, end: number): void;
  counts(out: number, kind: number): void;
  screenLost(): void;
}

function bytes(): Uint8Array {
  const text = atob(CORE_WASM_BASE64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

let compiled: WebAssembly.Module | undefined;
let compiling: Promise<WebAssembly.Module> | undefined;

/** The compiled module, compiling it asynchronously on first use. */
export function loadModule(): Promise<WebAssembly.Module> {
  if (compiled !== undefined) return Promise.resolve(compiled);
  compiling ??= WebAssembly.compile(bytes() as BufferSource).then((m) => (compiled = m));
  return compiling;
}

/** The compiled module, compiling it synchronously on first use (Node and workers; browsers refuse large sync compiles on the main thread). */
export function loadModuleSync(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(bytes() as BufferSource);
  return compiled;
}

const PAGE = 65536;

/** One instance of the core and its memory map. */
export class Core {
  readonly exports: CoreExports;
  /** Byte offset of the batch scratch region. */
  readonly scratch: number;
  /** Byte offset of the tables. */
  readonly tables: number;
  /** Byte offset of the transient region (right after the tables). */
  private transientBase = 0;
  /** Byte offset of a query's work rows: the tables' derived tail when they have one, else `transientBase`. */
  private workBase = 0;
  /** Words of the tables last allocated. */
  private tableWords = 0;
  /** How many times the transient region was handed out: a holder of a block whose count moved must make its content again. */
  uses = 0;
  /** Whether no memory past the scratch region was handed out yet: it is all zero then, as instantiating and `memory.grow` leave it. */
  private fresh = true;

  constructor(module: WebAssembly.Module) {
    this.exports = new WebAssembly.Instance(module, {}).exports as unknown as CoreExports;
    // a u32 comes back as a signed i32
    const version = this.exports.layoutVersion() >>> 0;
    if (version !== VERSION) {
      throw new Error(`netpol: the WASM core reads table layout ${version.toString(16)}, this library writes ${VERSION.toString(16)}`);
    }
    this.scratch = alignUp(this.exports.heapBase());
    this.tables = this.scratch + SCRATCH.BYTES;
    this.ensure(this.tables);
  }

  /**
   * Grows memory so that bytes `[0, end)` exist; a `NetpolValidationError` past
   * WebAssembly's 4 GiB, or when the host refuses to grow that far.
   */
  ensure(end: number): void {
    const memory = this.exports.memory;
    const missing = Math.ceil((end - memory.buffer.byteLength) / PAGE);
    if (missing <= 0) return;
    if (end > WASM_MAX_BYTES) throw tooLarge("this input's WASM memory (tables and work space)", end, WASM_MAX_BYTES);
    try {
      memory.grow(missing);
    } catch {
      throw tooLarge("this input's WASM memory (tables and work space), which the host refused to grow to,", end, memory.buffer.byteLength);
    }
  }

  /**
   * A u32 view of `words` words at the tables' place, for the compiler to fill. Words
   * from `derived` on are the derived sections the core fills itself (the compiler
   * writes them last, see `Allocate`): they are never cleared, and a query's work
   * rows go over them. The words before are zero when `zero` is set (a copy of
   * tables sets every word itself); the first tables of an instance lie in memory
   * never written, already zero: clearing them would only touch every page.
   */
  allocateTables(words: number, derived = words, zero = true): Uint32Array {
    this.ensure(this.tables + words * 4);
    this.transientBase = alignUp(this.tables + words * 4);
    this.workBase = derived < words ? alignUp(this.tables + derived * 4) : this.transientBase;
    this.tableWords = words;
    const view = new Uint32Array(this.exports.memory.buffer, this.tables, words);
    if (!this.fresh && zero) view.fill(0, 0, derived);
    this.fresh = false;
    return view;
  }

  /**
   * Makes the tables `words` words long, keeping what they hold (a patch moving a
   * section to their end); the transient region moves after them, its blocks made again.
   */
  growTables(words: number): Uint32Array {
    this.ensure(this.tables + words * 4);
    this.fresh = false;
    this.transientBase = alignUp(this.tables + words * 4);
    // a patch may have moved sections past the derived ones: no derived tail to lend out
    this.workBase = this.transientBase;
    this.tableWords = words;
    this.uses++;
    return this.tablesView();
  }

  /** A view of the tables' words as compiled (it dies at the next `memory.grow`); workers get a copy. */
  tablesView(): Uint32Array {
    return new Uint32Array(this.exports.memory.buffer, this.tables, this.tableWords);
  }

  /** Binds the tables just written; throws when their version is not the core's. */
  bind(): void {
    if (this.exports.bind(this.tables) !== 0) throw new Error("netpol: the compiled tables' layout version does not match the WASM core");
  }

  /**
   * The byte offset of a transient block of `bytes` bytes, valid until the next call
   * that asks for one for another use. The offset stays the same until the tables are
   * compiled again, and asking for more keeps what the block held (a batch grows its
   * address table in place this way); the memory buffer may change, its views with it.
   */
  transient(bytes: number): number {
    this.uses++;
    this.ensure(this.transientBase + bytes);
    this.fresh = false;
    return this.transientBase;
  }

  /**
   * `transient`, for a query's work rows and what follows them (`prepare`): at the
   * tables' derived tail when they have one, which the core then fills again before
   * its next batch.
   */
  work(bytes: number): number {
    if (this.workBase === this.transientBase) return this.transient(bytes);
    this.uses++;
    this.ensure(this.workBase + bytes);
    this.fresh = false;
    this.exports.screenLost();
    return this.workBase;
  }

  /** The current memory buffer (views of it die at the next `memory.grow`). */
  get buffer(): ArrayBuffer {
    return this.exports.memory.buffer;
  }
}
