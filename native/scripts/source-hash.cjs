/*
 * SHA-256 over the addon's sources (src/ and binding.gyp, names and bytes). The install step
 * records it next to the build; the loader compares it with the sources now on disk, so a build
 * left over from older sources is reported as out of date instead of running code the cache keys
 * (which hash these sources) do not describe.
 */
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

function sourceHash(root) {
  const hash = crypto.createHash('sha256');
  const files = ['binding.gyp', ...fs.readdirSync(path.join(root, 'src')).sort().map((f) => path.join('src', f))];
  for (const rel of files) {
    hash.update(`${rel}\0`);
    hash.update(fs.readFileSync(path.join(root, rel)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

module.exports = { sourceHash };
