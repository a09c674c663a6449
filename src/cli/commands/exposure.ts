/**
 * `netpol exposure FILES [-o txt|json] [--by pod|workload]`: per endpoint, from which
 * outside ranges, namespaces and pods it may be reached and on which ports, and which
 * outside ranges it may reach (`Engine.exposure`); endpoints any address may reach first.
 */
import type { Exposure, RangeExposure } from "../../api/exposure.js";
import { endpointGroups, type Grouping } from "../endpoint-groups.js";
import { portsText } from "../format/connections.js";
import type { Io, Style } from "../io.js";
import { EXIT, load } from "../load.js";
import { commandInput } from "../usage.js";

/** The formats `-o` takes. */
export const EXPOSURE_FORMATS = ["txt", "json"] as const;

const rangesText = (ranges: readonly RangeExposure[]): string[] => ranges.map((r) => `    ${r.range}: ${portsText(r.allowed)}`);

/** One endpoint's exposure as txt lines. */
function exposureText(e: Exposure, style: Style): string {
  const lines = [`${e.endpoint}${e.fromAnyAddress ? ` ${style.red("[reachable from any address]")}` : ""}`];
  lines.push(`  from outside the cluster: ${e.fromOutside.length === 0 ? "nothing" : ""}`.trimEnd(), ...rangesText(e.fromOutside));
  lines.push("  from pods:");
  for (const p of e.fromPods) {
    const ns = p.namespaces === "any" ? "any namespace" : p.namespaces;
    lines.push(`    ${p.pods} in ${ns}, ${p.ports}${p.policy === null ? " (not isolated for ingress)" : ` (${p.policy} ingress rule ${p.rule})`}`);
  }
  if (e.fromPods.length === 0) lines.push("    none");
  lines.push(`  to outside the cluster: ${e.toOutside.length === 0 ? "nothing" : ""}`.trimEnd(), ...rangesText(e.toOutside));
  return `${lines.join("\n")}\n`;
}

/** Runs `exposure`. */
export async function exposure(argv: readonly string[], io: Io): Promise<number> {
  const input = await commandInput(io, "exposure", argv);
  if (!input.ok) return input.status;
  const { args, settings } = input.value;
  const format = (args.one("format") ?? "txt") as (typeof EXPOSURE_FORMATS)[number];
  const by = (args.one("by") ?? "pod") as Grouping;
  const loaded = await load(io, settings);
  if (!loaded.ok) return loaded.status;
  const found = loaded.value.engine.exposure({ groups: endpointGroups(loaded.value, by) });
  if (format === "json") await io.write(`${JSON.stringify({ exposure: found }, null, 2)}\n`);
  else await io.write(found.map((e) => exposureText(e, io.out)).join("\n"));
  return EXIT.ok;
}
