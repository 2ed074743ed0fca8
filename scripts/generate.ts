/**
 * Writes what is generated: from the config schema, aurora-audit.schema.json (for editors) and the config reference
 * in docs/config-reference.md; from a synthesized stack, the README's picture of a dashboard (docs/dashboard.svg).
 * test/docs checks all are current, so run `npm run generate` after a schema or dashboard change.
 */
import * as path from 'node:path';
import { writeFileAtomic } from '../cli/write-file';
import { renderConfigReference } from '../config/reference';
import { configJsonSchema } from '../config/schema';
import { packageRoot } from '../config/package-root';
import { dashboardPicture } from './dashboard-picture';

export function generatedFiles(): Record<string, string> {
  return {
    'aurora-audit.schema.json': `${JSON.stringify(configJsonSchema(), null, 2)}\n`,
    'docs/config-reference.md': renderConfigReference(),
    'docs/dashboard.svg': dashboardPicture(),
  };
}

if (require.main === module) {
  for (const [file, content] of Object.entries(generatedFiles())) {
    writeFileAtomic(path.join(packageRoot(), file), content);
    process.stdout.write(`wrote ${file}\n`);
  }
}
