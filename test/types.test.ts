// The public types, checked by the TypeScript compiler itself: the documented calls of
// test/types/api-usage.ts compile and the wrong ones fail exactly where their
// `@ts-expect-error` says (an unneeded one is an error too), and every type a public
// signature mentions is exported from src/index.ts, none from io-ts or fp-ts.
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import ts from "typescript";

const ROOT = new URL("..", import.meta.url).pathname;
const FIXTURE = join(ROOT, "test/types/api-usage.ts");
const INDEX = join(ROOT, "src/index.ts");

/** One program over the fixture (and through it src/), with the project's compiler options. */
function program(): ts.Program {
  const config = ts.readConfigFile(join(ROOT, "tsconfig.json"), (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  return ts.createProgram([FIXTURE], { ...options, noEmit: true });
}

const built = program();
const checker = built.getTypeChecker();

test("the documented calls compile and the wrong ones do not (each @ts-expect-error is needed)", () => {
  const problems = ts.getPreEmitDiagnostics(built).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName.slice(ROOT.length)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : "";
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
  assert.equal(problems, []);
  const text = built.getSourceFile(FIXTURE)!.text;
  assert.ok((text.match(/@ts-expect-error/g) ?? []).length >= 5, "the fixture has its wrong calls");
  assert.match(text, "createEngine({ cluster: { namespacez: 1 }, policies: [42] })");
});

/** Where a declaration lives, relative to the repository. */
const fileOf = (d: ts.Declaration): string => d.getSourceFile().fileName.slice(ROOT.length);

/**
 * Every named type a public signature reaches from src/index.ts's exports, with where
 * it was reached from: interfaces, type aliases and classes, through properties,
 * call signatures, type arguments, unions and intersections (private members skipped).
 */
function reachableTypes(): Map<ts.Symbol, string> {
  const index = checker.getSymbolAtLocation(built.getSourceFile(INDEX)!)!;
  const found = new Map<ts.Symbol, string>();
  const seen = new Set<ts.Type>();
  const named = (symbol: ts.Symbol | undefined, from: string): void => {
    if (symbol === undefined) return;
    const declaration = symbol.declarations?.[0];
    if (declaration === undefined || ts.isTypeParameterDeclaration(declaration)) return;
    if (ts.isInterfaceDeclaration(declaration) || ts.isTypeAliasDeclaration(declaration) || ts.isClassDeclaration(declaration)) {
      if (!found.has(symbol)) found.set(symbol, from);
    }
  };
  const walk = (type: ts.Type, from: string): void => {
    if (seen.has(type)) return;
    seen.add(type);
    named(type.aliasSymbol, from);
    for (const t of type.aliasTypeArguments ?? []) walk(t, from);
    named(type.getSymbol(), from);
    if (type.isUnionOrIntersection()) for (const t of type.types) walk(t, from);
    if (type.flags & ts.TypeFlags.Object) {
      const object = type as ts.ObjectType;
      if (object.objectFlags & ts.ObjectFlags.Reference) for (const t of checker.getTypeArguments(object as ts.TypeReference)) walk(t, from);
      const declaration = type.getSymbol()?.declarations?.[0];
      // lib types (Uint32Array, Map...) are walked for their type arguments only
      if (declaration !== undefined && declaration.getSourceFile().hasNoDefaultLib) return;
      for (const property of checker.getPropertiesOfType(type)) {
        const d = property.valueDeclaration ?? property.declarations?.[0];
        if (d === undefined || ts.getCombinedModifierFlags(d) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
        if (property.name.startsWith("__")) continue; // brands
        walk(checker.getTypeOfSymbolAtLocation(property, d), `${from}.${property.name}`);
      }
      for (const kind of [ts.SignatureKind.Call, ts.SignatureKind.Construct]) {
        for (const signature of checker.getSignaturesOfType(type, kind)) {
          for (const p of signature.getParameters()) walk(checker.getTypeOfSymbolAtLocation(p, p.valueDeclaration!), `${from}(${p.name})`);
          walk(signature.getReturnType(), `${from}()`);
        }
      }
    }
  };
  for (const exported of checker.getExportsOfModule(index)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declaration = symbol.declarations?.[0];
    if (declaration === undefined) continue;
    named(symbol, exported.name);
    if (symbol.flags & ts.SymbolFlags.Type) walk(checker.getDeclaredTypeOfSymbol(symbol), exported.name);
    if (symbol.flags & ts.SymbolFlags.Value) walk(checker.getTypeOfSymbolAtLocation(symbol, declaration), exported.name);
  }
  return found;
}

test("every type a public signature mentions is exported, and none comes from io-ts or fp-ts", () => {
  const index = checker.getSymbolAtLocation(built.getSourceFile(INDEX)!)!;
  const exported = new Set(checker.getExportsOfModule(index).map((s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s)));
  const missing: string[] = [];
  const leaked: string[] = [];
  for (const [symbol, from] of reachableTypes()) {
    const file = fileOf(symbol.declarations![0]!);
    if (/node_modules\/(io-ts|fp-ts)\//.test(file)) leaked.push(`${symbol.name} (${file}), reached from ${from}`);
    else if (file.startsWith("src/") && !exported.has(symbol)) missing.push(`${symbol.name} (${file}), reached from ${from}`);
  }
  assert.equal(leaked, [], `io-ts/fp-ts types in the public API:\n${leaked.join("\n")}`);
  assert.equal(missing, [], `types in public signatures but not exported from src/index.ts:\n${missing.join("\n")}`);
});

test("the walk sees through to nested types (its own oracle)", () => {
  const names = new Set([...reachableTypes().keys()].map((s) => s.name));
  // reached only through Engine.decide's Decision.explanation.egress.allowedBy
  for (const name of ["Engine", "Decision", "Explanation", "SideExplanation", "RuleRef", "PolicyRef", "ClusterPodManifest"]) assert.ok(names.has(name), name);
});

test.run();
