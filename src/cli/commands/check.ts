/**
 * `netpol check FILES --from A --to B --port 80/TCP`: one verdict and why, as the
 * engine answers it (`Engine.decide`); for a workload's pods or a Service, pod by pod
 * ("allowed for 2 of 2 pods"). `--port` takes a name too (`http`, `http/TCP`). Exit 0
 * when allowed (for every pod), 1 otherwise; with `--expect allowed|denied|mixed`, 0
 * when the verdict is the expected one and 1 otherwise.
 */
import { parseFlowPort } from "../args.js";
import { decisionLines, describeDecision } from "../../explain/decision.js";
import type { Io } from "../io.js";
import { EXIT, load, type Loaded } from "../load.js";
import type { Decision, GroupVerdict } from "../../api/engine.js";
import { NetpolValidationError } from "../../primitives/issues.js";
import { commandInput, usageError } from "../usage.js";

/** The flag a `decide` issue's path names: `from` → `--from`, `to` → `--to`, `flow.port` → `--port`. */
const FLAG_OF: Readonly<Record<string, string>> = { from: "--from", to: "--to", "flow.port": "--port", "flow.protocol": "--port" };

/** Runs `check`. */
export async function check(argv: readonly string[], io: Io): Promise<number> {
  const input = await commandInput(io, "check", argv);
  if (!input.ok) return input.status;
  const { args, settings } = input.value;
  const values = { from: args.one("from"), to: args.one("to"), port: args.one("port") };
  if (values.from === undefined || values.to === undefined || values.port === undefined) {
    return usageError(io, "check", { usage: "--from, --to and --port are required" });
  }
  const port = parseFlowPort(values.port);
  if (!port.ok) return usageError(io, "check", port.error);
  const format = args.one("format") ?? "text";
  const expect = args.one("expect") ?? null;

  const loaded = await load(io, settings);
  if (!loaded.ok) return loaded.status;
  const { engine } = loaded.value;
  let decision: Decision;
  try {
    decision = engine.decide({ from: values.from, to: values.to, port: port.value.port, ...(port.value.protocol ? { protocol: port.value.protocol } : {}) });
  } catch (error) {
    if (!(error instanceof NetpolValidationError)) throw error;
    for (const issue of error.issues) io.error(`${io.err.red("error")}: ${FLAG_OF[issue.path] ?? issue.path}: ${issue.message}`);
    return EXIT.invalid;
  }
  const group = decision.group;
  const shownPort = `${port.value.port}/${group?.members[0]?.protocol ?? port.value.protocol ?? "TCP"}`;
  const verdict = decision.allowed ? "allowed" : group !== undefined && group.allowed > 0 ? "mixed" : "denied";
  if (format === "json") {
    await io.write(`${JSON.stringify({ from: values.from, to: values.to, port: port.value.port, protocol: port.value.protocol ?? "TCP", ...decision }, null, 2)}\n`);
  } else if (group === undefined) {
    const shown = decision.allowed ? io.out.green(verdict) : io.out.red(verdict);
    await io.write(
      `${io.out.bold(`${values.from} → ${values.to}`)} on ${shownPort}: ${shown}\n` +
        decisionLines(describeDecision(decision.explanation, { rules: engine.rules, from: values.from, to: values.to }))
          .map((l) => `  ${l}\n`)
          .join(""),
    );
  } else {
    await io.write(groupText(io, loaded.value, values.from, values.to, shownPort, group, args.has("explain")));
  }
  const counted = group === undefined ? "" : ` for ${group.allowed} of ${group.total} ${group.from !== null && group.to !== null ? "pod pairs" : "pods"}`;
  if (expect === null) return decision.allowed ? EXIT.ok : EXIT.failed;
  if (expect === verdict) return EXIT.ok;
  io.error(`${io.err.red("expectation failed")}: ${values.from} → ${values.to} on ${shownPort} is ${verdict}${counted}, expected ${expect}`);
  return EXIT.failed;
}

/** The text of a flow with a group end: the count, then each pod (pair) with its verdict, and why on `--explain`. */
function groupText(io: Io, loaded: Loaded, from: string, to: string, port: string, group: GroupVerdict, explain: boolean): string {
  const pairs = group.from !== null && group.to !== null;
  const noun = pairs ? "pod pairs" : "pods";
  const { allowed, total } = group;
  const summary = allowed === total ? io.out.green(`allowed for ${allowed} of ${total} ${noun}`) : allowed === 0 ? io.out.red(`denied for ${total} of ${total} ${noun}`) : io.out.yellow(`allowed for ${allowed} of ${total} ${noun}`);
  let text = `${io.out.bold(`${from} → ${to}`)} on ${port}: ${summary}\n`;
  for (const m of group.members) {
    const pair = pairs ? `${m.from} → ${m.to}` : group.from !== null ? m.from : m.to;
    const shown = m.explanation === null ? io.out.dim(`not served: ${m.reason}`) : m.allowed ? io.out.green("allowed") : io.out.red("denied");
    text += `  ${pair}${m.port !== null && `${m.port}/${m.protocol}` !== port ? ` on ${m.port}/${m.protocol}` : ""}: ${shown}\n`;
    if (explain && m.explanation !== null) {
      text += decisionLines(describeDecision(m.explanation, { rules: loaded.engine.rules, from: m.from, to: m.to }))
        .map((l) => `    ${l}\n`)
        .join("");
    }
  }
  if (!explain) text += io.out.dim("  (--explain shows why for each)\n");
  return text;
}
