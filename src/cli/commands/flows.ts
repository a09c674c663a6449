/**
 * `netpol flows FILES --flows FLOWS`: a verdict for every flow of a CSV or JSON
 * Lines file, streamed. The file is read a chunk at a time, its flows decided
 * through `decideBatch` in batches of `CHUNK` (as columns of typed arrays) and
 * written out before more is read, so memory stays bounded whatever its length.
 * The summary (allowed, denied, by policy) goes to standard error; a progress bar
 * too, on a terminal.
 *
 * "By policy" needs the explanation of a flow, which the batch does not give: it
 * is asked of `decide` once per distinct (source, destination, protocol, port) and
 * remembered in a bounded cache, since flow logs repeat the same flows.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import { FlowColumns } from "../../api/flow-columns.js";
import type { Protocol } from "../../primitives/kubernetes.js";
import type { Explanation, SideExplanation } from "../../api/explanation.js";
import { csvRecord } from "../format/csv.js";
import { readFlows, type FlowFormat } from "../flow-reader.js";
import type { Io } from "../io.js";
import { EXIT, load, type Loaded } from "../load.js";
import { commandInput, usageError } from "../usage.js";

/** Flows decided per `decideBatch` call. */
export const CHUNK = 65_536;
/** Distinct flows whose policy attribution is remembered before the cache starts over. */
const CACHE_LIMIT = 100_000;
/** Invalid lines reported one by one before only counting. */
const REPORT_LIMIT = 20;

/** A side's deciding tier rule's policy, as `Kind name`, when a tier decided it. */
function tierDecider(s: SideExplanation): string[] {
  const step = s.reason === "admin" ? s.admin : s.reason === "baseline" ? s.baseline : null;
  return step?.matched ? [`${step.matched.policy.kind} ${step.matched.policy.name}`] : [];
}

/**
 * The policies a flow's verdict is owed to: those that allowed it (a tier's Accept,
 * or NetworkPolicy rules), or those that denied a side (a tier's Deny, or the
 * NetworkPolicies that isolated it).
 */
function attribution(e: Explanation): { allowedBy: string[]; deniedBy: string[] } {
  const sides = [e.egress, e.ingress];
  if (e.allowed) return { allowedBy: [...new Set(sides.flatMap((s) => [...tierDecider(s), ...s.allowedBy.map((r) => r.policy.name)]))], deniedBy: [] };
  const denied = sides.filter((s) => !s.allowed);
  return { allowedBy: [], deniedBy: [...new Set(denied.flatMap((s) => [...tierDecider(s), ...s.isolatedBy.map((p) => p.name)]))] };
}

/** Counts of a run. */
class Summary {
  allowed = 0;
  denied = 0;
  invalid = 0;
  /** Flows allowed with no policy involved (no tier decided, neither end isolated). */
  unpoliced = 0;
  readonly byPolicy = new Map<string, { allowed: number; denied: number }>();

  add(allowed: boolean, by: { allowedBy: string[]; deniedBy: string[] }): void {
    if (allowed) this.allowed++;
    else this.denied++;
    if (allowed && by.allowedBy.length === 0) this.unpoliced++;
    for (const name of allowed ? by.allowedBy : by.deniedBy) {
      const entry = this.byPolicy.get(name) ?? { allowed: 0, denied: 0 };
      if (allowed) entry.allowed++;
      else entry.denied++;
      this.byPolicy.set(name, entry);
    }
  }

  text(): string {
    const total = this.allowed + this.denied;
    const lines = [`${total} flows: ${this.allowed} allowed, ${this.denied} denied${this.invalid > 0 ? `, ${this.invalid} invalid lines skipped` : ""}`];
    if (this.byPolicy.size > 0 || this.unpoliced > 0) {
      lines.push("by policy (a flow counts for every policy that allowed it, or that denied it or isolated the end that denied it):");
      const names = [...this.byPolicy.keys()].sort();
      const width = Math.max(...names.map((n) => n.length), "(no policy)".length);
      for (const name of names) {
        const e = this.byPolicy.get(name)!;
        lines.push(`  ${name.padEnd(width)}  allowed ${e.allowed}  denied ${e.denied}`);
      }
      if (this.unpoliced > 0) lines.push(`  ${"(no policy)".padEnd(width)}  allowed ${this.unpoliced}  (neither end isolated)`);
    }
    return lines.join("\n");
  }
}

/** One flow as read, kept for the output line and for `decide`; `from`/`to` name the endpoints as the engine does. */
interface Row {
  readonly src: string;
  readonly dst: string;
  readonly from: string;
  readonly to: string;
  readonly protocol: Protocol;
  readonly port: number;
}

const csvLine = (f: Row, verdict: string): string => csvRecord([f.src, f.dst, f.protocol, String(f.port), verdict]);
/** The header row of CSV output. */
const CSV_HEADER = csvRecord(["src", "dst", "protocol", "port", "verdict"]);
const jsonLine = (f: Row, verdict: string): string => `${JSON.stringify({ src: f.src, dst: f.dst, protocol: f.protocol, port: f.port, verdict })}\n`;

/**
 * Decides and writes chunks of flows; keeps the summary. A chunk goes to the engine
 * in columns (`ColumnarFlows`): pod indexes, and addresses as `pods.length + i`.
 */
class FlowRunner {
  readonly summary = new Summary();
  format: FlowFormat = "csv";
  private readonly cache = new Map<string, { allowedBy: string[]; deniedBy: string[] }>();
  private readonly resolved = new Map<string, string | null>();
  private readonly columns: FlowColumns;
  private rows: Row[] = [];
  /** Whether the CSV header row has been written (before the first verdict). */
  private headed = false;
  private reported = 0;

