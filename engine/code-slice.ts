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
  /** an `import(…)` whose specifier is not a literal: what it loads cannot be sliced */
  readonly dynamicImportComputed: boolean;
  /** names whose binding or object this statement changes (`x = …`, `x.k = …`, `x++`, `Object.assign(x, …)`) */
  readonly assigns: ReadonlySet<string>;
  /** code that runs when the module loads even though it declares something (a class's static parts) */
  readonly runsOnLoad: boolean;
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
/** The identifier at the base of an assignment target: `x` in `x`, `x.a`, `x[i].b`. */
function baseName(target: AstNode): string | undefined {
  let t = target;
  while (t.type === 'MemberExpression') t = t.object as AstNode;
  return t.type === 'Identifier' ? (t.name as string) : undefined;
}

interface Collected {
  refs: Set<string>;
  definesName: boolean;
  mentionsName: boolean;
  dynamicImports: string[];
  dynamicImportComputed: boolean;
  assigns: Set<string>;
}

function collect(root: AstNode, nodeName: string, into: Collected): void {
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
        else into.dynamicImportComputed = true;
        visit(src);
        return;
      }
      case 'AssignmentExpression':
      case 'UpdateExpression': {
        const target = (n.type === 'AssignmentExpression' ? n.left : n.argument) as AstNode;
        const base = baseName(target);
        if (base) into.assigns.add(base);
        for (const c of children(n)) visit(c);
        return;
      }
      case 'CallExpression': {
        // Object.assign(x, …), Object.defineProperty(x, …) change x
        const callee = n.callee as AstNode;
        const first = (n.arguments as AstNode[])[0];
        if (callee.type === 'MemberExpression' && (callee.object as AstNode).type === 'Identifier' && (callee.object as AstNode).name === 'Object' && first) {
          const base = baseName(first);
          if (base) into.assigns.add(base);
        }
        for (const c of children(n)) visit(c);
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

/** `var` declared inside a top-level block, loop or `if` is module-scoped: find it without entering functions. */
function nestedVars(stmt: AstNode, out: Map<string, 'import' | 'function' | 'variable'>): void {
  const visit = (n: AstNode): void => {
    if (/Function|Class/.test(n.type)) return;
    if (n.type === 'VariableDeclaration' && n.kind === 'var') {
      const names: string[] = [];
      for (const d of n.declarations as AstNode[]) patternNames(d.id as AstNode, names);
      for (const name of names) out.set(name, 'variable');
    }
    for (const c of children(n)) visit(c);
  };
  for (const c of children(stmt)) visit(c);
}

function bindings(stmt: AstNode): Map<string, 'import' | 'function' | 'variable'> {
  const out = new Map<string, 'import' | 'function' | 'variable'>();
  const decl = stmt.type === 'ExportNamedDeclaration' || stmt.type === 'ExportDefaultDeclaration' ? (stmt.declaration as AstNode | null) : stmt;
  if (!decl) return out;
  if (!/Declaration$/.test(decl.type)) {
    nestedVars(decl, out);
    return out;
  }
  if (decl.type === 'ImportDeclaration') for (const s of decl.specifiers as AstNode[]) out.set((s.local as AstNode).name as string, 'import');
  else if ((decl.type === 'FunctionDeclaration' || decl.type === 'ClassDeclaration') && decl.id) out.set((decl.id as AstNode).name as string, 'function');
  else if (decl.type === 'VariableDeclaration') {
    const names: string[] = [];
    for (const d of decl.declarations as AstNode[]) patternNames(d.id as AstNode, names);
    for (const n of names) out.set(n, 'variable');
  }
  return out;
}

/** A class whose static blocks or static field initialisers run when the module loads. */
function hasStaticInit(stmt: AstNode): boolean {
  const decl = stmt.type === 'ExportNamedDeclaration' || stmt.type === 'ExportDefaultDeclaration' ? (stmt.declaration as AstNode | null) : stmt;
  if (decl?.type !== 'ClassDeclaration') return false;
  return ((decl.body as AstNode).body as AstNode[]).some((m) => m.type === 'StaticBlock' || (m.type === 'PropertyDefinition' && m.static && m.value));
}

function analyse(stmt: AstNode, nodeName: string): TopLevel {
  const into: Collected = { refs: new Set(), definesName: false, mentionsName: false, dynamicImports: [], dynamicImportComputed: false, assigns: new Set() };
  // an import's specifiers bind names; they reference nothing
  if (stmt.type !== 'ImportDeclaration') collect(stmt, nodeName, into);
  return { node: stmt, binds: bindings(stmt), runsOnLoad: hasStaticInit(stmt), ...into };
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
 * Each statement's references plus, transitively, those of the top-level functions and classes
 * (declared, or assigned to a const) it names: calling `fill()` touches what `fill` touches.
 */
function effectiveRefs(statements: readonly TopLevel[]): (s: TopLevel) => ReadonlySet<string> {
  const bodies = new Map<string, ReadonlySet<string>>();
  for (const s of statements) {
    const decl = (s.node.declaration as AstNode | null) ?? s.node;
    const callable =
      decl.type === 'FunctionDeclaration' ||
      decl.type === 'ClassDeclaration' ||
      (decl.type === 'VariableDeclaration' && (decl.declarations as AstNode[]).every((d) => /Function|Class/.test(((d.init as AstNode | null)?.type ?? ''))));
    if (callable) for (const n of s.binds.keys()) bodies.set(n, s.refs);
  }
  const cache = new Map<TopLevel, ReadonlySet<string>>();
  return (s) => {
    let out = cache.get(s);
    if (out) return out;
    const all = new Set(s.refs);
    const stack = [...all];
    while (stack.length > 0) {
      for (const r of bodies.get(stack.pop()!) ?? []) {
        if (!all.has(r)) {
          all.add(r);
          stack.push(r);
        }
      }
    }
    cache.set(s, (out = all));
    return out;
  };
}

/**
 * The slice of `js` (minified ES module text) that defines node `nodeName`, or undefined when the
 * whole module must count: no top-level statement names the node literally, or the module imports
 * a computed path.
 */
export function sliceForNode(js: string, nodeName: string): CodeSlice | undefined {
  const program = parse(js, { ecmaVersion: 'latest', sourceType: 'module' }) as unknown as { body: AstNode[] };
  const statements = program.body.map((s) => analyse(s, nodeName));
  // only a definition that names the node literally (`name: '<node>'`) roots a slice; anything
  // less certain, or code that imports a computed path, counts the whole module
  const roots = statements.filter((s) => s.definesName);
  if (roots.length === 0 || statements.some((s) => s.dynamicImportComputed)) return undefined;

  const included = new Set<TopLevel>(roots);
  const used = new Set<string>();
  const rootBindings = new Set(roots.flatMap((r) => [...r.binds.keys()]));
  for (const r of roots) for (const n of r.refs) used.add(n);
  const effective = effectiveRefs(statements);
  const isDeclaration = (s: TopLevel) => s.node.type === 'ImportDeclaration' || /Declaration$/.test(((s.node.declaration as AstNode | null) ?? s.node).type);
  for (let changed = true; changed; ) {
    changed = false;
    const mutable = new Set<string>();
    for (const s of included) for (const [n, how] of s.binds) if (how === 'variable' && !rootBindings.has(n)) mutable.add(n);
    const touched = (names: ReadonlySet<string>, of: ReadonlySet<string>) => [...names].some((n) => of.has(n) && !rootBindings.has(n));
    for (const s of statements) {
      if (included.has(s)) continue;
      const refs = effective(s);
      const include =
        [...s.binds.keys()].some((n) => used.has(n)) || // declares something the slice uses
        (s.node.type === 'ImportDeclaration' && (s.node.specifiers as AstNode[]).length === 0) || // a side-effect import
        [...s.assigns].some((n) => used.has(n) || rootBindings.has(n)) || // changes what the slice uses, or the node itself
        ((!isDeclaration(s) || s.runsOnLoad) && touched(refs, used)) || // code that runs at load and touches it
        (isDeclaration(s) && [...s.binds.values()].every((how) => how === 'variable') && touched(refs, mutable)); // an initialiser that may change its state
      if (include) {
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
