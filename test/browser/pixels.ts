/**
 * Counting colours in a screenshot: the PNG is decoded by the browser itself
 * (`createImageBitmap`) and every pixel within a small distance of a target colour is
 * counted, so a test can check that a picture holds what it should (both verdicts).
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";

/** How many pixels of the PNG at `path` are each of `targets` (`#rrggbb`), and how many distinct colours it has. */
export async function colourCounts<K extends string>(page: Page, path: string, targets: Record<K, string>): Promise<Record<K, number> & { colours: number }> {
  const png = readFileSync(path).toString("base64");
  return (await page.evaluate(`(async () => {
    const bitmap = await createImageBitmap(await (await fetch("data:image/png;base64,${png}")).blob());
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext("2d");
    context.drawImage(bitmap, 0, 0);
    const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const targets = Object.entries(${JSON.stringify(targets)}).map(([name, hex]) => [name, [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))]);
    const counts = Object.fromEntries(targets.map(([name]) => [name, 0]));
    const colours = new Set();
    for (let i = 0; i < data.length; i += 4) {
      colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      for (const [name, [r, g, b]] of targets) {
        if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 24) counts[name]++;
      }
    }
    return { ...counts, colours: colours.size };
  })()`)) as Record<K, number> & { colours: number };
}
