/**
 * The npm packages a module needs at run time: every package imported by it or by a file of this
 * repository it imports, transitively. Type-only imports are left out (they are erased); Node's
 * built-in modules too.
 */
import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import * as path from "node:path";
import ts from "typescript";

const BUILTIN = new Set(builtinModules);

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
const packageOf = (specifier: string): string => specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/");

function runtimeSpecifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) specifiers.push((node.moduleSpecifier as ts.StringLiteral).text);
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) specifiers.push((node.moduleSpecifier as ts.StringLiteral).text);
    else if (ts.isCallExpression(node) && (node.expression.getText(source) === "require" || node.expression.kind === ts.SyntaxKind.ImportKeyword)) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteral(arg)) specifiers.push(arg.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

function resolveLocal(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  const file = [`${base}.ts`, path.join(base, "index.ts"), base].find((f) => existsSync(f) && f.endsWith(".ts"));
  if (!file) throw new Error(`${from}: cannot resolve '${specifier}' to a .ts file`);
  return file;
}

export function importedPackages(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of runtimeSpecifiers(file)) {
      if (specifier.startsWith(".")) pending.push(resolveLocal(file, specifier));
      else if (!specifier.startsWith("node:") && !BUILTIN.has(packageOf(specifier))) packages.add(packageOf(specifier));
    }
  }
  return packages;
}
