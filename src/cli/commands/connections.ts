/**
 * `netpol connections FILES [-o txt|json|csv|md|dot|svg|html] [--by pod|workload]
 * [--explain] [--port PORT[-END][/PROTOCOL]]... [--no-external]`: every connection the
 * policies allow, on every port (the engine's `connections`), streamed for the text
 * formats.
 */
import { parse, parseChoice, parsePortFilter, COMMON_OPTIONS } from "../args.js";
import type { Connection, PortFilter } from "../../api/connections.js";
import { endpointGroups, GROUPINGS } from "../endpoint-groups.js";
import {
  csvConnections,
  dotConnections,
  htmlConnections,
  jsonConnections,
  markdownConnections,
  svgConnections,
  textConnections,
  type Streamed,
} from "../format/connections.js";
import type { Io } from "../io.js";
import { EXIT, load } from "../load.js";
import { usageError } from "../usage.js";

/** The formats `-o` takes. */
export const CONNECTION_FORMATS = ["txt", "json", "csv", "md", "dot", "svg", "html"] as const;

const STREAMED: Partial<Record<(typeof CONNECTION_FORMATS)[number], Streamed<Connection>>> = {
  txt: textConnections,
  json: jsonConnections,
  csv: csvConnections,
  md: markdownConnections,
};

/** Writes `items` through a streamed format, in chunks. */
export async function writeStreamed<T>(io: Io, format: Streamed<T>, items: Iterable<T>): Promise<number> {
  let chunk = format.head;
  let count = 0;
  for (const item of items) {
    chunk += format.item(item, count++);
    if (chunk.length > 1 << 16) {
      await io.write(chunk);
      chunk = "";
    }
  }
  await io.write(chunk + format.tail(count));
  return count;
}

/** Runs `connections`. */
export async function connections(argv: readonly string[], io: Io): Promise<number> {
  const args = parse(argv, {
    ...COMMON_OPTIONS,
    format: { type: "string", short: "o" },
    by: { type: "string" },
    explain: { type: "boolean" },
    port: { type: "string", multiple: true },
    "no-external": { type: "boolean" },
  });
  if (!args.ok) return usageError(io, "connections", args.error);
  const { values, positionals } = args.value;
  if (values.help) return usageError(io, "connections", null);
  const format = parseChoice("format", values.format, CONNECTION_FORMATS, "txt");
  if (!format.ok) return usageError(io, "connections", format.error);
  const by = parseChoice("by", values.by, GROUPINGS, "pod");
  if (!by.ok) return usageError(io, "connections", by.error);
  const ports: PortFilter[] = [];
  for (const text of values.port ?? []) {
    const port = parsePortFilter(text);
    if (!port.ok) return usageError(io, "connections", port.error);
    ports.push(port.value);
  }

  const loaded = await load(positionals, io, { skipInvalid: values["skip-invalid"] === true, evaluator: values.evaluator });
  if (!loaded.ok) return loaded.status;
  const found = loaded.value.engine.connections({
    groups: endpointGroups(loaded.value, by.value),
    includeExternal: values["no-external"] !== true,
    explain: values.explain === true,
    ...(ports.length > 0 ? { ports } : {}),
  });
  const streamed = STREAMED[format.value];
  if (streamed !== undefined) await writeStreamed(io, streamed, found);
  else if (format.value === "dot") await io.write(dotConnections([...found]));
  else if (format.value === "svg") await io.write(await svgConnections([...found]));
  else await io.write(await htmlConnections([...found]));
  return EXIT.ok;
}
