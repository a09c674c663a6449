/**
 * `netpol check FILES --from A --to B --port 80/TCP`: one verdict and why. Exit 0
 * when allowed, 1 when denied; with `--expect allowed|denied`, 0 when the verdict
 * is the expected one and 1 otherwise.
 */
import { parsePort } from "../args.js";
import { decisionLines, describeDecision } from "../../explain/decision.js";
import type { Io } from "../io.js";
import { EXIT, load, type Loaded } from "../load.js";
import type { ResolvedGroup } from "../../manifests/endpoints.js";
import type { Protocol } from "../../primitives/kubernetes.js";
import { commandInput, usageError } from "../usage.js";

/** Runs `check`. */
export async function check(argv: readonly string[], io: Io): Promise<number> {
  const input = await commandInput(io, "check", argv);
  if (!input.ok) return input.status;
  const { args, settings } = input.value;
  const values = { from: args.one("from"), to: args.one("to"), port: args.one("port") };
  if (values.from === undefined || values.to === undefined || values.port === undefined) {
    return usageError(io, "check", { usage: "--from, --to and --port are required" });
  }
  const port = parsePort(values.port);
  if (!port.ok) return usageError(io, "check", port.error);
  const format = args.one("format") ?? "text";
  const expect = args.one("expect") ?? null;

  const loaded = await load(io, settings);
  if (!loaded.ok) return loaded.status;
  const { engine, endpoints } = loaded.value;
  const fromGroup = endpoints.group(values.from);
  const toGroup = endpoints.group(values.to);
  if (fromGroup !== null || toGroup !== null) {
    return checkGroup(io, loaded.value, { from: values.from, to: values.to, fromGroup, toGroup, ...port.value, format, expect, explain: args.has("explain") });
  }
  const from = endpoints.resolve(values.from);
  const to = endpoints.resolve(values.to);
  for (const [flag, end] of [
    ["--from", from],
    ["--to", to],
  ] as const) {
    if (!end.ok) io.error(`${io.err.red("error")}: ${flag}: ${end.message}`);
  }
  if (!from.ok || !to.ok) return EXIT.invalid;

  const decision = engine.decide({ from: from.engine, to: to.engine, port: port.value.port, protocol: port.value.protocol });
  const verdict = decision.allowed ? "allowed" : "denied";
  if (format === "json") {
    await io.write(`${JSON.stringify({ from: values.from, to: values.to, ...port.value, ...decision }, null, 2)}\n`);
  } else {
    const shown = decision.allowed ? io.out.green(verdict) : io.out.red(verdict);
    await io.write(
      `${io.out.bold(`${values.from} → ${values.to}`)} on ${port.value.port}/${port.value.protocol}: ${shown}\n` +
        decisionLines(describeDecision(decision.explanation, { rules: engine.rules, from: values.from, to: values.to }))
          .map((l) => `  ${l}\n`)
          .join(""),
    );
  }
  if (expect === null) return decision.allowed ? EXIT.ok : EXIT.failed;
  if (expect === verdict) return EXIT.ok;
  io.error(`${io.err.red("expectation failed")}: ${values.from} → ${values.to} on ${port.value.port}/${port.value.protocol} is ${verdict}, expected ${expect}`);
  return EXIT.failed;
}

/** What `checkGroup` decides: two ends, at least one a group. */
interface GroupQuestion {
  readonly from: string;
  readonly to: string;
  readonly fromGroup: ResolvedGroup | null;
  readonly toGroup: ResolvedGroup | null;
  readonly port: number;
  readonly protocol: Protocol;
  readonly format: string;
  readonly expect: string | null;
  readonly explain: boolean;
}

/** One pod-to-pod flow of a group check; `port` null when a Service's named targetPort is not on the pod. */
interface GroupFlow {
  readonly from: string;
  readonly to: string;
  readonly port: number | null;
  readonly note?: string;
}

/**
 * A check where an end stands for several pods (a workload, a Service): decided for
 * every pod pair, on each destination pod's port (a Service port maps to its
 * `targetPort`, a name resolved on each pod). Allowed when allowed for every pod.
 */
