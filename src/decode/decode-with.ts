/**
 * Running an io-ts codec at the API edge: unknown values in, typed wire values or
 * every type error out, each with an API-server style field path. Only types are
 * checked here; the API server's value rules are `src/validate/`.
 */
import * as t from "io-ts";
import { child, index, quote, type Issue } from "../primitives/issues.js";
import { failure, success, type Result } from "../primitives/result.js";
import { fastDecode } from "./fast-decode.js";

/** Whether a context entry's key names a field or an index rather than a union member. */
function isStructural(parent: t.Decoder<unknown, unknown>): "field" | "index" | null {
  if (parent instanceof t.UnionType || parent instanceof t.IntersectionType) return null;
  if (parent instanceof t.ArrayType) return "index";
  if (parent instanceof t.InterfaceType || parent instanceof t.PartialType || parent instanceof t.ExactType) return "field";
  if (parent instanceof t.DictionaryType || parent.name === "map of strings") return "field";
  return null;
}

/** Turns io-ts decode errors into issues with API-server style paths, one per field. */
export function issuesFromErrors(errors: t.Errors, prefix = ""): Issue[] {
  const byPath = new Map<string, Issue>();
  for (const error of errors) {
    let path = prefix;
    let expected = error.context[error.context.length - 1]?.type.name ?? "value";
    for (let i = 1; i < error.context.length; i++) {
      const entry = error.context[i]!;
      const kind = isStructural(error.context[i - 1]!.type);
      if (kind === "field") {
        path = child(path, entry.key);
        expected = entry.type.name;
      } else if (kind === "index") {
        path = index(path, Number(entry.key));
        expected = entry.type.name;
      }
    }
    if (!byPath.has(path)) byPath.set(path, { path, message: `expected ${expected}, got ${quote(error.value)}` });
  }
  // a union reports each member's failure; keep the deepest, which says what is wrong
  const paths = [...byPath.keys()];
  const deeper = (p: string): boolean => paths.some((q) => q !== p && (q.startsWith(`${p}.`) || q.startsWith(`${p}[`)));
  return [...byPath.values()].filter((i) => !deeper(i.path));
}

/**
 * Runs a codec, turning its errors into issues under `prefix`. Input the codec
 * accepts takes the compiled fast path (`fastDecode`), with the same result; the
 * codec itself runs only on input with problems, to report them.
 */
export function decodeWith<A>(codec: t.Decoder<unknown, A>, input: unknown, prefix = ""): Result<A> {
  try {
    const fast = fastDecode(codec, input);
    if (fast !== null) return success(fast.value);
    // io-ts answers with an fp-ts Either; it goes no further than this line
    const decoded = codec.decode(input);
    return decoded._tag === "Right" ? success(decoded.right) : failure(issuesFromErrors(decoded.left, prefix));
  } catch (error) {
    // io-ts recurses; absurdly deep input could exhaust the stack
    return failure([{ path: prefix, message: `cannot decode: ${error instanceof Error ? error.message : String(error)}` }]);
  }
}

