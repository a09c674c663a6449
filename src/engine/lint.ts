/**
 * `Engine.lint`: findings computed from the engine's own answers (selection, verdicts,
 * explanations), each with the policy and field it is about and a fix hint.
 */
import { inRanges } from "../primitives/address.js";
import { namespacedName, type Direction } from "../primitives/kubernetes.js";
import type { Connection } from "../api/connections.js";
import type { Engine } from "../api/engine.js";
import { LINT_RULES, type LintFinding, type LintRuleName } from "../api/lint.js";
import type { Policy, Rule } from "../ir/types.js";
import type { ReferenceEvaluator } from "../reference/evaluate.js";
import type { Model } from "./model.js";

const finding = (rule: LintRuleName, message: string, policy: number | null, path: string, fix: string): LintFinding => ({
  rule,
  severity: LINT_RULES[rule].severity,
  message,
  policy,
  path,
  fix,
});

/** Each rule of a policy with its direction and field path. */
function* rulesOf(policy: Policy): Generator<{ rule: Rule; direction: Direction; path: string; peers: "from" | "to" }> {
  for (const [direction, rules, field, peers] of [["Ingress", policy.ingress, "ingress", "from"], ["Egress", policy.egress, "egress", "to"]] as const) {
    for (const rule of rules ?? []) yield { rule, direction, path: `spec.${field}[${rule.origin.rule}]`, peers };
  }
}

/** Every finding of the engine's policies over its cluster. */
export function lint(engine: Engine, model: Model, reference: ReferenceEvaluator): LintFinding[] {
  const out: LintFinding[] = [];
  const { policies } = model.rules;
  const pods = model.cluster.pods;
  const ids = model.podIds;

  for (const policy of policies) {
    const name = namespacedName(policy);
    if (engine.selectedPods(policy.index).length === 0) {
      out.push(finding("policy-selects-no-pod", `NetworkPolicy ${name} selects no pod: it isolates nothing and allows nothing`, policy.index, "spec.podSelector", "check spec.podSelector's labels against the pods' labels, or delete the policy"));
    }
    for (const { rule, path, peers } of rulesOf(policy)) {
      for (const peer of rule.peers ?? []) {
        const at = `${path}.${peers}[${peer.index}]`;
        if (peer.kind === "pods" && !pods.some((p) => reference.peerMatches(peer, { kind: "pod", pod: p.index }))) {
          out.push(finding("peer-selects-nothing", `${at} of ${name} selects no pod`, policy.index, at, "check the peer's podSelector and namespaceSelector against the pods' and namespaces' labels"));
        }
        if (peer.kind === "ipBlock") {
          const covered = pods.filter((p) => p.ips.some((ip) => ip.family === peer.family && inRanges(peer.ranges, ip.value)));
          if (covered.length > 0) {
            out.push(
              finding(
                "ipblock-covers-pods",
                `${at}.ipBlock ${peer.cidr} of ${name} covers the addresses of ${covered.length} pod${covered.length === 1 ? "" : "s"} (${covered.slice(0, 3).map((p) => ids[p.index]).join(", ")}${covered.length > 3 ? ", …" : ""}): whether it matches them depends on the network plugin (option ipBlockMatchesPods)`,
                policy.index,
                `${at}.ipBlock.cidr`,
                "select pods with podSelector/namespaceSelector and cut pod ranges out with except",
              ),
            );
          }
        }
      }
      for (const port of rule.ports ?? []) {
        if (port.kind !== "named") continue;
        if (!pods.some((p) => p.ports.some((c) => c.name === port.name && c.protocol === port.protocol))) {
          const at = `${path}.ports[${port.index}].port`;
          out.push(finding("named-port-unresolved", `${at} of ${name}: no pod has a ${port.protocol} container port named ${port.name}, so this port matches nothing`, policy.index, at, "use a container port name the destination pods declare, or a number"));
        }
      }
    }
  }

  // rules that never decide: every port they allow on every connection is allowed by another rule of the same side too
  const all: Connection[] = [...engine.connections({ explain: true })];
  const key = (direction: Direction, policy: number, rule: number): string => `${direction}/${policy}/${rule}`;
  const deciding = new Set<string>();
  for (const c of all) {
    for (const r of c.allowedBy ?? []) {
      const others = (c.allowedBy ?? []).filter((o) => o !== r && o.direction === r.direction && o.protocol === r.protocol && !(o.tier === r.tier && o.policyIndex === r.policyIndex && o.rule === r.rule));
      const covered = r.ports.every(([lo, hi]) => {
        let next = lo;
        for (const [a, b] of others.flatMap((o) => o.ports).sort((x, y) => x[0] - y[0])) if (a <= next && b >= next) next = b + 1;
        return next > hi;
      });
      if (!covered && r.tier === "NetworkPolicy") deciding.add(key(r.direction, r.policyIndex, r.rule));
    }
  }
  for (const policy of policies) {
    for (const { rule, direction, path } of rulesOf(policy)) {
      if (deciding.has(key(direction, policy.index, rule.origin.rule))) continue;
      out.push(
        finding(
          "rule-never-decides",
          `${path} of ${namespacedName(policy)} never decides a connection: every connection it allows is allowed by another rule too, or denied by the other end`,
          policy.index,
          path,
          "remove the rule, or fix its peers and ports if it should allow something of its own",
        ),
      );
    }
  }

  // egress-isolated pods with no DNS (53/UDP to any pod or outside range)
  const dns = new Set([...engine.connections({ ports: [{ protocol: "UDP", port: 53 }] })].map((c) => c.from));
  for (const pod of pods) {
    const isolating = engine.isolatingPolicies(pod.index, "Egress");
    if (isolating.length === 0 || dns.has(ids[pod.index]!)) continue;
    out.push(
      finding(
        "no-dns-egress",
        `pod ${ids[pod.index]} is isolated for egress (by ${isolating.map((i) => namespacedName(policies[i]!)).join(", ")}) and may not reach port 53/UDP anywhere: name lookups will fail`,
        isolating[0]!,
        "spec.egress",
        "allow egress to the cluster DNS (e.g. namespace kube-system, k8s-app=kube-dns) on 53/UDP and 53/TCP",
      ),
    );
  }

  // namespaces with pods and no default-deny: some pod not isolated for ingress
  const namespaces = [...new Set(pods.map((p) => p.namespace))].sort();
  for (const ns of namespaces) {
    const open = pods.filter((p) => p.namespace === ns && engine.isolatingPolicies(p.index, "Ingress").length === 0);
    if (open.length === 0) continue;
    out.push(
      finding(
        "namespace-without-default-deny",
        `namespace ${ns} has ${open.length} pod${open.length === 1 ? "" : "s"} no policy isolates for ingress (${open.slice(0, 3).map((p) => ids[p.index]).join(", ")}${open.length > 3 ? ", …" : ""})`,
        null,
        "",
        `add a default-deny policy to ${ns}: podSelector {} with policyTypes [Ingress, Egress] and no rules`,
      ),
    );
  }
  return out;
}
