/**
 * netpol's version, read from its package.json (the one place it is written): the
 * nearest package.json named `netpol` above this module, whether it runs from
 * `src/cli/` or from the bundled `dist/cli.js`.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The version of the installed netpol, or `unknown` when its package.json cannot be found. */
export function netpolVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "netpol" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // no package.json here: look further up
    }
    const up = dirname(dir);
    if (up === dir) return "unknown";
    dir = up;
  }
}
