/**
 * Problems found in user input, as data: a field path written the way the API server
 * writes it (`spec.ingress[0].ports[0].endPort`) and a one-line message in Cedar's
 * style (lower case, no trailing period, user input in backticks).
 */
/** One problem with the input. */
export interface Issue {
  /** The field path, e.g. `spec.ingress[0].from[1].ipBlock.cidr`; may be prefixed by the caller. */
  readonly path: string;
  readonly message: string;
  /** The object it concerns, e.g. `policies[2]` or `NetworkPolicy x/deny-all`. */
  readonly object?: string;
  /** The index of the YAML/JSON document it was found in, when the input had several. */
  readonly document?: number;
  /** The source file, when known. */
  readonly file?: string;
  /** The 1-based line of the document's start (or of the field, where known). */
  readonly line?: number;
}

/** Renders an issue as one line: `file:line document N object: path: message`. Throws `NetpolValidationError` for anything but an issue. */
export function formatIssue(issue: Issue): string {
  if (typeof issue !== "object" || issue === null || typeof issue.message !== "string" || typeof issue.path !== "string") {
    throw new NetpolValidationError([{ path: "issue", message: `expected an issue ({ path, message, ... }), got ${quote(issue)}` }]);
  }
  const where: string[] = [];
  if (issue.file !== undefined) where.push(issue.line !== undefined ? `${issue.file}:${issue.line}` : issue.file);
  if (issue.document !== undefined) where.push(`document ${issue.document}`);
  if (issue.object !== undefined) where.push(issue.object);
  const path = issue.path === "" ? "" : `${issue.path}: `;
  return `${where.length > 0 ? `${where.join(" ")}: ` : ""}${path}${issue.message}`;
}

/** Appends a field name to a path. */
export const child = (path: string, name: string): string => (path === "" ? name : `${path}.${name}`);
/** Appends an index to a path. */
export const index = (path: string, i: number): string => `${path}[${i}]`;

/** Renders a user value for a message, bounded in length. */
export function quote(value: unknown): string {
  let text: string;
  if (typeof value === "string") text = value;
  else if (value === undefined) text = "undefined";
  else if (typeof value === "number" || typeof value === "boolean" || value === null) text = String(value);
  else if (Array.isArray(value)) text = "array";
  else text = "object";
  return `\`${text.length > 80 ? `${text.slice(0, 77)}...` : text}\``;
}

/**
 * The one wording of "this value is not one of these", the API server's NotSupported:
 * ``unsupported value `ICMP`: supported values: "SCTP", "TCP", "UDP"``. Strings are quoted
 * and listed sorted, as the API server lists them; numbers and booleans in the order given.
 */
export function unsupportedValue(value: unknown, supported: readonly (string | number | boolean)[]): string {
  const strings = supported.every((s) => typeof s === "string");
  const listed = strings ? [...supported].sort().map((s) => `"${s}"`) : supported.map(String);
  return `unsupported value ${quote(value)}: supported values: ${listed.join(", ")}`;
}

/** Whether `value` is a plain object: not null, not an array. */
export const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Thrown (or rejected with) by `createEngine` when the input is invalid; `issues` lists every problem. */
export class NetpolValidationError extends Error {
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[]) {
    const valid = Array.isArray(issues) && issues.every((i: unknown) => typeof i === "object" && i !== null && typeof (i as Issue).message === "string" && typeof (i as Issue).path === "string");
    if (!valid) issues = [{ path: "issues", message: `expected an array of issues, got ${quote(issues)}` }];
    const shown = issues.slice(0, 20).map(formatIssue);
    if (issues.length > 20) shown.push(`... and ${issues.length - 20} more`);
    super(`invalid input:\n  ${shown.join("\n  ")}`);
    this.name = "NetpolValidationError";
    this.issues = issues;
  }
}
