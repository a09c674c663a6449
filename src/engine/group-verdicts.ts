/**
 * The answers about groups (see `groups.ts`) in the public types: a flow's verdict
 * pod by pod (`Decision.group`) and what a group stands for (`Engine.endpointGroup`).
 */
import type { Decision, EndpointGroupInfo, MemberDecision } from "../api/engine.js";
import { findGroupEnd } from "./groups.js";
import type { Model } from "./model.js";

/**
 * The decision of a flow with a group end: allowed when every member that is a
 * connection (its destination port resolved) is allowed; explained by the first
 * member denied, else the first member. At least one member is a connection
 * (`planFlow` refuses a flow with none).
 */
export function groupDecision(from: string | null, to: string | null, members: readonly MemberDecision[]): Decision {
  const connections = members.filter((m) => m.explanation !== null);
  const allowed = connections.filter((m) => m.allowed).length;
  const deciding = connections.find((m) => !m.allowed) ?? connections[0]!;
  return {
    allowed: allowed === connections.length && allowed > 0,
    explanation: deciding.explanation!,
    group: { from, to, allowed, total: connections.length, members },
  };
}

/** What `name` stands for, in the public form, or null when it names no group. */
export function groupInfo(model: Model, name: string): EndpointGroupInfo | null {
  const group = findGroupEnd(model, name);
  if (group === null) return null;
  const service = group.service;
  const problem =
    service !== null && service.selector === null
      ? "it has no selector: its endpoints are managed outside the cluster state"
      : group.pods.length === 0
        ? "its selector picks no pod of the cluster"
        : undefined;
  return {
    id: group.id,
    kind: group.kind,
    pods: group.pods,
    ports: service === null ? [] : service.ports,
    ...(problem !== undefined ? { problem } : {}),
  };
}
