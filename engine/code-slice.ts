/**
 * The part of a module one node's code can reach (docs/key-spec.md, "code"). A module often
 * holds several nodes and, in a one-file pipeline, the wiring too; the node's fingerprint must
 * cover its own definition and the top-level code it uses, not its neighbours or the sweep.
 *
 * Works on the module's JavaScript after esbuild has stripped types, comments and whitespace.
 * The slice starts at the top-level statement that defines the node (`name: '<node>'`), then
 * adds, until nothing changes: every top-level declaration of a name the slice uses, and every
 * other top-level statement that touches a variable the slice uses (it might mutate it). Names
 * are matched textually, so shadowing can only add code, never drop it: the slice errs towards
 * recomputing. Imports count per binding, written as one normalised line each.
 */
import { parse } from 'acorn';

type AstNode = { type: string; start: number; end: number; [key: string]: unknown };

export interface CodeSlice {
  /** the slice's text: import lines first, then the statements in source order */
  readonly text: string;
  /** import sources the slice uses (static, side-effect and dynamic `import('…')` with a literal) */
  readonly imports: readonly string[];
}

interface TopLevel {
  readonly node: AstNode;
  /** names bound here, each with how: imports and functions cannot be changed by a later statement */
  readonly binds: ReadonlyMap<string, 'import' | 'function' | 'variable'>;
  readonly refs: ReadonlySet<string>;
  readonly definesName: boolean;
  readonly mentionsName: boolean;
  readonly dynamicImports: readonly string[];
}

function children(n: AstNode): AstNode[] {
  const out: AstNode[] = [];
  for (const [k, v] of Object.entries(n)) {
    if (k === 'type' || k === 'start' || k === 'end') continue;
    const push = (x: unknown) => {
      if (x && typeof x === 'object' && typeof (x as AstNode).type === 'string') out.push(x as AstNode);
    };
    if (Array.isArray(v)) v.forEach(push);
    else push(v);
  }
  return out;
}

/** Identifier names a subtree refers to: property names after `.` and object keys are not references. */
function collect(root: AstNode, nodeName: string, into: { refs: Set<string>; definesName: boolean; mentionsName: boolean; dynamicImports: string[] }): void {
  const visit = (n: AstNode): void => {
    switch (n.type) {
      case 'Identifier':
        into.refs.add(n.name as string);
        return;
      case 'Literal':
        if (n.value === nodeName) into.mentionsName = true;
        return;
      case 'MemberExpression':
        visit(n.object as AstNode);
        if (n.computed) visit(n.property as AstNode);
        return;
      case 'Property':
      case 'PropertyDefinition':
      case 'MethodDefinition': {
        const key = n.key as AstNode;
        if (n.computed) visit(key);
        else if (n.type === 'Property' && key.type === 'Identifier' && key.name === 'name' && (n.value as AstNode).type === 'Literal' && (n.value as AstNode).value === nodeName) {
          into.definesName = true;
        }
        if (n.value) visit(n.value as AstNode);
        return;
      }
      case 'LabeledStatement':
      case 'BreakStatement':
      case 'ContinueStatement':
        if (n.body) visit(n.body as AstNode);
        return;
      case 'ImportExpression': {
        const src = n.source as AstNode;
        if (src.type === 'Literal' && typeof src.value === 'string') into.dynamicImports.push(src.value);
        visit(src);
        return;
      }
      default:
        for (const c of children(n)) visit(c);
    }
  };
  visit(root);
}

function patternNames(p: AstNode, out: string[]): void {
  if (p.type === 'Identifier') out.push(p.name as string);
  else if (p.type === 'ObjectPattern') for (const prop of p.properties as AstNode[]) patternNames(prop.type === 'RestElement' ? (prop.argument as AstNode) : (prop.value as AstNode), out);
  else if (p.type === 'ArrayPattern') for (const e of p.elements as (AstNode | null)[]) e && patternNames(e, out);
  else if (p.type === 'RestElement') patternNames(p.argument as AstNode, out);
  else if (p.type === 'AssignmentPattern') patternNames(p.left as AstNode, out);
}

