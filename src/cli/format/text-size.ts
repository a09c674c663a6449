/**
 * How long each matrix format's text gets, reckoned before it is built: a matrix too
 * large to print is refused with the figure (`textLengthIssue`) instead of failing
 * half-way with an untyped `RangeError` or an exhausted heap. The figures are upper bounds per cell and per endpoint
 * (colours included), so a refusal never comes late; they may come a little early.
 */
import type { Issue } from "../../primitives/issues.js";
import { textLengthIssue } from "../../primitives/limits.js";
import type { MatrixView } from "./view.js";

/** Characters per cell and per shown endpoint of each format. */
const PER: Readonly<Record<string, { readonly cell: number; readonly endpoint: number }>> = {
  // `1,` per cell; an id in the header and at the start of its row
  csv: { cell: 2, endpoint: 2 },
  // `1` per cell; an id in the endpoint list and as its row's key, quoted and indented
  json: { cell: 1, endpoint: 2 },
  // ` ✓ |` per cell; an id in the header and in its row
  md: { cell: 4, endpoint: 2 },
  // an edge per allowed cell: two quoted ids, an arrow, indent (ids counted per cell below)
  dot: { cell: 12, endpoint: 3 },
  // `✓ ` per cell in its colours; a row label per column block
  table: { cell: 12, endpoint: 8 },
  // `1` per cell in the page's data; an id in it
  html: { cell: 1, endpoint: 2 },
};

/** The issue when the `format` text of `view` could not be one string, else null. */
export function matrixTextIssue(format: string, view: MatrixView): Issue | null {
  const per = PER[format] ?? { cell: 12, endpoint: 8 };
  const n = view.order.length;
  let ids = 0;
  let longest = 0;
  for (const i of view.order) {
    const length = view.ids[i]!.length + 3;
    ids += length;
    longest = Math.max(longest, length);
  }
  // a dot edge carries two ids: bound them by the longest
  const cell = format === "dot" ? per.cell + 2 * longest : per.cell;
  const cells = format === "dot" ? Math.min(n * n, view.matrix.count()) : n * n;
  return textLengthIssue(cells * cell + ids * per.endpoint, "", `the ${format} text of a matrix of ${n} endpoints`, "show fewer with --namespace, or read the matrix through the library (ReachabilityMatrix.bits)");
}
