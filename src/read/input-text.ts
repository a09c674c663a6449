/**
 * Manifest bytes to text, as kubectl's readers take them: UTF-8 (a byte-order mark
 * dropped), or UTF-16 when a byte-order mark says so (go-yaml reads both). YAML that
 * is not valid UTF-8 is refused, as go-yaml refuses it ("invalid leading UTF-8
 * octet"); JSON keeps going with U+FFFD in place of bad bytes, as Go's
 * encoding/json does. Text longer than a JavaScript string can be is refused with
 * its size. Never throws.
 */

/** The longest string V8 makes (2^29 - 24 UTF-16 code units); longer input is refused. */
export const MAX_TEXT_LENGTH = 2 ** 29 - 24;

/** Text, or why the bytes cannot be read as text. */
export type Text = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };

const mib = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`;

/** Whether UTF-8 bytes start (after white space and a byte-order mark) with `{` or `[`. */
function looksLikeJson(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i] === 0x7b || bytes[i] === 0x5b;
}

/** The first offset where `bytes` stop being UTF-8 (for the message; called once decoding failed). */
function badUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const c = bytes[i]!;
    const more = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (more < 0) return i;
    // the second byte's range excludes overlong forms, surrogates and code points past U+10FFFF
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= more; k++) {
      const b = bytes[i + k];
      if (b === undefined || (k === 1 ? b < lo || b > hi : (b & 0xc0) !== 0x80)) return i;
    }
    i += more + 1;
  }
  return bytes.length;
}

/** `input` as text: a string as it is, bytes decoded (see the module comment). */
export function inputText(input: string | Uint8Array): Text {
  if (typeof input === "string") {
    return input.length > MAX_TEXT_LENGTH ? { ok: false, message: `input of ${mib(input.length * 2)} is larger than netpol reads (${mib(MAX_TEXT_LENGTH)} characters)` } : { ok: true, text: input };
  }
  const utf16 = input[0] === 0xff && input[1] === 0xfe ? "utf-16le" : input[0] === 0xfe && input[1] === 0xff ? "utf-16be" : null;
  const units = utf16 !== null ? input.length / 2 : input.length;
  if (units > MAX_TEXT_LENGTH) return { ok: false, message: `input of ${mib(input.length)} is larger than netpol reads (${mib(MAX_TEXT_LENGTH)} characters)` };
  if (utf16 !== null) return { ok: true, text: new TextDecoder(utf16).decode(input) };
  if (looksLikeJson(input)) return { ok: true, text: new TextDecoder("utf-8").decode(input) };
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(input) };
  } catch {
    return { ok: false, message: `invalid YAML: the input is not UTF-8 (invalid byte at offset ${badUtf8(input)})` };
  }
}