function bindings(stmt: AstNode): Map<string, 'import' | 'function' | 'variable'> {
  const out = new Map<string, 'import' | 'function' | 'variable'>();
  const decl = stmt.type === 'ExportNamedDeclaration' || stmt.type === 'ExportDefaultDeclaration' ? (stmt.declaration as AstNode | null) : stmt;
  if (!decl) return out;
  if (decl.type === 'ImportDeclaration') for (const s of decl.specifiers as AstNode[]) out.set((s.local as AstNode).name as string, 'import');
  else if ((decl.type === 'FunctionDeclaration' || decl.type === 'ClassDeclaration') && decl.id) out.set((decl.id as AstNode).name as string, 'function');
  else if (decl.type === 'VariableDeclaration') {
    const names: string[] = [];
    for (const d of decl.declarations as AstNode[]) patternNames(d.id as AstNode, names);
    for (const n of names) out.set(n, 'variable');
  }
  return out;
}

function analyse(stmt: AstNode, nodeName: string): TopLevel {
  const into = { refs: new Set<string>(), definesName: false, mentionsName: false, dynamicImports: [] as string[] };
  // an import's specifiers bind names; they reference nothing
  if (stmt.type !== 'ImportDeclaration') collect(stmt, nodeName, into);
  return { node: stmt, binds: bindings(stmt), ...into };
}

function importLines(stmt: AstNode, used: ReadonlySet<string>): string[] {
  const source = JSON.stringify((stmt.source as AstNode).value);
  const specifiers = stmt.specifiers as AstNode[];
  if (specifiers.length === 0) return [`import ${source}`];
  return specifiers
    .filter((s) => used.has((s.local as AstNode).name as string))
    .map((s) => {
      const local = (s.local as AstNode).name as string;
      if (s.type === 'ImportDefaultSpecifier') return `import ${local} from ${source}`;
      if (s.type === 'ImportNamespaceSpecifier') return `import * as ${local} from ${source}`;
      const imported = s.imported as AstNode;
      return `import {${String(imported.name ?? imported.value)} as ${local}} from ${source}`;
    });
}

/**
 * The slice of `js` (minified ES module text) that defines node `nodeName`, or undefined when no
 * top-level statement names it literally (then the whole module counts).
 */
export function sliceForNode(js: string, nodeName: string): CodeSlice | undefined {
  const program = parse(js, { ecmaVersion: 'latest', sourceType: 'module' }) as unknown as { body: AstNode[] };
  const statements = program.body.map((s) => analyse(s, nodeName));
  let roots = statements.filter((s) => s.definesName);
  if (roots.length === 0) roots = statements.filter((s) => s.mentionsName);
  if (roots.length === 0) return undefined;

  const included = new Set<TopLevel>(roots);
  const used = new Set<string>();
  const rootBindings = new Set(roots.flatMap((r) => [...r.binds.keys()]));
  for (const r of roots) for (const n of r.refs) used.add(n);
  for (let changed = true; changed; ) {
    changed = false;
    const mutable = new Set<string>();
    for (const s of included) for (const [n, how] of s.binds) if (how === 'variable' && !rootBindings.has(n)) mutable.add(n);
    for (const s of statements) {
      if (included.has(s)) continue;
      const declaresUsed = [...s.binds.keys()].some((n) => used.has(n));
      const isImport = s.node.type === 'ImportDeclaration';
      const sideEffectImport = isImport && (s.node.specifiers as AstNode[]).length === 0;
      const touchesState = !isImport && s.binds.size === 0 ? [...s.refs].some((n) => mutable.has(n)) : [...s.refs].some((n) => mutable.has(n)) && [...s.binds.values()].every((how) => how === 'variable');
      if (declaresUsed || sideEffectImport || touchesState) {
        included.add(s);
        for (const n of s.refs) used.add(n);
        changed = true;
      }
    }
  }

  const imports = new Set<string>();
  const lines: string[] = [];
  const body: string[] = [];
  for (const s of statements) {
    if (!included.has(s)) continue;
    for (const d of s.dynamicImports) imports.add(d);
    if (s.node.type === 'ImportDeclaration') {
      const l = importLines(s.node, used);
      if (l.length > 0) imports.add(String((s.node.source as AstNode).value));
      lines.push(...l);
    } else {
      body.push(js.slice(s.node.start, s.node.end));
    }
  }
  return { text: [...lines.sort(), ...body].join('\n'), imports: [...imports].sort() };
}
