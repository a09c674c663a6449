/**
 * The CLI's view of the terminal: where text goes, whether it may be coloured, how
 * wide the screen is. Commands write through an `Io` and never touch `process`
 * directly, so each one reads as input → text.
 */
import { once } from "node:events";
import type { Readable, Writable } from "node:stream";

/** ANSI styling that is a no-op when colour is off. */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
}

const wrap =
  (enabled: boolean, open: number, close: number) =>
  (text: string): string =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;

/** A style that colours when `enabled`. */
export function makeStyle(enabled: boolean): Style {
  return {
    enabled,
    bold: wrap(enabled, 1, 22),
    dim: wrap(enabled, 2, 22),
    red: wrap(enabled, 31, 39),
    green: wrap(enabled, 32, 39),
    yellow: wrap(enabled, 33, 39),
  };
}

/** Colour only on a terminal, and never when `NO_COLOR` is set (https://no-color.org) or TERM is dumb. */
export function colourWanted(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === "") && env.TERM !== "dumb";
}

/** Output streams, their styles and the terminal's width. */
export interface Io {
  /** Writes to standard output, waiting when the stream asks to (bounded memory for long outputs). */
  write(text: string): Promise<void>;
  /** Writes a line to standard error. */
  error(text: string): void;
  /** Overwrites the current standard-error line (progress); only called when `progress` is true. */
  status(text: string): void;
  readonly out: Style;
  readonly err: Style;
  readonly stdin: Readable;
  /** Columns of the terminal standard output goes to (80 when not a terminal). */
  readonly columns: number;
  /** Whether standard error is a terminal, where a progress bar may be drawn. */
  readonly progress: boolean;
}

async function writeTo(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, "drain");
}

/** The process's own terminal. */
export function processIo(): Io {
  const { stdout, stderr, stdin, env } = process;
  return {
    write: (text) => writeTo(stdout, text),
    error: (text) => {
      stderr.write(`${text}\n`);
    },
    status: (text) => {
      stderr.write(`\r\u001b[2K${text}`);
    },
    out: makeStyle(colourWanted(stdout, env)),
    err: makeStyle(colourWanted(stderr, env)),
    stdin,
    columns: stdout.isTTY ? stdout.columns || 80 : 80,
    progress: stderr.isTTY === true,
  };
}
