/**
 * The value syntaxes commands share: ports (`80`, `80/TCP`, `53/udp`, and for a flow
 * a port name: `http`, `http/TCP`).
 */
import { unsupportedValue } from "../primitives/issues.js";
import { isProtocol, PROTOCOLS, type Protocol } from "../primitives/kubernetes.js";
import { usageFailure, type Parsed } from "./options.js";
import { portName } from "../validate/names.js";

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

/**
 * A flow's port: a number or a port name (an IANA service name, as a container port
 * is named), with an optional protocol: `80`, `80/TCP`, `http`, `dns/UDP`. Without a
 * protocol, `protocol` is absent: TCP, or a Service port's own protocol.
 */
export function parseFlowPort(text: string): Parsed<{ port: number | string; protocol?: Protocol }> {
  const named = /^([a-z0-9]+(?:-[a-z0-9]+)*)(?:\/([A-Za-z]+))?$/.exec(text.trim());
  if (named === null || /^\d+$/.test(named[1]!)) {
    const number = parsePort(text);
    return number.ok ? number : usageFailure(`invalid port \`${text}\`: expected PORT, NAME, PORT/PROTOCOL or NAME/PROTOCOL, e.g. 80/TCP or http`);
  }
  const issues = portName(named[1]!);
  if (issues.length > 0) return usageFailure(`invalid port \`${text}\`: ${issues.join("; ")}`);
  if (named[2] === undefined) return { ok: true, value: { port: named[1]! } };
  const protocol = named[2].toUpperCase();
  if (!isProtocol(protocol)) return usageFailure(`invalid port \`${text}\`: protocol: ${unsupportedValue(named[2], PROTOCOLS)}`);
  return { ok: true, value: { port: named[1]!, protocol } };
}

/** A port range given as `80`, `8000-8100`, `53/UDP` or `8000-8100/TCP` (a `PortFilter`). */
export function parsePortFilter(text: string): Parsed<{ port: number; endPort: number; protocol: Protocol }> {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?(?:\/([A-Za-z]+))?$/.exec(text.trim());
  if (m === null) return usageFailure(`invalid port \`${text}\`: expected PORT, PORT-END, PORT/PROTOCOL or PORT-END/PROTOCOL, e.g. 8000-8100/TCP`);
  const port = Number(m[1]);
  const endPort = m[2] === undefined ? port : Number(m[2]);
  if (port < 1 || endPort > 65535 || endPort < port) return usageFailure(`invalid port \`${text}\`: must be between 1 and 65535, inclusive, the end not below the start`);
  const protocol = (m[3] ?? "TCP").toUpperCase();
  if (!isProtocol(protocol)) return usageFailure(`invalid port \`${text}\`: protocol: ${unsupportedValue(m[3], PROTOCOLS)}`);
  return { ok: true, value: { port, endPort, protocol } };
}
