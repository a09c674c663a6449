/**
 * Name and value rules of k8s.io/apimachinery/pkg/util/validation, each returning the
 * list of messages the API server would give (empty when valid).
 */

/** Entries a memo keeps before it starts afresh. */
const MEMO_ENTRIES = 4096;
/**
 * The longest input a memo keeps: every name these checks accept is shorter (253
 * characters at most), so longer ones are checked each time and never held: 4096
 * entries of at most this length bound a memo to a few megabytes.
 */
export const MEMO_MAX_LENGTH = 256;

/**
 * Remembers a pure check's answer per input: label keys, values and names repeat across
 * thousands of pods. Bounded in entries and in the length of what it keeps, so hostile
 * input cannot grow it without limit.
 */
export function memo(check: (value: string) => string[]): (value: string) => readonly string[] {
  const cache = new Map<string, readonly string[]>();
  return (value) => {
    if (value.length > MEMO_MAX_LENGTH) return Object.freeze(check(value));
    let answer = cache.get(value);
    if (answer === undefined) {
      answer = Object.freeze(check(value));
      if (cache.size >= MEMO_ENTRIES) cache.clear();
      cache.set(value, answer);
    }
    return answer;
  };
}

const DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_LABEL}(\\.${DNS1123_LABEL})*$`);
const DNS1123_LABEL_RE = new RegExp(`^${DNS1123_LABEL}$`);
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** IsDNS1123Subdomain: object names such as `metadata.name` of a NetworkPolicy. */
export const dns1123Subdomain = memo((value: string): string[] => {
  const out: string[] = [];
  if (value.length > 253) out.push("must be no more than 253 characters");
  if (!DNS1123_SUBDOMAIN.test(value)) {
    out.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    );
  }
  return out;
});

/** Whether `value` is a valid DNS-1123 subdomain: `dns1123Subdomain` without building or remembering an answer (for names seen once, such as pod names). */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** IsDNS1123Label: namespace names. */
export const dns1123Label = memo((value: string): string[] => {
  const out: string[] = [];
  if (value.length > 63) out.push("must be no more than 63 characters");
  if (!DNS1123_LABEL_RE.test(value)) {
    out.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
    );
  }
  return out;
});

/** IsQualifiedName: label keys, `[prefix/]name`. */
export const qualifiedName = memo((value: string): string[] => {
  const parts = value.split("/");
  let name: string;
  const out: string[] = [];
  if (parts.length === 1) name = parts[0]!;
  else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) out.push("prefix part must be non-empty");
    else out.push(...dns1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/'",
    ];
  }
  if (name.length === 0) out.push("name part must be non-empty");
  else if (name.length > 63) out.push("name part must be no more than 63 characters");
  if (name.length > 0 && !QUALIFIED_NAME_PART.test(name)) {
    out.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    );
  }
  return out;
});

/** IsValidLabelValue: at most 63 characters, empty or alphanumeric at both ends. */
export const labelValue = memo((value: string): string[] => {
  const out: string[] = [];
  if (value.length > 63) out.push("must be no more than 63 characters");
  if (!LABEL_VALUE.test(value)) {
    out.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    );
  }
  return out;
});

/** IsValidPortNum: 1 to 65535. */
export function portNumber(value: number): string[] {
  return value >= 1 && value <= 65535 ? [] : ["must be between 1 and 65535, inclusive"];
}

/** IsValidPortName: an IANA_SVC_NAME (RFC 6335). */
export const portName = memo((value: string): string[] => {
  const out: string[] = [];
  if (value.length > 15) out.push("must be no more than 15 characters");
  if (!/^[-a-z0-9]+$/.test(value)) out.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (value.includes("--")) out.push("must not contain consecutive hyphens");
  if (!/[a-z]/.test(value)) out.push("must contain at least one letter (a-z)");
  if (value.startsWith("-") || value.endsWith("-")) out.push("must not begin or end with a hyphen");
  return out;
});
