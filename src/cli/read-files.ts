/**
 * The file layer under `parseSources`: command-line paths (files, folders searched
 * recursively for .yaml/.yml/.json, and `-` for standard input) read into texts.
 * Problems (a missing file, an empty folder) come back as values.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Readable } from "node:stream";
import type { Source } from "../manifests/manifests.js";

/** The extensions a folder is searched for. */
export const MANIFEST_EXTENSIONS = [".yaml", ".yml", ".json"];

/** Texts read, or the problems that kept some from being read. */
export interface ReadResult {
  readonly sources: Source[];
  readonly problems: string[];
}

const message = (error: unknown): string => {
  const code = (error as { code?: string }).code;
  if (code === "ENOENT") return "no such file or folder";
  if (code === "EACCES") return "permission denied";
  return error instanceof Error ? error.message : String(error);
};

/** Every manifest file under `dir`, sorted, recursively; hidden entries are skipped. */
async function walk(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith(".")).sort((a, b) => (a.name < b.name ? -1 : 1));
  const out: string[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(path)));
    else if (MANIFEST_EXTENSIONS.some((x) => e.name.endsWith(x))) out.push(path);
  }
  return out;
}

/** All of a stream, as UTF-8 text. */
export async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads every path; `-` is standard input (read once, named `<stdin>`). */
export async function readPaths(paths: readonly string[], stdin: Readable): Promise<ReadResult> {
  const sources: Source[] = [];
  const problems: string[] = [];
  let stdinRead = false;
  // a file named twice (or also found in a named folder) is read once
  const seen = new Set<string>();
  const add = async (file: string): Promise<void> => {
    const key = resolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    sources.push({ text: await readFile(file, "utf8"), file });
  };
  for (const path of paths) {
    if (path === "-") {
      if (stdinRead) problems.push("`-` (standard input) given more than once");
      else sources.push({ text: await readAll(stdin), file: "<stdin>" });
      stdinRead = true;
      continue;
    }
    try {
      const info = await stat(path);
      if (info.isDirectory()) {
        const files = await walk(path);
        if (files.length === 0) problems.push(`${path}: no ${MANIFEST_EXTENSIONS.join(", ")} files in this folder`);
        for (const file of files) await add(file);
      } else await add(path);
    } catch (error) {
      problems.push(`${path}: ${message(error)}`);
    }
  }
  return { sources, problems };
}
