/**
 * `netpol check FILES --from A --to B --port 80/TCP`: one verdict and why. Exit 0
 * when allowed, 1 when denied; with `--expect allowed|denied`, 0 when the verdict
 * is the expected one and 1 otherwise.
 */
import { parsePort } from "../args.js";
import { decisionLines, describeDecision } from "../../explain/decision.js";
import type { Io } from "../io.js";
import { EXIT, load } from "../load.js";
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
