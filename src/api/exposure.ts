/**
 * Exposure: per endpoint, who outside its namespace and outside the cluster may reach
 * it, and where outside the cluster it may go (see `Engine.exposure`).
 */
import type { Direction } from "../primitives/kubernetes.js";
import type { AllowedPorts } from "./connections.js";

/** An outside range (`FIRST-LAST`) and the ports allowed to or from it. */
export interface RangeExposure {
  readonly range: string;
  readonly allowed: AllowedPorts;
}

/** Which pods may reach an endpoint, as one ingress rule (or the absence of isolation) admits them. */
export interface PeerExposure {
  /** `any` (every namespace), `namespace NAME`, or `namespaces with label(s) …`. */
  readonly namespaces: string;
  /** `all pods` or `pods with label(s) …`. */
  readonly pods: string;
  /** `on every port`, `on TCP port 8080 or …`. */
  readonly ports: string;
  /** The policy (`namespace/name`) and ingress rule index that admit them; null when the endpoint is not isolated for ingress. */
  readonly policy: string | null;
  readonly direction: Direction;
  readonly rule: number | null;
}

/** The exposure of one endpoint. */
export interface Exposure {
  readonly endpoint: string;
  /** Whether every outside range may reach it (on some port). */
  readonly fromAnyAddress: boolean;
  readonly fromOutside: readonly RangeExposure[];
  readonly toOutside: readonly RangeExposure[];
  /** The pods of the cluster that may reach it, by namespace and labels (ipBlock peers are in `fromOutside`). */
  readonly fromPods: readonly PeerExposure[];
}

/** What `Engine.exposure` computes. */
export interface ExposureOptions {
  /** The endpoint name of each pod (see `ConnectionOptions.groups`); a group's rules are its first pod's. */
  readonly groups?: readonly string[];
}