async function checkGroup(io: Io, loaded: Loaded, q: GroupQuestion): Promise<number> {
  const { engine, endpoints } = loaded;
  const end = (text: string, group: ResolvedGroup | null, flag: string): string[] | null => {
    if (group !== null) return group.pods.map((p) => p.id);
    const one = endpoints.resolve(text);
    if (one.ok) return [one.engine];
    io.error(`${io.err.red("error")}: ${flag}: ${one.message}`);
    return null;
  };
  const sources = end(q.from, q.fromGroup, "--from");
  const targets = end(q.to, q.toGroup, "--to");
  if (sources === null || targets === null) return EXIT.invalid;
  // the destination port on each pod: a Service port → its targetPort there
  let portOn = (_pod: string): { port: number | null; note?: string } => ({ port: q.port });
  const servicePorts = q.toGroup?.ports;
  if (servicePorts !== undefined) {
    const sp = servicePorts.find((p) => p.port === q.port && p.protocol === q.protocol);
    if (sp === undefined) {
      const known = servicePorts.map((p) => `${p.port}/${p.protocol}${p.name ? ` (${p.name})` : ""}`).join(", ") || "none";
      io.error(`${io.err.red("error")}: --port: Service \`${q.toGroup!.id}\` has no port ${q.port}/${q.protocol}; its ports: ${known}`);
      return EXIT.invalid;
    }
    const podPorts = new Map(q.toGroup!.pods.map((p) => [p.id, p.ports]));
    portOn = (pod) => {
      if (typeof sp.targetPort === "number") return { port: sp.targetPort };
      const named = podPorts.get(pod)?.find((c) => c.name === sp.targetPort && c.protocol === q.protocol);
      return named !== undefined ? { port: named.containerPort } : { port: null, note: `no container port named \`${sp.targetPort}\`` };
    };
  }
  const flows: GroupFlow[] = sources.flatMap((from) => targets.map((to) => ({ from, to, ...portOn(to) })));
  const decided = flows.map((f) => ({ ...f, decision: f.port === null ? null : engine.decide({ from: f.from, to: f.to, port: f.port, protocol: q.protocol }) }));
  const allowed = decided.filter((f) => f.decision?.allowed === true).length;
  const total = decided.length;
  const all = total > 0 && allowed === total;
  const noun = q.fromGroup !== null && q.toGroup !== null ? "pod pairs" : "pods";
  const name = (engineId: string): string => endpoints.ids[engine.pods.indexOf(engineId)] ?? engineId;
  if (q.format === "json") {
    const body = {
      from: q.from,
      to: q.to,
      port: q.port,
      protocol: q.protocol,
      allowed: all,
      allowedCount: allowed,
      total,
      flows: decided.map((f) => ({ from: name(f.from), to: name(f.to), port: f.port, ...(f.note ? { note: f.note } : {}), allowed: f.decision?.allowed ?? false, ...(f.decision ? { explanation: f.decision.explanation } : {}) })),
    };
    await io.write(`${JSON.stringify(body, null, 2)}\n`);
  } else {
    const summary = total === 0 ? io.out.red(`no ${noun}`) : all ? io.out.green(`allowed for ${allowed} of ${total} ${noun}`) : allowed === 0 ? io.out.red(`denied for ${total} of ${total} ${noun}`) : io.out.yellow(`allowed for ${allowed} of ${total} ${noun}`);
    let text = `${io.out.bold(`${q.from} → ${q.to}`)} on ${q.port}/${q.protocol}: ${summary}\n`;
    for (const f of decided) {
      const pair = q.fromGroup !== null && q.toGroup !== null ? `${name(f.from)} → ${name(f.to)}` : q.fromGroup !== null ? name(f.from) : name(f.to);
      const verdict = f.decision === null ? io.out.red(`not served: ${f.note}`) : f.decision.allowed ? io.out.green("allowed") : io.out.red("denied");
      text += `  ${pair}${f.port !== null && f.port !== q.port ? ` on ${f.port}/${q.protocol}` : ""}: ${verdict}\n`;
      if (q.explain && f.decision !== null) {
        text += decisionLines(describeDecision(f.decision.explanation, { rules: engine.rules, from: name(f.from), to: name(f.to) }))
          .map((l) => `    ${l}\n`)
          .join("");
      }
    }
    if (!q.explain) text += io.out.dim("  (--explain shows why for each)\n");
    await io.write(text);
  }
  const verdict = all ? "allowed" : allowed === 0 ? "denied" : "mixed";
  if (q.expect === null) return all ? EXIT.ok : EXIT.failed;
  if (q.expect === verdict) return EXIT.ok;
  io.error(`${io.err.red("expectation failed")}: ${q.from} → ${q.to} on ${q.port}/${q.protocol} is allowed for ${allowed} of ${total} ${noun}, expected ${q.expect} for all`);
  return EXIT.failed;
}
