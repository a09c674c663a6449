/**
 * The value syntaxes commands share: ports (`80`, `80/TCP`, `53/udp`).
 */
import { unsupportedValue } from "../primitives/issues.js";
import { isProtocol, PROTOCOLS, type Protocol } from "../primitives/kubernetes.js";
import { usageFailure, type Parsed } from "./options.js";

/** A port and protocol given as `80`, `80/TCP` or `53/udp`. */
export function parsePort(text: string): Parsed<{ port: number; protocol: Protocol }> {
  const m = /^(\d{1,5})(?:\/([A-Za-z]+))?$/.exec(text.trim());
  if (m === null) return usageFailure(`invalid port \`${text}\`: expected PORT or PORT/PROTOCOL, e.g. 80/TCP`);
  const port = Number(m[1]);
  if (port < 1 || port > 65535) return usageFailure(`invalid port \`${text}\`: must be between 1 and 65535, inclusive`);
  const protocol = (m[2] ?? "TCP").toUpperCase();
  if (!isProtocol(protocol)) return usageFailure(`invalid port \`${text}\`: protocol: ${unsupportedValue(m[2], PROTOCOLS)}`);
  return { ok: true, value: { port, protocol } };
}
