// Doc-comment coverage of hebb's public API: every name src/index.ts exports, and every member of
// the namespaces it exports (hb.layers.dense, hb.optimizers.adam, hb.io.saveSafetensors …), must
// carry a doc comment (`/** … */`) on its declaration, because that comment is what the API reference
// (`npm run docs`, TypeDoc) shows. Class members and interface fields are not counted.
//
//   npx tsx scripts/doc-coverage.ts            # the coverage, and the names without a comment
//   npx tsx scripts/doc-coverage.ts --json     # the same as JSON
//
// test/docs/doc-coverage.test.ts runs this in `npm test` and fails with the missing names.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** One exported name: its dotted path from `hb` and whether its declaration has a doc comment. */
export interface ExportedName {
  name: string;
  kind: string;
  documented: boolean;
  /** `file:line` of the declaration that should carry the comment, relative to the repository. */
  where: string;
}

export interface DocCoverage {
  names: ExportedName[];
  documented: number;
  total: number;
  missing: ExportedName[];
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function kindOf(symbol: ts.Symbol): string {
  const f = symbol.flags;
  if (f & ts.SymbolFlags.Class) return 'class';
  if (f & ts.SymbolFlags.Function) return 'function';
  if (f & ts.SymbolFlags.Interface) return 'interface';
  if (f & ts.SymbolFlags.TypeAlias) return 'type';
  if (f & ts.SymbolFlags.Enum) return 'enum';
  if (f & ts.SymbolFlags.ValueModule) return 'namespace';
  if (f & ts.SymbolFlags.Variable) return 'variable';
  if (f & ts.SymbolFlags.Property) return 'property';
  if (f & ts.SymbolFlags.NamespaceModule) return 'namespace';
  return 'other';
}

/** Whether a declaration (or, for a variable, its statement) carries a `/** … *\/` comment. */
function hasDocComment(decl: ts.Node): boolean {
  // A namespace re-export (`export * as layers from …`) is documented by a comment on that
  // statement; a variable by one on its `const` statement; anything else on itself.
  let node: ts.Node = decl;
  if (ts.isNamespaceExport(node)) node = node.parent;
  // `export const [Conv1D, Conv2D, Conv3D] = …`: one comment on the statement documents all three.
  while (
    ts.isBindingElement(node) ||
    ts.isArrayBindingPattern(node) ||
    ts.isObjectBindingPattern(node) ||
    ts.isVariableDeclaration(node)
  )
    node = node.parent;
  if (ts.isVariableDeclarationList(node)) node = node.parent;
  // The TypeScript parser attaches doc comments to the node as `jsDoc` (not in the public typings).
  const jsDoc = (node as ts.Node & { jsDoc?: ts.JSDoc[] }).jsDoc;
  return !!jsDoc?.some((d) => (typeof d.comment === 'string' ? d.comment.trim() !== '' : !!d.comment?.length));
}

/** Whether a file opens with a `/** … @module *\/` comment (TypeDoc's comment for its namespace). */
function hasModuleComment(sf: ts.SourceFile): boolean {
  const text = sf.getFullText();
  return (ts.getLeadingCommentRanges(text, 0) ?? []).some((r) => {
    const c = text.slice(r.pos, r.end);
    return c.startsWith('/**') && /@module\b/.test(c);
  });
}

function location(decl: ts.Node): string {
  const sf = decl.getSourceFile();
  const { line } = sf.getLineAndCharacterOfPosition(decl.getStart(sf));
  return `${path.relative(ROOT, sf.fileName)}:${line + 1}`;
}

/** Walks the public entry's exports (and its namespaces' exports) with the TypeScript compiler. */
export function docCoverage(entry = path.join(ROOT, 'src/index.ts')): DocCoverage {
  const program = ts.createProgram([entry], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(entry);
  if (!sf) throw new Error(`doc-coverage: cannot read ${entry}`);
  const moduleSymbol = checker.getSymbolAtLocation(sf);
  if (!moduleSymbol) throw new Error(`doc-coverage: ${entry} is not a module`);

  const names: ExportedName[] = [];
  const seen = new Set<string>();

  const visit = (name: string, exported: ts.Symbol, depth: number): void => {
    if (seen.has(name)) return;
    seen.add(name);
    // For `export * as ns from …` the comment sits on that statement; for `export { a } from …`
    // on the original declaration, which the alias resolves to.
    let aliasDecl = exported.declarations?.[0];
    // Follow re-exports (`export { layers } from './nn/index.js'`) to an `export * as layers` if any.
    for (let s = exported; s.flags & ts.SymbolFlags.Alias && !(aliasDecl && ts.isNamespaceExport(aliasDecl));) {
      const next = checker.getImmediateAliasedSymbol(s);
      if (!next || next === s) break;
      s = next;
      if (s.declarations?.[0] && !ts.isSourceFile(s.declarations[0])) aliasDecl = s.declarations[0];
    }
    const isNamespaceReexport = !!aliasDecl && ts.isNamespaceExport(aliasDecl);
    const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const decls = (target.declarations ?? []).filter((d) => !ts.isSourceFile(d));
    const moduleFile = target.declarations?.find(ts.isSourceFile);
    const commentSites = isNamespaceReexport || (moduleFile && aliasDecl) ? [aliasDecl!] : decls;
    // A value merged with a type-only namespace (hb.io) is documented by either declaration. A
    // namespace is documented by its file's `/** … @module */` comment, or by a comment on an
    // `export * as` in the entry itself (TypeDoc ignores one on a re-exported `export * as`).
    const inEntry = !!aliasDecl && aliasDecl.getSourceFile() === sf;
    const documented =
      (moduleFile ? inEntry && commentSites.some(hasDocComment) : commentSites.some(hasDocComment)) ||
      (!!moduleFile && hasModuleComment(moduleFile));
    const site = commentSites[0] ?? aliasDecl;
    names.push({
      name,
      kind: isNamespaceReexport ? 'namespace' : kindOf(target),
      documented,
      where: site ? location(site) : '?',
    });
    if (depth >= 2) return;
    if (isNamespaceReexport || moduleFile) {
      for (const member of checker.getExportsOfModule(target)) visit(`${name}.${member.name}`, member, depth + 1);
      return;
    }
    // An object that is also declared a namespace (hb.io = { ...ioFormats, exportOnnx, … } merged with
    // `declare namespace io`): its members are documented where they are declared. A plain object
    // such as hb.flags is one name.
    const decl = decls.find(ts.isVariableDeclaration);
    const isNamespaceObject = !!(target.flags & ts.SymbolFlags.NamespaceModule);
    if (isNamespaceObject && decl?.initializer && ts.isObjectLiteralExpression(decl.initializer)) {
      for (const prop of checker.getTypeOfSymbol(target).getProperties()) {
        const shorthand = prop.declarations?.find(ts.isShorthandPropertyAssignment);
        const origin = shorthand ? checker.getShorthandAssignmentValueSymbol(shorthand) : prop;
        visit(`${name}.${prop.name}`, origin ?? prop, depth + 1);
      }
    }
  };

  for (const exported of checker.getExportsOfModule(moduleSymbol)) visit(exported.name, exported, 0);
  names.sort((a, b) => a.name.localeCompare(b.name));
  const missing = names.filter((n) => !n.documented);
  return { names, documented: names.length - missing.length, total: names.length, missing };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const cov = docCoverage();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(cov, null, 2));
  } else {
    for (const m of cov.missing) console.log(`missing  ${m.kind.padEnd(9)} ${m.name.padEnd(44)} ${m.where}`);
    const pct = ((100 * cov.documented) / Math.max(1, cov.total)).toFixed(1);
    console.log(`doc-comment coverage: ${cov.documented} / ${cov.total} exported names (${pct} %)`);
  }
}
