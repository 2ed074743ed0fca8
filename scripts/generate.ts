/**
 * Writes what is generated: from the config schema, aurora-audit.schema.json (for editors) and the config reference
 * in docs/config-reference.md; from a synthesized stack, the README's picture of a dashboard (docs/dashboard.svg); from
 * the detail function's message code, the README's examples of the detail message (./alert-examples.ts).
 * test/docs checks all are current, so run `npm run generate` after a schema or dashboard change.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../cli/write-file';
import { renderConfigReference } from '../config/reference';
import { configJsonSchema } from '../config/schema';
import { packageRoot } from '../config/package-root';
import { readmeWithExamples } from './alert-examples';
import { dashboardPicture } from './dashboard-picture';

export function generatedFiles(): Record<string, string> {
  return {
    'aurora-audit.schema.json': `${JSON.stringify(configJsonSchema(), null, 2)}\n`,
    'docs/config-reference.md': renderConfigReference(),
    'docs/dashboard.svg': dashboardPicture(),
    // The detail message's examples, between their markers; the rest of the README as it is.
    'README.md': readmeWithExamples(fs.readFileSync(path.join(packageRoot(), 'README.md'), 'utf8')),
  };
}

if (require.main === module) {
  for (const [file, content] of Object.entries(generatedFiles())) {
    writeFileAtomic(path.join(packageRoot(), file), content);
    process.stdout.write(`wrote ${file}\n`);
  }
}
