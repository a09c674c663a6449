/**
 * Flow files, line by line: CSV (`src,dst,protocol,port`, an optional header naming
 * the columns) or JSON Lines (`{"src":…,"dst":…,"protocol":…,"port":…}`), told apart
 * by the first line. Lines come out in batches, one per chunk read, as values or
 * problems, so a file of any length is read in bounded memory.
 */
import { StringDecoder } from "node:string_decoder";
import type { Readable } from "node:stream";
import { isPlainObject, unsupportedValue } from "../primitives/issues.js";
import { csvFields } from "./format/csv.js";
import { isProtocol, PROTOCOLS, type Protocol } from "../primitives/kubernetes.js";

/** The two flow file formats. */
export type FlowFormat = "csv" | "jsonl";

/** One line of a flow file: a flow, or why it is not one. */
export type FlowLine =
  | { readonly ok: true; readonly line: number; readonly src: string; readonly dst: string; readonly protocol: Protocol; readonly port: number }
  | { readonly ok: false; readonly line: number; readonly message: string };

const COLUMN_NAMES: Record<string, "src" | "dst" | "protocol" | "port"> = {
  src: "src",
  source: "src",
  from: "src",
  dst: "dst",
  destination: "dst",
  to: "dst",
  protocol: "protocol",
  proto: "protocol",
  port: "port",
};


function checkFlow(line: number, src: unknown, dst: unknown, protocol: unknown, port: unknown): FlowLine {
  if (typeof src !== "string" || src === "") return { ok: false, line, message: "src: required value" };
  if (typeof dst !== "string" || dst === "") return { ok: false, line, message: "dst: required value" };
  const proto = protocol === undefined || protocol === null || protocol === "" ? "TCP" : String(protocol).toUpperCase();
  if (!isProtocol(proto)) return { ok: false, line, message: `protocol: ${unsupportedValue(protocol, PROTOCOLS)}` };
  const number = typeof port === "string" && /^\d{1,5}$/.test(port.trim()) ? Number(port) : port;
  if (typeof number !== "number" || !Number.isInteger(number) || number < 1 || number > 65535) {
    return { ok: false, line, message: `port: invalid value \`${String(port).slice(0, 40)}\`: must be between 1 and 65535, inclusive` };
  }
  return { ok: true, line, src, dst, protocol: proto, port: number };
}

function jsonLine(text: string, line: number): FlowLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, line, message: "invalid JSON" };
  }
  if (!isPlainObject(value)) return { ok: false, line, message: "expected a JSON object" };
  const o = value;
  return checkFlow(line, o.src ?? o.from ?? o.source, o.dst ?? o.to ?? o.destination, o.protocol, o.port);
}

/** Reads lines of one format; the first line that is not blank or a `#` comment decides it. */
class LineParser {
  format: FlowFormat | null = null;
  private columns: Array<"src" | "dst" | "protocol" | "port" | null> = ["src", "dst", "protocol", "port"];
  private index: Record<"src" | "dst" | "protocol" | "port", number> = { src: 0, dst: 1, protocol: 2, port: 3 };
  /** Set when the header is unusable: every later line is ignored. */
  stopped = false;

  constructor(private readonly onFormat: (format: FlowFormat) => void) {}

  /** The flow on `raw`, or null for a blank, comment or header line. */
  parse(raw: string, line: number): FlowLine | null {
    const text = raw.trim();
    if (text === "" || text.startsWith("#") || this.stopped) return null;
    if (this.format === null) {
      this.format = text.startsWith("{") ? "jsonl" : "csv";
      this.onFormat(this.format);
      if (this.format === "csv") {
        const header = csvFields(text);
        const names = (header ?? []).map((f) => COLUMN_NAMES[f.trim().toLowerCase()] ?? null);
        if (names.some((n) => n !== null)) {
          if (!names.includes("src") || !names.includes("dst") || !names.includes("port")) {
            this.stopped = true;
            return { ok: false, line, message: "header: expected the columns src, dst, protocol and port" };
          }
          this.columns = names;
          this.index = { src: names.indexOf("src"), dst: names.indexOf("dst"), protocol: names.indexOf("protocol"), port: names.indexOf("port") };
          return null;
        }
      }
    }
    if (this.format === "jsonl") return jsonLine(text, line);
    const fields = csvFields(text)?.map((f) => f.trim());
    if (fields === undefined) return { ok: false, line, message: "invalid CSV: a quoted field is not closed, or text follows its closing quote" };
    if (fields.length !== this.columns.length) {
      return { ok: false, line, message: `expected ${this.columns.length} fields (${this.columns.map((c) => c ?? "-").join(",")}), got ${fields.length}` };
    }
    const { src, dst, protocol, port } = this.index;
    return checkFlow(line, fields[src]!, fields[dst]!, protocol < 0 ? undefined : fields[protocol]!, fields[port]!);
  }
}

/**
 * The flows of a stream in order, a batch per chunk read (so the caller's loop runs
 * once per chunk, not once per line); `onFormat` hears the format once it is known.
 */
export async function* readFlows(input: Readable, onFormat: (format: FlowFormat) => void): AsyncGenerator<FlowLine[]> {
  const parser = new LineParser(onFormat);
  const decoder = new StringDecoder("utf8");
  let rest = "";
  let line = 0;
  const lines = (text: string, last: boolean): FlowLine[] => {
    const parts = (rest + text).split("\n");
    rest = last ? "" : parts.pop()!;
    const out: FlowLine[] = [];
    for (const part of parts) {
      const flow = parser.parse(part, ++line);
      if (flow !== null) out.push(flow);
    }
    return out;
  };
  for await (const chunk of input) yield lines(typeof chunk === "string" ? chunk : decoder.write(chunk as Buffer), false);
  yield lines(decoder.end(), true);
}
