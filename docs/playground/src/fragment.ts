/**
 * The playground's state in the URL fragment, so that a link reproduces a view: the
 * manifests (`m`) and, in diff mode, the manifests before (`b`), each compressed
 * (raw DEFLATE by `CompressionStream("deflate-raw")`, then base64url), the port
 * (`port`: `TCP/8080` or `any`) and the heatmap's view (see src/views/heatmap/state.ts).
 * Nothing leaves the page: a fragment is never sent to a server.
 */

/** Above this many characters the manifests are left out of the link (browsers cap URL length). */
export const MAX_PACKED = 1_500_000;

async function pipe(bytes: Uint8Array<ArrayBuffer>, transform: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** `text` deflated and base64url-encoded (no padding). */
export async function pack(text: string): Promise<string> {
  const bytes = await pipe(new TextEncoder().encode(text), new CompressionStream("deflate-raw"));
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The text `pack` made, or null when `packed` is not such a text. */
export async function unpack(packed: string): Promise<string | null> {
  try {
    const binary = atob(packed.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(await pipe(bytes, new DecompressionStream("deflate-raw")));
  } catch {
    return null;
  }
}

/** The fragment's parameters. */
export const readFragment = (): URLSearchParams => new URLSearchParams(location.hash.slice(1));

/** Replaces the fragment (no new history entry). */
export function writeFragment(params: URLSearchParams): void {
  const text = params.toString();
  if (`#${text}` !== location.hash) history.replaceState(null, "", text === "" ? location.pathname + location.search : `#${text}`);
}
