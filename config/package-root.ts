import * as fs from 'node:fs';
import * as path from 'node:path';

let cached: string | undefined;

/** The directory holding aurora-audit's package.json, whether running from source (tests) or from dist/. */
export function packageRoot(): string {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'aurora-audit') return (cached = dir);
    if (path.dirname(dir) === dir) throw new Error(`cannot find aurora-audit's package.json above ${__dirname}`);
  }
}

export function packageVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version;
}
