/**
 * One pass over a manifest text through the public API, as plain data. The browser
 * test runs it in the page against the built bundle and in Node against the sources,
 * and compares the two.
 */
import type * as Netpol from "../../src/index.js";
import type * as NetpolManifests from "../../src/manifests-entry.js";
import type { EvaluatorName, Flow, PortQuery } from "../../src/index.js";

/** The flows decided one by one and in a batch (over test/browser/fixture.yaml). */
export const FLOWS: readonly Flow[] = [
  { from: "shop/web", to: "shop/db", port: 5432 },
  { from: "shop/web", to: "shop/db", port: 80 },
  { from: "ops/monitor", to: "shop/web", port: 80 },
  { from: "203.0.113.9", to: "10.0.1.1", port: 80 },
  { from: "shop/db", to: "shop/db", protocol: "UDP", port: 53 },
];

/** The matrices computed. */
export const QUERIES: readonly PortQuery[] = [{ port: 5432 }, { protocol: "TCP", port: 80 }, { protocol: "SCTP", port: 9 }];

/** What one engine answered. */
export interface Survey {
  /** The evaluator the engine reports (the default one when none was asked for). */
  readonly evaluator: string;
  readonly parseIssues: readonly string[];
  readonly pods: readonly string[];
  /** Per query, the rows of '1'/'0' by source pod. */
  readonly matrices: ReadonlyArray<Record<string, string>>;
  /** Per flow, `explanationText` (its first line is the verdict). */
  readonly decisions: readonly string[];
  readonly batch: readonly number[];
  /** How invalid input was refused: the issues of the `NetpolValidationError`. */
  readonly refusal: string;
}

/**
 * Reads `text` with `reader` (`netpol/manifests`), loads it into an engine of `netpol`
 * (`evaluator` null: the default one) and asks it everything above.
 */
export async function survey(netpol: typeof Netpol, reader: typeof NetpolManifests, text: string, evaluator: EvaluatorName | null): Promise<Survey> {
  const manifests = reader.parseManifests(text);
  const choice = evaluator === null ? {} : { evaluator };
  const engine = await netpol.createEngine({ cluster: { namespaces: manifests.namespaces, pods: manifests.pods }, policies: manifests.policies, ...choice });
  let refusal = "accepted";
  try {
    await netpol.createEngine({ cluster: { pods: [{ namespace: "x", name: "Not_A_Name" }] }, policies: [{}], ...choice });
  } catch (error) {
    refusal = error instanceof netpol.NetpolValidationError ? error.issues.map(netpol.formatIssue).join("\n") : `not a NetpolValidationError: ${String(error)}`;
  }
  return {
    evaluator: engine.evaluator,
    parseIssues: manifests.issues.map(netpol.formatIssue),
    pods: engine.pods,
    matrices: QUERIES.map((q) => ({ ...engine.matrix(q).toJSON().matrix })),
    decisions: FLOWS.map((f) => netpol.explanationText(engine.decide(f).explanation, f.from, f.to)),
    batch: [...engine.decideBatch(FLOWS)],
    refusal,
  };
}
