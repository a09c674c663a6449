/**
 * `netpol diff BEFORE AFTER --port P...`: the flows between endpoints whose verdict
 * changes from one policy set to the other, on one cluster (from `--cluster`, or
 * else BEFORE's namespaces, pods and workloads).
 */
import { parsePort } from "../args.js";
import type { Io } from "../io.js";
import { buildEngine, EXIT, readInput } from "../load.js";
import { commandInput, usageError } from "../usage.js";
import type { Protocol } from "../../primitives/kubernetes.js";

/** One flow whose verdict changes. */
interface Change {
  readonly from: string;
  readonly to: string;
  readonly protocol: Protocol;
  readonly port: number;
  readonly before: "allowed" | "denied";
  readonly after: "allowed" | "denied";
}

const verdict = (allowed: boolean): Change["before"] => (allowed ? "allowed" : "denied");

/** Runs `diff`. */
export async function diff(argv: readonly string[], io: Io): Promise<number> {
  const input = await commandInput(io, "diff", argv);
  if (!input.ok) return input.status;
  const { args, settings } = input.value;
  const positionals = settings.files;
  const readOptions = settings.read;
  if (positionals.length !== 2) return usageError(io, "diff", { usage: `expected BEFORE and AFTER, got ${positionals.length} path${positionals.length === 1 ? "" : "s"}` });
  if (args.many("port").length === 0) return usageError(io, "diff", { usage: "--port is required" });
  const ports = [];
  for (const text of args.many("port")) {
    const port = parsePort(text);
    if (!port.ok) return usageError(io, "diff", port.error);
    ports.push(port.value);
  }
  const format = args.one("format") ?? "text";

  
  const before = await readInput([positionals[0]!], io, readOptions);
  const after = await readInput([positionals[1]!], io, readOptions);
  const cluster = args.has("cluster") ? await readInput(args.many("cluster"), io, readOptions) : before;
  if (!before.ok || !after.ok || !cluster.ok) return EXIT.invalid;
  const old = await buildEngine(cluster.value, before.value, settings, io);
  const now = await buildEngine(cluster.value, after.value, settings, io);
  if (!old.ok || !now.ok) return EXIT.invalid;

  const { endpoints } = old.value;
  const order = endpoints.order();
  const changes: Change[] = [];
  for (const port of ports) {
    const a = old.value.engine.matrix(port);
    const b = now.value.engine.matrix(port);
    for (const i of order) {
      for (const j of order) {
        const was = a.allowed(i, j);
        if (was === b.allowed(i, j)) continue;
        changes.push({ from: endpoints.ids[i]!, to: endpoints.ids[j]!, ...port, before: verdict(was), after: verdict(!was) });
      }
    }
  }
  const compared = order.length * order.length * ports.length;
  const opened = changes.filter((c) => c.after === "allowed").length;
  const counts = { compared, changed: changes.length, newlyAllowed: opened, newlyDenied: changes.length - opened };
  if (format === "json") await io.write(`${JSON.stringify({ counts, changes }, null, 2)}\n`);
  else {
    const lines = changes.map((c) =>
      c.after === "allowed"
        ? `${io.out.green("+")} ${c.from} → ${c.to} on ${c.port}/${c.protocol}: denied → ${io.out.green("allowed")}`
        : `${io.out.red("-")} ${c.from} → ${c.to} on ${c.port}/${c.protocol}: allowed → ${io.out.red("denied")}`,
    );
    lines.push(`${changes.length} of ${compared} flows change: ${opened} newly allowed, ${changes.length - opened} newly denied`);
    await io.write(`${lines.join("\n")}\n`);
  }
  return args.has("exit-code") && changes.length > 0 ? EXIT.failed : EXIT.ok;
}
