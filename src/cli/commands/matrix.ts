/**
 * `netpol matrix FILES --port 80/TCP [--format ...] [--namespace NS]...`: who can
 * reach whom on one port, in one of the formats of `../format/`.
 */
import { parsePort } from "../args.js";
import { htmlFormat } from "../format/html.js";
import { tableFormat } from "../format/table.js";
import { csvFormat, dotFormat, jsonFormat, markdownFormat } from "../format/text-formats.js";
import type { MatrixView } from "../format/view.js";
import type { Io } from "../io.js";
import { EXIT, load, printIssue } from "../load.js";
import { matrixTextIssue } from "../format/text-size.js";
import { commandInput, usageError } from "../usage.js";

/** Runs `matrix`. */
export async function matrix(argv: readonly string[], io: Io): Promise<number> {
  const input = await commandInput(io, "matrix", argv);
  if (!input.ok) return input.status;
  const { args, settings } = input.value;
  const portText = args.one("port");
  if (portText === undefined) return usageError(io, "matrix", { usage: "--port is required" });
  const port = parsePort(portText);
  if (!port.ok) return usageError(io, "matrix", port.error);
  const format = args.one("format") ?? "table";

  const loaded = await load(io, settings);
  if (!loaded.ok) return loaded.status;
  const { engine, endpoints } = loaded.value;
  const namespaces = settings.namespaces;
  const known = new Set(endpoints.ids.map((_, i) => endpoints.namespace(i)));
  for (const ns of namespaces) if (!known.has(ns)) io.error(`${io.err.yellow("warning")}: --namespace ${ns}: no endpoint in this namespace`);
  const view: MatrixView = { matrix: engine.matrix(port.value), order: endpoints.order(namespaces), ids: endpoints.ids };
  const refusal = matrixTextIssue(format, view);
  if (refusal !== null) {
    printIssue(io, refusal, "error");
    return EXIT.invalid;
  }
  switch (format) {
    case "table":
      await io.write(tableFormat(view, io.out, io.columns));
      break;
    case "csv":
      await io.write(csvFormat(view));
      break;
    case "json":
      await io.write(jsonFormat(view));
      break;
    case "md":
      await io.write(markdownFormat(view));
      break;
    case "dot":
      await io.write(dotFormat(view));
      break;
    case "html":
      await io.write(htmlFormat(view, loaded.value));
      break;
  }
  return EXIT.ok;
}
