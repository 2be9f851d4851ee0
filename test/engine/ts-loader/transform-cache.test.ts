/**
 * The TypeScript hooks (engine/ts-loader) keep tsx's output in a cache so that a start whose files
 * did not change never loads tsx. A cache of compiled code must never run stale code: these
 * tests pin that an edited file, an edited tsconfig and a file's new imports are seen at once,
 * and that stack traces still name the .ts line on a cache hit.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../engine/project.ts';

const work = mkdtempSync(join(tmpdir(), 'ff-ts-loader-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const register = pathToFileURL(join(projectRoot, 'engine/ts-loader/register.mjs')).href;

/** A fresh project folder (type: module) with its own cache home (XDG_CACHE_HOME), so its transform cache starts empty. */
function project(name: string): { dir: string; cache: string } {
  const dir = join(work, name);
  const tmp = join(dir, '.tmp');
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  return { dir, cache: tmp };
}

/** Import `entry` (a .ts file) under the hooks in a new node process; its stdout and stderr. */
function importTs(p: { dir: string; cache: string }, entry: string): { stdout: string; stderr: string; status: number | null } {
  const script = `const { registerTypeScript } = await import(${JSON.stringify(register)}); registerTypeScript(); await import(${JSON.stringify(pathToFileURL(join(p.dir, entry)).href)});`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: p.dir, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: p.cache } });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const cacheFolder = (p: { cache: string }) => join(p.cache, 'featureflow', 'ts-transforms');
const cacheEntries = (p: { cache: string }) => {
  try {
    return readdirSync(cacheFolder(p)).length;
  } catch {
    return 0;
  }
};

/**
 * Edits `config` (the tsconfig or a config it extends) between two starts and expects the compiled
 * code to follow: with useDefineForClassFields a field without initialiser shadows the base's
 * accessor (undefined), without it the accessor shows through.
 */
function expectClassFieldsFollow(p: { dir: string; cache: string }, config: string): void {
  writeFileSync(join(p.dir, 'main.ts'), "class Base { get x() { return 'accessor'; } }\nclass Plain extends Base { x!: string; }\nconsole.log(new Plain().x);\n");
  writeFileSync(config, '{ "compilerOptions": { "target": "es2022", "useDefineForClassFields": true } }\n');
  expect(importTs(p, 'main.ts').stdout).toBe('undefined\n');
  writeFileSync(config, '{ "compilerOptions": { "target": "es2022", "useDefineForClassFields": false } }\n');
  expect(importTs(p, 'main.ts').stdout).toBe('accessor\n');
}

