// The Worker build's copy of src/http without the text that only the OpenAPI document reads.
//
// The Worker serves /openapi.json, /llms.txt and the MCP tool list from the document generated at build time
// (scripts/build-worker.mjs writes it into the static assets; src/http/api-document.prebuilt.ts reads it), so the
// descriptions, examples and summaries attached to the zod schemas and routes only for the generator are dead
// weight in it. This removes them from the source text before esbuild sees it, with the TypeScript parser
// (never a regular expression over code):
// - `schema.openapi(…)` → `schema` (zod-to-openapi metadata: refs, descriptions, examples, parameter info);
//   `app.openapi(route, handler)` (a route registration) stays;
// - in a `createRoute({…})` argument, the documentation-only members: `summary`, `description`, `tags`,
//   `operationId`, `responses`, and request bodies' `examples`/`example` (the request schemas, the body's
//   `required`, the method and path are what @hono/zod-openapi's `openapi()` reads at run time);
// - in an `integerQuery({…})` argument, `description` and `example` (they only feed its `.openapi(…)`);
// - then the module's own top-level declarations nothing refers to any more (named examples, the functions
//   computing example answers, description texts), when they are functions, literals or text: esbuild keeps an
//   object literal with a spread (`{ ...proposalExamples, … }`) or a string with a `${…}` even unused, as
//   either may run a getter or a toString; and exported documentation examples (`…Example`, `…Examples`)
//   the module itself no longer uses (if another module of the Worker still imported one, the build would
//   fail on the missing export).
// Validation is untouched: checks, their messages, refinements and transforms stay as written. The Node server,
// the tests and the generator run the unchanged sources; scripts/check-bundle.ts shows the stripped Worker
// answers every request byte for byte as they do.
import ts from 'typescript';

const routeDocKeys = new Set(['summary', 'description', 'tags', 'operationId', 'responses', 'examples', 'example']);
const helperDocKeys = { integerQuery: new Set(['description', 'example']) };

/** Source text with the spans above removed; `fileName` only names the file in errors. */
export function stripApiDocs(text, fileName) {
  let out = cutSpans(text, documentationSpans(text, fileName));
  for (;;) {
    const unused = unusedDeclarations(out, fileName);
    if (unused.length === 0) return markPure(out, fileName);
    out = cutSpans(out, unused);
  }
}

/**
 * Every call in the initializer of a top-level constant marked `/* @__PURE__ *\/`, so that esbuild leaves the
 * constant out when no module of the Worker uses it: the answer schemas (`PlanSchema`, …), now read only by
 * the document generated at build time. esbuild cannot know that `z.object({…}).strict()` only builds a value;
 * a used constant is evaluated exactly as before. Top-level constants of src/http build values (schemas,
 * middleware, tables); none registers anything, which scripts/check-bundle.ts's comparison would show.
 */
export function markPure(text, fileName) {
  const source = ts.createSourceFile(
    fileName,
    text,
    ts.ScriptTarget.Latest,
    true,
    fileName.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS,
  );
  const positions = [];
  const visit = (node) => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return; // evaluated when called, not at load
    if (ts.isCallExpression(node)) positions.push(node.getStart(source));
    ts.forEachChild(node, visit);
  };
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations)
      if (declaration.initializer) visit(declaration.initializer);
  }
  positions.sort((a, b) => a - b);
  let out = '';
  let at = 0;
  for (const position of positions) {
    out += `${text.slice(at, position)}/* @__PURE__ */ `;
    at = position;
  }
  return out + text.slice(at);
}

function cutSpans(text, cuts) {
  cuts.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = '';
  let at = 0;
  for (const [start, end] of cuts) {
    if (start < at) continue; // inside a span already cut
    out += text.slice(at, start);
    at = end;
  }
  return out + text.slice(at);
}

/**
 * Initializers whose evaluation has no effect, so an unreferenced declaration of one can go: literals,
 * functions, and text built from literals and the values of other names (`'…' + \`…${limits.x}…\``).
 */
const inert = (node) =>
  ts.isObjectLiteralExpression(node) ||
  ts.isArrayLiteralExpression(node) ||
  ts.isArrowFunction(node) ||
  ts.isFunctionExpression(node) ||
  ts.isStringLiteral(node) ||
  ts.isNoSubstitutionTemplateLiteral(node) ||
  isText(node);

const isText = (node) =>
  ts.isStringLiteral(node) ||
  ts.isNoSubstitutionTemplateLiteral(node) ||
  ts.isIdentifier(node) ||
  ts.isPropertyAccessExpression(node) ||
  (ts.isParenthesizedExpression(node) && isText(node.expression)) ||
  (ts.isTemplateExpression(node) && node.templateSpans.every((span) => isText(span.expression))) ||
  (ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.PlusToken &&
    isText(node.left) &&
    isText(node.right));

/** Exported documentation examples (`proposalExamples`, `queuedJobExample`): gone with what they document. */
const documentationExample = /Examples?$/;

/** Spans of top-level, unexported functions and constants (of inert initializers) never referenced in the file. */
function unusedDeclarations(text, fileName) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const candidates = new Map();
  for (const statement of source.statements) {
    const exported = statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (ts.isFunctionDeclaration(statement) && statement.name && !exported)
      candidates.set(statement.name.text, statement);
    if (ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1) {
      const [declaration] = statement.declarationList.declarations;
      if (!ts.isIdentifier(declaration.name) || !declaration.initializer || !inert(declaration.initializer)) continue;
      // An exported example that a module of the Worker still imports fails the build (esbuild: no such export).
      if (!exported || documentationExample.test(declaration.name.text))
        candidates.set(declaration.name.text, statement);
    }
  }
  const referenced = new Set();
  const visit = (node) => {
    if (ts.isIdentifier(node) && candidates.has(node.text)) {
      const declaration = candidates.get(node.text);
      const isOwnName =
        node.parent === declaration ||
        (ts.isVariableDeclaration(node.parent) && node.parent.parent?.parent === declaration);
      if (!isOwnName) referenced.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...candidates]
    .filter(([name]) => !referenced.has(name))
    .map(([, statement]) => [statement.getFullStart(), statement.end]);
}

function documentationSpans(text, fileName) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  /** [start, end) spans to delete, outermost first wins. */
  const cuts = [];

  const cutProperties = (object, keys, recurse) => {
    for (const property of object.properties) {
      const name = property.name && ts.isIdentifier(property.name) ? property.name.text : undefined;
      if (name && keys.has(name)) {
        // The property and the comma after it (or before it, for the last one).
        const next = text.slice(property.end).match(/^\s*,/);
        cuts.push([property.getFullStart(), property.end + (next ? next[0].length : 0)]);
      } else if (recurse && ts.isPropertyAssignment(property) && name !== 'schema') {
        if (ts.isObjectLiteralExpression(property.initializer)) cutProperties(property.initializer, keys, true);
      }
    }
  };

  const visit = (node) => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (
        ts.isPropertyAccessExpression(callee) &&
        callee.name.text === 'openapi' &&
        !(ts.isIdentifier(callee.expression) && callee.expression.text === 'app')
      ) {
        // From the end of the receiver to the end of the call: `.openapi(…)` and any line break before it.
        cuts.push([callee.expression.end, node.end]);
      } else if (ts.isIdentifier(callee) && node.arguments[0] && ts.isObjectLiteralExpression(node.arguments[0])) {
        if (callee.text === 'createRoute') cutProperties(node.arguments[0], routeDocKeys, true);
        else if (helperDocKeys[callee.text]) cutProperties(node.arguments[0], helperDocKeys[callee.text], false);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return cuts;
}
