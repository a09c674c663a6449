/**
 * Who owns each pod IP, the rule written once for loading a cluster and for updating
 * one: an IP belongs to one pod only, except that host-network pods share their node's
 * (the address then stands for the first pod listing it).
 */
import { quote } from "../primitives/issues.js";

/**
 * The pods that own addresses so far, by a key equal for equal addresses: the
 * canonical text, or the value (an IPv4 address's u32, an IPv6 address's BigInt), one
 * kind per owner table.
 */
export class IpOwners {
  private readonly owners = new Map<string | number | bigint, { readonly id: string; readonly hostNetwork: boolean }>();

  /**
   * The pod owning `address` (its key) that pod `id` may not share it with, or null;
   * records nothing (for a caller that drops the pod when any of its addresses clashes).
   */
  clash(address: string | number | bigint, id: string, hostNetwork: boolean): string | null {
    const owner = this.owners.get(address);
    return owner !== undefined && owner.id !== id && !(owner.hostNetwork && hostNetwork) ? owner.id : null;
  }

  /**
   * Records that pod `id` lists `address` (its key, as the user `written` it); returns
   * the problem's message when another pod owns it and the two may not share it, else
   * null.
   */
  claim(address: string | number | bigint, id: string, hostNetwork: boolean, written = String(address)): string | null {
    const owner = this.owners.get(address);
    if (owner === undefined) this.owners.set(address, { id, hostNetwork });
    else if (owner.id !== id && !(owner.hostNetwork && hostNetwork)) return `IP ${quote(written)} already belongs to pod ${quote(owner.id)}`;
    return null;
  }
}
