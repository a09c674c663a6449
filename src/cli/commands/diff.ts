/**
 * `netpol diff BEFORE AFTER [--port PORT[-END][/PROTOCOL]]... [--cluster FILES]...`:
 * the connections (every port, by default) that the change from one policy set to
 * the other adds, removes or changes, between endpoints and outside ranges
 * (`connectionChanges`). Each side's cluster is its own when it carries one, else
 * `--cluster`, else the other side's.
 */
import { parsePortFilter } from "../args.js";
import type { AllowedPorts, ConnectionChange, PortFilter } from "../../api/connections.js";
import { connectionChanges } from "../../engine/connection-changes.js";
import { PROTOCOLS } from "../../primitives/kubernetes.js";
import type { Manifests } from "../../manifests/manifests.js";
import { endpointGroups, type Grouping } from "../endpoint-groups.js";
import { portsText, type Streamed } from "../format/connections.js";
import type { Io, Style } from "../io.js";
import { buildEngine, EXIT, readInput } from "../load.js";
import { commandInput, usageError } from "../usage.js";
import { writeStreamed } from "./connections.js";

/** The formats `-o` takes (`text` is `txt`, its former name). */
export const DIFF_FORMATS = ["txt", "text", "json", "csv", "md"] as const;

const none = (ports: AllowedPorts): boolean => PROTOCOLS.every((p) => ports[p].length === 0);
const orNothing = (ports: AllowedPorts): string => (none(ports) ? "nothing" : portsText(ports));

/** `+ A => B : TCP 80` (added), `- …` (removed), `~ A => B : TCP 8443 → TCP 8443-8444 (gained TCP 8444)`. */
function changeText(style: Style): Streamed<ConnectionChange>["item"] {
  return (c) => {
    if (c.change === "added") return `${style.green("+")} ${c.from} => ${c.to} : ${portsText(c.after)}\n`;
    if (c.change === "removed") return `${style.red("-")} ${c.from} => ${c.to} : ${portsText(c.before)}\n`;
    const parts = [none(c.gained) ? "" : `gained ${portsText(c.gained)}`, none(c.lost) ? "" : `lost ${portsText(c.lost)}`].filter((p) => p !== "");
    return `${style.yellow("~")} ${c.from} => ${c.to} : ${portsText(c.before)} → ${portsText(c.after)} (${parts.join("; ")})\n`;
  };
}

const csvField = (text: string): string => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
const mdCell = (text: string): string => text.replace(/\|/g, "\\|");

/** Counts kept while streaming. */
class Tally {
  added = 0;
  removed = 0;
  changed = 0;
  count(c: ConnectionChange): ConnectionChange {
    this[c.change]++;
    return c;
  }
  get summary(): string {
    return `${this.added} added, ${this.removed} removed, ${this.changed} changed`;
  }
}

/** The streamed formats, given the tally the tail reports. */
function formats(style: Style, tally: Tally): Record<"txt" | "json" | "csv" | "md", Streamed<ConnectionChange>> {
  return {
    txt: { head: "", item: changeText(style), tail: (n) => (n === 0 ? "no connection changes\n" : `${tally.summary}\n`) },
    json: {
      head: '{"changes":[',
      item: (c, i) => `${i === 0 ? "\n" : ",\n"}${JSON.stringify(c)}`,
      tail: (n) => `${n === 0 ? "" : "\n"}],\n"counts":${JSON.stringify({ added: tally.added, removed: tally.removed, changed: tally.changed })}}\n`,
    },
    csv: {
      head: "from,to,change,before,after,gained,lost\n",
      item: (c) => `${[c.from, c.to, c.change, orNothing(c.before), orNothing(c.after), orNothing(c.gained), orNothing(c.lost)].map(csvField).join(",")}\n`,
      tail: () => "",
    },
    md: {
      head: "| change | from | to | before | after | gained | lost |\n|---|---|---|---|---|---|---|\n",
      item: (c) => `| ${[c.change, c.from, c.to, orNothing(c.before), orNothing(c.after), orNothing(c.gained), orNothing(c.lost)].map(mdCell).join(" | ")} |\n`,
      tail: (n) => (n === 0 ? "\nno connection changes\n" : `\n${tally.summary}\n`),
    },
  };
}

const hasCluster = (m: Manifests): boolean => m.pods.length > 0 || m.namespaces.length > 0;

/** Runs `diff`. */
export async function diff(argv: readonly string[], io: Io): Promise<number> {
  const input = await commandInput(io, "diff", argv);
  if (!input.ok) return input.status;
  const { args, settings } = input.value;
  const positionals = settings.files;
  if (positionals.length !== 2) return usageError(io, "diff", { usage: `expected BEFORE and AFTER, got ${positionals.length} path${positionals.length === 1 ? "" : "s"}` });
  const ports: PortFilter[] = [];
  for (const text of args.many("port")) {
    const port = parsePortFilter(text);
    if (!port.ok) return usageError(io, "diff", port.error);
    ports.push(port.value);
  }
  const format = (args.one("format") ?? "txt") as (typeof DIFF_FORMATS)[number];
  const by = (args.one("by") ?? "pod") as Grouping;

  const before = await readInput([positionals[0]!], io, settings.read);
  const after = await readInput([positionals[1]!], io, settings.read);
  const given = args.has("cluster") ? await readInput(args.many("cluster"), io, settings.read) : null;
  if (!before.ok || !after.ok || (given !== null && !given.ok)) return EXIT.invalid;
  const fallback = given?.ok ? given.value : null;
  const clusterOf = (own: Manifests, other: Manifests): Manifests => (hasCluster(own) ? own : (fallback ?? other));
  const old = await buildEngine(clusterOf(before.value, after.value), before.value, settings, io);
  const now = await buildEngine(clusterOf(after.value, before.value), after.value, settings, io);
  if (!old.ok || !now.ok) return EXIT.invalid;
  if (old.value.engine.pods.length === 0 && now.value.engine.pods.length === 0) {
    io.error(
      `${io.err.red("error")}: no endpoints to compare: neither BEFORE nor AFTER${given === null ? "" : " nor --cluster"} holds a pod or workload (give the cluster's manifests with --cluster, e.g. \`kubectl get ns,pods,deploy -A -o yaml\`)`,
    );
    return EXIT.invalid;
  }

  const tally = new Tally();
  const changes = connectionChanges(old.value.engine, now.value.engine, {
    groups: endpointGroups(old.value, by),
    groupsAfter: endpointGroups(now.value, by),
    includeExternal: !args.has("no-external"),
    ...(ports.length > 0 ? { ports } : {}),
  });
  const counted = (function* () {
    for (const c of changes) yield tally.count(c);
  })();
  const chosen = format === "text" ? "txt" : format;
  const n = await writeStreamed(io, formats(io.out, tally)[chosen], counted);
  return args.has("exit-code") && n > 0 ? EXIT.failed : EXIT.ok;
}
