/**
 * The port chips of the report and the playground: one per port the manifests name
 * (`mentionedPorts`), and "any port", the union of the engine's matrices on all of
 * them. A chip is a toggle button (`aria-pressed`); `data-port` is `TCP/8080` or `any`.
 */
import type { Protocol } from "../index.js";
import { h } from "./dom.js";
import { ensureStyle } from "./style.js";

/** A port and protocol. */
export interface PortChoice {
  readonly protocol: Protocol;
  readonly port: number;
}

/** What a heatmap shows verdicts for: one port, or any of the named ports. */
export type LayerChoice = PortChoice | "any";

/** `TCP/8080`, or `any`. */
export const choiceKey = (choice: LayerChoice): string => (choice === "any" ? "any" : `${choice.protocol}/${choice.port}`);

/** The choice a key names (`TCP/8080`, `8080` for TCP, or `any`), or null. */
export function parseChoice(text: string): LayerChoice | null {
  if (text === "any") return "any";
  const m = /^(?:(TCP|UDP|SCTP)\/)?(\d{1,5})$/.exec(text);
  const port = Number(m?.[2]);
  return m !== null && port >= 1 && port <= 65535 ? { protocol: (m[1] ?? "TCP") as Protocol, port } : null;
}

/** Caption of the "any port" layer. */
export const anyCaption = (ports: number): string => `any of ${ports} port${ports === 1 ? "" : "s"}`;

/** Fills `container` with chips for `ports` and "any port"; `pick` gets the chip clicked. */
export function renderChips(container: HTMLElement, ports: readonly PortChoice[], active: LayerChoice | null, pick: (choice: LayerChoice) => void): void {
  ensureStyle(container.ownerDocument);
  container.classList.add("np-chips");
  const chip = (choice: LayerChoice, text: string, title: string): HTMLButtonElement => {
    const key = choiceKey(choice);
    const button = h("button", { type: "button", class: "np-chip", "data-port": key, "aria-pressed": String(active !== null && choiceKey(active) === key), title }, text);
    button.addEventListener("click", () => pick(choice));
    return button;
  };
  container.replaceChildren(
    ...ports.map((p) => chip(p, choiceKey(p), `verdicts on ${choiceKey(p)}`)),
    ...(ports.length > 0 ? [chip("any", "any port", `allowed on at least one of the ${ports.length} ports the manifests name (policies' ports and pods' container ports)`)] : []),
  );
}
