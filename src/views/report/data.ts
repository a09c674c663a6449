/**
 * The data an HTML report carries, written by the CLI (`src/cli/format/html.ts`) and
 * read by the report's page script (`page.ts`): one JSON object in a
 * `<script type="application/json" id="netpol-report">` element.
 *
 * Bulky parts are packed: matrix bits (the `ReachabilityMatrix.bits` words, little
 * endian) and the engine's input (JSON) are deflated (raw DEFLATE, RFC 1951) and
 * base64-encoded. The page inflates them with `DecompressionStream("deflate-raw")`,
 * paints from the bits, then builds an engine from the input for explanations and
 * other ports: the same answers the CLI's engine gave, from the same input.
 */
import type { Labels } from "../heatmap/levels.js";
import type { PortChoice } from "../chips.js";

/** The version of this format; a page refuses data of another. */
export const REPORT_FORMAT = "netpol-report/1";

/** The id of the data's script element. */
export const DATA_ELEMENT = "netpol-report";

/** What a report holds. Endpoint arrays are in engine order (`Engine.pods`). */
export interface ReportData {
  readonly format: typeof REPORT_FORMAT;
  readonly title: string;
  /** The port the report was asked for. */
  readonly port: PortChoice;
  /** The ports the manifests name, for the chips and the "any port" layer. */
  readonly ports: readonly PortChoice[];
  /** Display id of each endpoint. */
  readonly ids: readonly string[];
  /** Engine indexes in display order (the `--namespace` selection only). */
  readonly order: readonly number[];
  /** Distinct label maps, and each endpoint's index into them. */
  readonly labelSets: readonly Labels[];
  readonly labels: readonly number[];
  /** Packed bits of the matrix on `port`, and of the union over `ports` (null when there are none). */
  readonly layers: { readonly port: string; readonly any: string | null };
  /** Packed JSON of the engine's input: `{ cluster: { namespaces, pods, nodes, services }, policies, options }`. */
  readonly input: string;
  /** Where each policy came from (`file:line`), in input order (as `input.policies`, every kind). */
  readonly locations: readonly (string | null)[];
}