  constructor(
    private readonly loaded: Loaded,
    private readonly io: Io,
    private readonly output: FlowFormat | null,
    private readonly summaryOnly: boolean,
    private readonly name: string,
  ) {
    this.columns = new FlowColumns(loaded.engine.pods, CHUNK);
  }

  /** An endpoint as the engine names it, or null when unknown; remembered. */
  private endpoint(text: string): string | null {
    let r = this.resolved.get(text);
    if (r === undefined) {
      const e = this.loaded.endpoints.resolve(text);
      r = e.ok ? e.engine : null;
      if (this.resolved.size >= CACHE_LIMIT) this.resolved.clear();
      this.resolved.set(text, r);
    }
    return r;
  }

  invalid(line: number, message: string): void {
    this.summary.invalid++;
    if (this.reported++ < REPORT_LIMIT) this.io.error(`${this.io.err.red("error")}: ${this.name}:${line}: ${message}`);
  }

  async add(flow: { line: number; src: string; dst: string; protocol: Protocol; port: number }): Promise<void> {
    const from = this.endpoint(flow.src);
    const to = this.endpoint(flow.dst);
    if (from === null || to === null) {
      this.invalid(flow.line, `unknown endpoint \`${from === null ? flow.src : flow.dst}\`: expected a pod, a workload, node:NAME or an IP address`);
      return;
    }
    this.rows.push({ src: flow.src, dst: flow.dst, from, to, protocol: flow.protocol, port: flow.port });
    if (this.rows.length >= CHUNK) await this.flush();
  }

  /** The verdicts of the pending rows, through the columnar batch. */
  private decideRows(rows: readonly Row[]): Uint8Array {
    const columns = this.columns;
    columns.clear();
    for (const r of rows) columns.push(columns.endpoint(r.from), columns.endpoint(r.to), r.protocol, r.port);
    return this.loaded.engine.decideBatch(columns.columns());
  }

  async flush(): Promise<void> {
    const rows = this.rows;
    this.rows = [];
    if (rows.length === 0) return;
    const verdicts = this.decideRows(rows);
    const csv = (this.output ?? this.format) !== "jsonl";
    const render = csv ? csvLine : jsonLine;
    let out = "";
    if (csv && !this.summaryOnly && !this.headed) out += CSV_HEADER;
    this.headed = true;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const allowed = verdicts[i] === 1;
      const key = `${r.from}\u0000${r.to}\u0000${r.protocol}\u0000${r.port}`;
      let by = this.cache.get(key);
      if (by === undefined) {
        by = attribution(this.loaded.engine.decide({ from: r.from, to: r.to, protocol: r.protocol, port: r.port }).explanation);
        if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
        this.cache.set(key, by);
      }
      this.summary.add(allowed, by);
      if (!this.summaryOnly) {
        out += render(r, allowed ? "allowed" : "denied");
        if (out.length > 1 << 20) {
          await this.io.write(out);
          out = "";
        }
      }
    }
    if (out !== "") await this.io.write(out);
  }

  get reportedOver(): number {
    return Math.max(0, this.reported - REPORT_LIMIT);
  }
}

/** A bar for standard error: `[#####.....] 48% 1200000 flows`. */
function progressText(done: number, total: number | null, flows: number): string {
  if (total === null || total === 0) return `${flows} flows`;
  const share = Math.min(1, done / total);
  const width = 30;
  const filled = Math.round(share * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${Math.floor(share * 100)}% ${flows} flows`;
}

/** Runs `flows`. */
export async function flows(argv: readonly string[], io: Io): Promise<number> {
  const command = await commandInput(io, "flows", argv);
  if (!command.ok) return command.status;
  const { args, settings } = command.value;
  const values = { flows: args.one("flows") };
  if (values.flows === undefined) return usageError(io, "flows", { usage: "--flows is required (a file, or - for standard input)" });
  const format = (args.one("format") ?? null) as FlowFormat | null;
  if (values.flows === "-" && settings.files.includes("-")) return usageError(io, "flows", { usage: "standard input cannot hold both the manifests and the flows" });

  let input: Readable;
  let size: number | null = null;
  if (values.flows === "-") input = io.stdin;
  else {
    try {
      const info = await stat(values.flows);
      if (info.isDirectory()) throw Object.assign(new Error("is a folder"), { code: "EISDIR" });
      size = info.size;
    } catch (error) {
      const code = (error as { code?: string }).code;
      io.error(`${io.err.red("error")}: ${values.flows}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder, expected a flow file" : String(error)}`);
      return EXIT.invalid;
    }
    input = createReadStream(values.flows, { highWaterMark: 1 << 20 });
  }

  const loaded = await load(io, settings);
  if (!loaded.ok) return loaded.status;
  const name = values.flows === "-" ? "<stdin>" : values.flows;
  const runner = new FlowRunner(loaded.value, io, format, args.has("summary-only"), name);
  let bytes = 0;
  if (io.progress) input.on("data", (chunk: Buffer | string) => (bytes += chunk.length));
  let lastDraw = 0;
  let seen = 0;
  for await (const batch of readFlows(input, (f) => (runner.format = f))) {
    for (const line of batch) {
      if (line.ok) await runner.add(line);
      else runner.invalid(line.line, line.message);
    }
    seen += batch.length;
    if (io.progress && Date.now() - lastDraw > 200) {
      lastDraw = Date.now();
      io.status(progressText(bytes, size, seen));
    }
  }
  await runner.flush();
  if (io.progress) io.status("");
  if (runner.reportedOver > 0) io.error(`... and ${runner.reportedOver} more invalid lines`);
  io.error(runner.summary.text());
  return runner.summary.invalid > 0 ? EXIT.invalid : EXIT.ok;
}
