/**
 * The file layer under `parseSources`: command-line paths (files, folders searched
 * recursively for .yaml/.yml/.json, and `-` for standard input) read into bytes.
 * Problems (a missing file, an empty folder, a file too large) come back as values,
 * one per path or file, so that one bad file never hides the rest of a folder.
 *
 * Folders: hidden entries are skipped; symbolic links are followed (a link to a
 * folder is searched like a folder, whatever its name; a folder reached twice, as
 * through a link cycle, is searched once); entries that are neither files nor
 * folders (FIFOs, sockets, devices) are skipped with a warning, since reading one
 * can block forever. A path named on the command line is read whatever it is, so
 * that `<(kubectl get ...)` works.
 */
import { open, readdir, realpath, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Readable } from "node:stream";
import type { Source } from "../manifests/manifests.js";
import { MAX_TEXT_LENGTH } from "../read/input-text.js";

/** The extensions a folder is searched for. */
export const MANIFEST_EXTENSIONS = [".yaml", ".yml", ".json"];

/** The largest file read: the longest text netpol reads, in bytes of ASCII. */
export const MAX_FILE_BYTES = MAX_TEXT_LENGTH;

/** Texts read, the problems that kept some from being read, and entries skipped. */
export interface ReadResult {
  readonly sources: Source[];
  readonly problems: string[];
  /** Entries of a folder that were skipped (not files or folders). */
  readonly warnings: string[];
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

const message = (error: unknown): string => {
  const code = (error as { code?: string }).code;
  if (code === "ENOENT") return "no such file or folder";
  if (code === "EACCES") return "permission denied";
  if (code === "ELOOP") return "too many levels of symbolic links";
  if (code === "EISDIR") return "is a folder";
  return error instanceof Error ? error.message : String(error);
};

/** What a folder entry (after following links) is. */
type Kind = "folder" | "file" | "other";

async function kindOf(path: string): Promise<{ kind: Kind; what: string }> {
  const info = await stat(path);
  if (info.isDirectory()) return { kind: "folder", what: "folder" };
  if (info.isFile()) return { kind: "file", what: "file" };
  const what = info.isFIFO() ? "a FIFO" : info.isSocket() ? "a socket" : info.isCharacterDevice() || info.isBlockDevice() ? "a device" : "not a regular file";
  return { kind: "other", what };
}

/**
 * Adds every manifest file under `dir` to `files`, sorted, recursively; `visited`
 * holds the real paths of folders already searched. False when `dir` was one of them.
 */
async function walk(dir: string, visited: Set<string>, out: ReadResult, files: string[]): Promise<boolean> {
  const real = await realpath(dir);
  if (visited.has(real)) return false;
  visited.add(real);
  const names = (await readdir(dir)).filter((name) => !name.startsWith(".")).sort();
  for (const name of names) {
    const path = join(dir, name);
    let kind: { kind: Kind; what: string };
    try {
      kind = await kindOf(path);
    } catch (error) {
      out.problems.push(`${path}: ${message(error)}`);
      continue;
    }
    if (kind.kind === "folder") {
      try {
        await walk(path, visited, out, files);
      } catch (error) {
        out.problems.push(`${path}: ${message(error)}`);
      }
    } else if (MANIFEST_EXTENSIONS.some((x) => name.endsWith(x))) {
      if (kind.kind === "file") files.push(path);
      else out.warnings.push(`${path}: ${kind.what}, not a file: skipped`);
    }
  }
  return true;
}

/** A file's bytes, refused past `MAX_FILE_BYTES` with its size. */
async function readBytes(path: string): Promise<Uint8Array> {
  const handle = await open(path, "r");
  try {
    const info = await handle.stat();
    if (info.isFile()) {
      if (info.size > MAX_FILE_BYTES) throw new Error(`file of ${mib(info.size)} is larger than the ${mib(MAX_FILE_BYTES)} netpol reads`);
      return await handle.readFile();
    }
    // a pipe or device named on the command line: read as a stream, up to the limit
    return await readAll(handle.createReadStream());
  } finally {
    await handle.close();
  }
}

/** All of a stream's bytes; more than `MAX_FILE_BYTES` is an error naming the size read. */
export async function readAll(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.length;
    if (size > MAX_FILE_BYTES) {
      stream.destroy();
      throw new Error(`input of more than ${mib(MAX_FILE_BYTES)} is larger than netpol reads`);
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/** Reads every path; `-` is standard input (read once, named `<stdin>`). */
export async function readPaths(paths: readonly string[], stdin: Readable): Promise<ReadResult> {
  const out: ReadResult = { sources: [], problems: [], warnings: [] };
  let stdinRead = false;
  // a file named twice (or also found in a named folder) is read once
  const seen = new Set<string>();
  const visited = new Set<string>();
  const add = async (file: string): Promise<void> => {
    const key = resolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    try {
      out.sources.push({ text: await readBytes(file), file });
    } catch (error) {
      out.problems.push(`${file}: ${message(error)}`);
    }
  };
  for (const path of paths) {
    if (path === "-") {
      if (stdinRead) out.problems.push("`-` (standard input) given more than once");
      else {
        try {
          out.sources.push({ text: await readAll(stdin), file: "<stdin>" });
        } catch (error) {
          out.problems.push(`<stdin>: ${message(error)}`);
        }
      }
      stdinRead = true;
      continue;
    }
    let kind: Kind;
    try {
      kind = (await kindOf(path)).kind;
    } catch (error) {
      out.problems.push(`${path}: ${message(error)}`);
      continue;
    }
    if (kind === "folder") {
      const files: string[] = [];
      let searched: boolean;
      try {
        searched = await walk(path, visited, out, files);
      } catch (error) {
        out.problems.push(`${path}: ${message(error)}`);
        continue;
      }
      if (searched && files.length === 0) out.problems.push(`${path}: no ${MANIFEST_EXTENSIONS.join(", ")} files in this folder`);
      for (const file of files) await add(file);
    } else await add(path);
  }
  return out;
}
