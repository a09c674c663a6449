/**
 * `netpol check FILES --from A --to B --port 80/TCP`: one verdict and why. Exit 0
 * when allowed, 1 when denied; with `--expect allowed|denied`, 0 when the verdict
 * is the expected one and 1 otherwise.
 */
import { parse, parseChoice, parsePort, COMMON_OPTIONS, readOptionsOf } from "../args.js";
import { decisionLines, describeDecision } from "../../explain/decision.js";
import type { Io } from "../io.js";
import { EXIT, load } from "../load.js";
import { usageError } from "../usage.js";

/** Runs `check`. */
export async function check(argv: readonly string[], io: Io): Promise<number> {
  const args = parse(argv, {
    ...COMMON_OPTIONS,
    from: { type: "string" },
    to: { type: "string" },
    port: { type: "string" },
    format: { type: "string" },
    expect: { type: "string" },
  });
  if (!args.ok) return usageError(io, "check", args.error);
  const { values, positionals } = args.value;
  if (values.help) return usageError(io, "check", null);
  const options = readOptionsOf(values);
  if (!options.ok) return usageError(io, "check", options.error);
  const readOptions = options.value;
  if (values.from === undefined || values.to === undefined || values.port === undefined) {
    return usageError(io, "check", { usage: "--from, --to and --port are required" });
  }
  const port = parsePort(values.port);
  if (!port.ok) return usageError(io, "check", port.error);
  const format = parseChoice("format", values.format, ["text", "json"] as const, "text");
  if (!format.ok) return usageError(io, "check", format.error);
  const expect = values.expect === undefined ? null : parseChoice("expect", values.expect, ["allowed", "denied"] as const, "allowed");
  if (expect !== null && !expect.ok) return usageError(io, "check", expect.error);

  const loaded = await load(positionals, io, { ...readOptions, evaluator: values.evaluator });
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
  if (format.value === "json") {
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
  if (expect.value === verdict) return EXIT.ok;
  io.error(`${io.err.red("expectation failed")}: ${values.from} → ${values.to} on ${port.value.port}/${port.value.protocol} is ${verdict}, expected ${expect.value}`);
  return EXIT.failed;
}
