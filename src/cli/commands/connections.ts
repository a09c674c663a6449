/**
 * `netpol connections FILES [-o txt|json|csv|md|dot|svg|html] [--by pod|workload]
 * [--explain] [--port PORT[-END][/PROTOCOL]]... [--no-external]`: every connection the
 * policies allow, on every port (the engine's `connections`), streamed for the text
 * formats.
 */
import { parsePortFilter } from "../args.js";
import type { Connection, PortFilter } from "../../api/connections.js";
import { endpointGroups, type Grouping } from "../endpoint-groups.js";
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
import { commandInput, usageError } from "../usage.js";

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
  const input = await commandInput(io, "connections", argv);
  if (!input.ok) return input.status;
  const { args, settings } = input.value;
  const format = (args.one("format") ?? "txt") as (typeof CONNECTION_FORMATS)[number];
  const by = (args.one("by") ?? "pod") as Grouping;
  const ports: PortFilter[] = [];
  for (const text of args.many("port")) {
    const port = parsePortFilter(text);
    if (!port.ok) return usageError(io, "connections", port.error);
    ports.push(port.value);
  }

  const loaded = await load(io, settings);
  if (!loaded.ok) return loaded.status;
  const found = loaded.value.engine.connections({
    groups: endpointGroups(loaded.value, by),
    includeExternal: !args.has("no-external"),
    explain: args.has("explain"),
    ...(ports.length > 0 ? { ports } : {}),
  });
  const streamed = STREAMED[format];
  if (streamed !== undefined) await writeStreamed(io, streamed, found);
  else if (format === "dot") await io.write(dotConnections([...found]));
  else if (format === "svg") await io.write(await svgConnections([...found]));
  else await io.write(await htmlConnections([...found]));
  return EXIT.ok;
}
