// Fails when the scenario silences the type checker instead of satisfying it:
// any `as` cast (but `as const`), a non-null assertion `x!`, an `any` type,
// or a `@ts-ignore` / `@ts-expect-error` / `@ts-nocheck` comment.
// Usage: node no-escape-hatches.mjs FILE.ts...   (run from the tools folder,
// where `typescript` is installed)
import { readFileSync } from "node:fs";
import ts from "typescript";

let found = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const report = (node, what) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    console.error(`${file}:${line + 1}: ${what}: ${node.getText(source).slice(0, 80)}`);
    found += 1;
  };
  const visit = (node) => {
    if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) {
      const isConst = ts.isTypeReferenceNode(node.type) && node.type.getText(source) === "const";
      if (!isConst) report(node, "a type cast");
    } else if (ts.isNonNullExpression(node)) {
      report(node, "a non-null assertion");
    } else if (node.kind === ts.SyntaxKind.AnyKeyword) {
      report(node, "an `any` type");
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  text.split("\n").forEach((line, i) => {
    if (/@ts-(ignore|expect-error|nocheck)/.test(line)) {
      console.error(`${file}:${i + 1}: a @ts- comment`);
      found += 1;
    }
  });
}
if (found > 0) {
  console.error(`${found} escape hatch(es) found`);
  process.exit(1);
}
