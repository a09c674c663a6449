// Runs every test/**/*.test.ts with uvu (through tsx) and ends with the plain
// `N passed, N failed` line CI reads; uvu's own summary is kept above it.
import { spawnSync } from "node:child_process";

const uvu = new URL("../node_modules/uvu/bin.js", import.meta.url).pathname;
const args = ["--import", "tsx", uvu, "test", "\\.test\\.ts$", "--no-color", ...process.argv.slice(2)];
const run = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, FORCE_COLOR: "0" } });
process.stdout.write(run.stdout);
process.stderr.write(run.stderr);
const count = (label) => Number((run.stdout.match(new RegExp(`${label}:\\s+(\\d+)`)) ?? [])[1] ?? NaN);
const total = count("Total");
const passed = count("Passed");
const skipped = count("Skipped");
if (Number.isNaN(total) || Number.isNaN(passed)) {
  console.log("0 passed, 1 failed");
  console.error("test: uvu printed no summary (it crashed before running the suites)");
  process.exit(1);
}
// uvu's Total counts the tests it ran: `test.skip` never registers a test, so skipped ones are not in it
const failed = total - passed;
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
