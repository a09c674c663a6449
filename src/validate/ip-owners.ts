/**
 * Who owns each pod IP, the rule written once for loading a cluster and for updating
 * one: an IP belongs to one pod only, except that host-network pods share their node's
 * (the address then stands for the first pod listing it).
 */
import { quote } from "../primitives/issues.js";

/**
 * The pods that own addresses so far, by a key equal for equal addresses: the
 * canonical text, or the value (an IPv4 address's u32, an IPv6 address's BigInt), one
 * kind per owner table. A pod is named by its `namespace/name` id, or by any value
 * `T` (such as its index) that `id` turns into that id: two values of one id (a pod
 * listed twice) are one pod here, as two equal ids are.
 */
export class IpOwners<T = string> {
  private readonly owners = new Map<string | number | bigint, { readonly pod: T; readonly hostNetwork: boolean }>();

  constructor(private readonly id: (pod: T) => string = String) {}

  /**
   * The pod owning `address` (its key) that `pod` may not share it with, or null;
   * records nothing (for a caller that drops the pod when any of its addresses clashes).
   */
  clash(address: string | number | bigint, pod: T, hostNetwork: boolean): string | null {
    const owner = this.owners.get(address);
    return owner !== undefined && this.other(owner.pod, pod) && !(owner.hostNetwork && hostNetwork) ? this.id(owner.pod) : null;
  }

  /**
   * Records that `pod` lists `address` (its key, as the user `written` it); returns
   * the problem's message when another pod owns it and the two may not share it, else
   * null.
   */
  claim(address: string | number | bigint, pod: T, hostNetwork: boolean, written = String(address)): string | null {
    const owner = this.owners.get(address);
    if (owner === undefined) this.owners.set(address, { pod, hostNetwork });
    else if (this.other(owner.pod, pod) && !(owner.hostNetwork && hostNetwork)) return `IP ${quote(written)} already belongs to pod ${quote(this.id(owner.pod))}`;
    return null;
  }

  /** Whether `a` and `b` are two pods (their ids are built only for an address already owned). */
  private other(a: T, b: T): boolean {
    return a !== b && this.id(a) !== this.id(b);
  }
}
