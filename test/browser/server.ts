/**
 * A static file server on 127.0.0.1 and a random port, for the browser tests: files
 * under one folder, plus pages held in memory. It serves nothing outside the folder.
 */
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".yaml": "text/yaml; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".wasm": "application/wasm",
};

/** A body served from memory at a fixed path. */
export interface MemoryFile {
  readonly type: string;
  readonly body: string | Uint8Array;
}

/** A running server; `close` stops it. */
export interface StaticServer {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  readonly origin: string;
  close(): Promise<void>;
}

/** Serves `root` (`/` is `index.html`) and the `memory` paths, which win over files; `headers` go with every response. */
export async function serveStatic(root: string, memory: Readonly<Record<string, MemoryFile>> = {}, headers: Readonly<Record<string, string>> = {}): Promise<StaticServer> {
  const base = normalize(root + sep);
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    const send = (status: number, type: string, body: string | Uint8Array) => {
      response.writeHead(status, { ...headers, "content-type": type, "cache-control": "no-store" });
      response.end(body);
    };
    const held = memory[path];
    if (held !== undefined) return send(200, held.type, held.body);
    const file = normalize(join(base, path.endsWith("/") ? `${path}index.html` : path));
    if (!file.startsWith(base)) return send(403, "text/plain", "outside the served folder");
    readFile(file).then(
      (body) => send(200, TYPES[extname(file)] ?? "application/octet-stream", body),
      () => send(404, "text/plain", "not found"),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