describe('the TypeScript hooks’ transform cache', () => {
  it('compiles a file once, then serves it, and an edit is seen on the next start', () => {
    const p = project('edit');
    writeFileSync(join(p.dir, 'main.ts'), "const answer: number = 41;\nconsole.log('answer', answer);\n");
    expect(importTs(p, 'main.ts').stdout).toBe('answer 41\n');
    expect(cacheEntries(p)).toBe(1);
    expect(importTs(p, 'main.ts').stdout).toBe('answer 41\n');
    // the same length and the same second: only the bytes differ
    writeFileSync(join(p.dir, 'main.ts'), "const answer: number = 42;\nconsole.log('answer', answer);\n");
    expect(importTs(p, 'main.ts').stdout).toBe('answer 42\n');
  });

  it('never runs an entry that was cut short or changed on disk: it compiles again', () => {
    const p = project('damaged');
    writeFileSync(join(p.dir, 'main.ts'), "const n: number = 7;\nconsole.log('n', n);\n");
    expect(importTs(p, 'main.ts').stdout).toBe('n 7\n');
    const [entry] = readdirSync(cacheFolder(p));
    const path = join(cacheFolder(p), entry!);
    const whole = readFileSync(path, 'utf8');
    writeFileSync(path, whole.slice(0, whole.indexOf('console.log')));
    expect(importTs(p, 'main.ts').stdout).toBe('n 7\n');
    writeFileSync(path, whole.replace("'n', n", "'tampered', n"));
    expect(importTs(p, 'main.ts').stdout).toBe('n 7\n');
  });

  it('never reads or writes a cache folder that others may write to', () => {
    const p = project('shared-folder');
    mkdirSync(cacheFolder(p), { recursive: true });
    chmodSync(cacheFolder(p), 0o777);
    writeFileSync(join(p.dir, 'main.ts'), "console.log('ran' as string);\n");
    expect(importTs(p, 'main.ts').stdout).toBe('ran\n');
    expect(cacheEntries(p)).toBe(0);
    chmodSync(cacheFolder(p), 0o700);
    expect(importTs(p, 'main.ts').stdout).toBe('ran\n');
    expect(cacheEntries(p)).toBe(1);
  });

  it('prunes entries written weeks ago once the folder is large, keeping recent ones', () => {
    const p = project('prune');
    mkdirSync(cacheFolder(p), { recursive: true });
    const old = new Date(Date.now() - 30 * 24 * 3600 * 1000);
    for (let i = 0; i < 2001; i++) {
      const f = join(cacheFolder(p), `old-${i}.mjs`);
      writeFileSync(f, '');
      utimesSync(f, old, old);
    }
    writeFileSync(join(cacheFolder(p), 'recent.mjs'), '');
    writeFileSync(join(p.dir, 'main.ts'), "console.log('pruned' as string);\n");
    expect(importTs(p, 'main.ts').stdout).toBe('pruned\n');
    expect(existsSync(join(cacheFolder(p), 'old-0.mjs'))).toBe(false);
    expect(existsSync(join(cacheFolder(p), 'recent.mjs'))).toBe(true);
    expect(cacheEntries(p)).toBe(2);
  });

  it("resolves TypeScript's import spellings (./x.js for x.ts, no extension) and sees a new import", () => {
    const p = project('imports');
    writeFileSync(join(p.dir, 'a.ts'), 'export const a: string = "from a";\n');
    writeFileSync(join(p.dir, 'b.ts'), 'export const b: string = "from b";\n');
    writeFileSync(join(p.dir, 'main.ts'), "import { a } from './a.js';\nconsole.log(a);\n");
    expect(importTs(p, 'main.ts').stdout).toBe('from a\n');
    writeFileSync(join(p.dir, 'main.ts'), "import { a } from './a.js';\nimport { b } from './b';\nconsole.log(a, b);\n");
    expect(importTs(p, 'main.ts').stdout).toBe('from a from b\n');
  });

  it('takes x.ts for ./x.js even beside a compiled x.js, as TypeScript means it', () => {
    const p = project('ts-first');
    writeFileSync(join(p.dir, 'util.ts'), "export const from: string = 'util.ts (source)';\n");
    writeFileSync(join(p.dir, 'util.js'), "export const from = 'util.js (stale build)';\n");
    writeFileSync(join(p.dir, 'main.ts'), "import { from } from './util.js';\nconsole.log(from);\n");
    expect(importTs(p, 'main.ts').stdout).toBe('util.ts (source)\n');
  });

  it('keeps named imports from a CommonJS TypeScript package working when the importer comes from the cache', () => {
    const p = project('commonjs-ts');
    const pkg = join(p.dir, 'node_modules', 'shared');
    mkdirSync(pkg, { recursive: true });
    // a workspace package that ships TS sources and no "type": CommonJS TypeScript
    writeFileSync(join(pkg, 'package.json'), '{ "name": "shared", "main": "index.ts" }\n');
    writeFileSync(join(pkg, 'index.ts'), 'export const scale = 2;\nexport function double(x: number): number { return x * scale; }\n');
    writeFileSync(join(p.dir, 'main.ts'), "import { double } from 'shared';\nconsole.log(double(21));\n");
    for (const run of [1, 2]) {
      const r = importTs(p, 'main.ts');
      expect(r.stdout, `run ${run}: ${r.stderr.slice(0, 300)}`).toBe('42\n');
    }
  });

  it("resolves a tsconfig paths alias through tsx, whose own loading never loops through the hooks", () => {
    const p = project('paths');
    mkdirSync(join(p.dir, 'lib'));
    writeFileSync(join(p.dir, 'tsconfig.json'), '{ "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["./lib/*"] } } }\n');
    writeFileSync(join(p.dir, 'lib', 'util.ts'), 'export const twice = (x: number): number => 2 * x;\n');
    writeFileSync(join(p.dir, 'main.ts'), "import { twice } from '@lib/util';\nconsole.log(twice(21));\n");
    for (const run of [1, 2]) {
      const r = importTs(p, 'main.ts');
      expect(r.stdout, `run ${run}: ${r.stderr.slice(0, 300)}`).toBe('42\n');
    }
  });

  it('compiles again when the tsconfig changes what the compiler does', () => {
    const p = project('tsconfig');
    expectClassFieldsFollow(p, join(p.dir, 'tsconfig.json'));
  });

  it('compiles again when a config the tsconfig extends changes (a commented-out extends is not it)', () => {
    const p = project('extends');
    writeFileSync(join(p.dir, 'old.json'), '{ "compilerOptions": { "target": "es2022" } }\n');
    writeFileSync(join(p.dir, 'tsconfig.json'), '{\n  // was: "extends": "./old.json",\n  /* "extends": "./old.json" */\n  "extends": "./base.json"\n}\n');
    expectClassFieldsFollow(p, join(p.dir, 'base.json'));
  });

  it("follows an extends that names a package, through its package.json's tsconfig field", () => {
    const p = project('package-extends');
    const pkg = join(p.dir, 'node_modules', 'shared-config');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{ "name": "shared-config", "main": "index.js", "tsconfig": "./lab.json" }\n');
    writeFileSync(join(pkg, 'index.js'), 'module.exports = {};\n');
    writeFileSync(join(p.dir, 'tsconfig.json'), '{ "extends": "shared-config" }\n');
    expectClassFieldsFollow(p, join(pkg, 'lab.json'));
  });

  it("names the .ts file and line in a stack trace, also when the compiled code came from the cache", () => {
    const p = project('stack');
    writeFileSync(join(p.dir, 'main.ts'), "type T = { n: number };\nconst t: T = { n: 1 };\n\nfunction fail(): never {\n  throw new Error('boom ' + t.n);\n}\nfail();\n");
    for (const run of [1, 2]) {
      const r = importTs(p, 'main.ts');
      expect(r.status, `run ${run}`).not.toBe(0);
      expect(r.stderr, `run ${run}`).toMatch(/main\.ts:5:\d+/);
    }
  });
});
