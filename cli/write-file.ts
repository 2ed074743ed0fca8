import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes a file so that readers see the old content or the new, never half of it: write a temporary sibling, then
 * rename over the target (atomic on one filesystem).
 */
export function writeFileAtomic(file: string, content: string): void {
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temp, content);
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}
