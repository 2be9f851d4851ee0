// Help and version in a development checkout without the TypeScript loader (its registration is
// most of their start-up): what main() printed for the same arguments last time, kept under
// node_modules/.cache/featureflow/ by the content of every engine source and package.json, so an
// edit anywhere in engine/ prints afresh. The installed package runs its compiled dist/ and needs
// none of this.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FORMAT = 'featureflow-help-cache/1';

function sources(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, out);
    else if (/\.(ts|mts|mjs|js|json)$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** The cache entry for these arguments and these sources, or undefined where it cannot be read. */
export function helpEntry(root, args) {
  try {
    // commander wraps help at the terminal's width
    const width = `${process.stdout.isTTY ? process.stdout.columns : '-'}/${process.stderr.isTTY ? process.stderr.columns : '-'}`;
    const hash = createHash('sha256').update(`${FORMAT}\0${process.version}\0${width}\0${JSON.stringify(args)}`);
    for (const file of [join(root, 'package.json'), ...sources(join(root, 'engine'), [])]) hash.update(`\0${file}\0`).update(readFileSync(file));
    return join(root, 'node_modules', '.cache', 'featureflow', 'help', `${hash.digest('hex')}.json`);
  } catch {
    return undefined;
  }
}

/** Replay a cached answer: true when there was one. */
export function replayHelp(entry) {
  let cached;
  try {
    cached = JSON.parse(readFileSync(entry, 'utf8'));
  } catch {
    return false;
  }
  if (cached?.format !== FORMAT || !Array.isArray(cached.writes)) return false;
  for (const [stream, text] of cached.writes) (stream === 2 ? process.stderr : process.stdout).write(text);
  process.exitCode = cached.exitCode;
  return true;
}

/** Run `answer` (main() on help or version) and keep what it wrote, for next time. */
export async function recordHelp(entry, answer) {
  const writes = [];
  const tap = (stream, fd) => {
    const write = stream.write.bind(stream);
    stream.write = (chunk, ...rest) => {
      writes.push([fd, typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')]);
      return write(chunk, ...rest);
    };
    return () => (stream.write = write);
  };
  const untapOut = tap(process.stdout, 1);
  const untapErr = tap(process.stderr, 2);
  let exitCode;
  try {
    exitCode = await answer();
  } finally {
    untapOut();
    untapErr();
  }
  if (entry) {
    try {
      mkdirSync(join(entry, '..'), { recursive: true });
      const tmp = `${entry}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ format: FORMAT, exitCode, writes }));
      renameSync(tmp, entry);
    } catch {
      // a cache that cannot be written only costs time
    }
  }
  return exitCode;
}
