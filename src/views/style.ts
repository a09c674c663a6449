/**
 * The look of the shared views (heatmap, toolbar, port chips, tooltip, explanation),
 * one style sheet added to the page once by whichever view mounts first, so the
 * report and the playground look alike without copying CSS.
 */
import { PALETTE, paletteCss } from "./heatmap/palette.js";

const CSS = `
.hm{${paletteCss()};--hm-ink:#1f2328;--hm-muted:#59636e;--hm-line:#d1d9e0;--hm-paper:#fff;--hm-panel:#f6f8fa;--hm-focus:#0969da;color:var(--hm-ink);font:13px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;display:flex;flex-direction:column;gap:6px;min-width:0}
.hm-bar{display:flex;flex-wrap:wrap;align-items:center;gap:6px 10px}
.hm-bar label{display:inline-flex;align-items:center;gap:4px;color:var(--hm-muted)}
.hm-bar input[type=search]{width:11em;padding:2px 6px;border:1px solid var(--hm-line);border-radius:6px;font:inherit}
.hm-seg{display:inline-flex;border:1px solid var(--hm-line);border-radius:6px;overflow:hidden}
.hm-seg button,.hm-btn{font:inherit;border:0;background:var(--hm-paper);padding:2px 9px;cursor:pointer;color:var(--hm-ink)}
.hm-seg button+button{border-left:1px solid var(--hm-line)}
.hm-seg button[aria-pressed=true]{background:var(--hm-focus);color:#fff}
.hm-btn{border:1px solid var(--hm-line);border-radius:6px}
.hm-btn:disabled{color:var(--hm-muted);cursor:default}
.hm-status{color:var(--hm-muted);font-size:12.5px;min-height:1.4em}
.hm-legend{display:inline-flex;align-items:center;gap:4px;margin-left:8px}
.hm-swatch{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-1px;text-align:center;font-size:10px;line-height:12px}
.hm-scroll{position:relative;overflow:auto;max-height:var(--hm-height,75vh);border:1px solid var(--hm-line);border-radius:6px;background:var(--hm-paper);outline:none}
.hm-scroll:focus-visible{box-shadow:0 0 0 2px var(--hm-focus)}
.hm-content{position:relative}
.hm-top{position:sticky;top:0;z-index:3;display:flex}
.hm-corner{position:sticky;left:0;z-index:4;flex:none;background:var(--hm-panel);border-right:1px solid var(--hm-line);border-bottom:1px solid var(--hm-line);box-sizing:border-box;padding:6px 8px;color:var(--hm-muted);font-size:12px;display:flex;flex-direction:column;justify-content:flex-end}
.hm-cols{position:relative;flex:none;background:var(--hm-panel);border-bottom:1px solid var(--hm-line);box-sizing:border-box;overflow:hidden}
.hm-main{display:flex}
.hm-rows{position:sticky;left:0;z-index:2;flex:none;background:var(--hm-panel);border-right:1px solid var(--hm-line);box-sizing:border-box;overflow:hidden}
.hm-cells{position:relative;flex:none}
.hm-canvas{position:sticky;display:block;cursor:pointer}
.hm-band{position:absolute;box-sizing:border-box;color:var(--hm-ink);font-weight:600;font-size:12px;overflow:hidden;background:#e7ecf2;border:1px solid #fff}
.hm-band:nth-child(even){background:#d9e1ea}
.hm-band span{position:absolute;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;padding:0 4px;box-sizing:border-box;line-height:14px}
.hm-rows .hm-band{left:0;width:var(--hm-band)}
.hm-rows .hm-band span{left:0;width:100%}
.hm-cols .hm-band{top:0;height:var(--hm-band)}
.hm-cols .hm-band span{top:0;height:100%;line-height:20px}
.hm-name{position:absolute;box-sizing:border-box;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;font-size:11.5px;color:var(--hm-ink);cursor:default}
.hm-name.hm-group{cursor:pointer}
.hm-name.hm-group:hover{text-decoration:underline}
.hm-rows .hm-name{left:var(--hm-band);width:var(--hm-names);padding:0 6px;text-align:right}
.hm-cols .hm-name{top:var(--hm-band);height:var(--hm-names);writing-mode:vertical-rl;transform:rotate(180deg);padding:6px 0;text-align:left;line-height:1}
.hm-name.hm-hot{background:#fff3b0}
.hm-name.hm-cur{background:#ffe066;font-weight:600}
.hm-tip{position:fixed;z-index:10;pointer-events:none;display:none;background:var(--hm-paper);border:1px solid #8c959f;border-radius:6px;box-shadow:0 4px 14px #0003;padding:7px 9px;max-width:min(620px,90vw);font-size:12.5px}
.hm-tip b{font-weight:600}
.hm-tip pre{margin:4px 0 0;white-space:pre-wrap;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.hm-tip .hm-hint{color:var(--hm-muted);margin-top:4px}
.hm-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.np-chips{display:inline-flex;flex-wrap:wrap;gap:4px;align-items:center}
.np-chip{font:inherit;font-size:12px;border:1px solid var(--hm-line,#d1d9e0);background:#fff;border-radius:999px;padding:1px 9px;cursor:pointer}
.np-chip[aria-pressed=true]{background:#0969da;border-color:#0969da;color:#fff}
.np-explanation h2{font-size:15px;font-weight:600;margin:0 0 8px}
.np-badge{color:#fff;border-radius:4px;padding:0 6px;font-size:12px;font-weight:600}
.np-badge.allowed{background:${PALETTE.allowed}}
.np-badge.denied{background:${PALETTE.denied};color:${PALETTE.deniedMark}}
.np-sides{display:grid;grid-template-columns:1fr 1fr;gap:12px}
@media (max-width:700px){.np-sides{grid-template-columns:1fr}}
.np-side{background:#fff;border:1px solid #d1d9e0;border-radius:6px;padding:8px 10px}
.np-side h3{font-size:14px;margin:0 0 4px}
.np-side p{margin:2px 0}
.np-side .np-label{color:#59636e;font-size:12px;margin-top:6px}
.np-side ul{margin:2px 0;padding-left:18px}
.np-explanation details{margin-top:8px}
.np-explanation pre{background:#fff;border:1px solid #d1d9e0;border-radius:6px;padding:8px;white-space:pre-wrap;font:12.5px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.np-explanation .np-diff{display:grid;grid-template-columns:1fr;gap:4px}
button.np-link{font:inherit;border:0;background:none;padding:0;color:#0969da;text-decoration:underline;cursor:pointer}
.np-hint{color:#59636e}
`;

const ID = "netpol-views-style";

/** Adds the views' style sheet to `document` unless it is there. */
export function ensureStyle(document: Document): void {
  if (document.getElementById(ID) !== null) return;
  const style = document.createElement("style");
  style.id = ID;
  style.textContent = CSS;
  document.head.append(style);
}
