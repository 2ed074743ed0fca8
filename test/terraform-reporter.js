// Says loudly, at the end of the run, which Terraform checks did not run on this machine (they show as "todo").
'use strict';
class TerraformReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.testResults
      .flatMap((file) => file.testResults)
      .filter((t) => t.status === 'todo' && t.ancestorTitles.some((title) => /^(terraform|terminal)/.test(title)));
    if (skipped.length === 0) return;
    const lines = skipped.map((t) => `!!!   - ${[...t.ancestorTitles, t.title].join(' › ')}`);
    process.stderr.write(`\n!!! These checks did NOT run (terraform, the aws provider mirror or tmux is missing here):\n${lines.join('\n')}\n!!! CI (.ci/run) fails instead of skipping them.\n\n`);
  }
}
module.exports = TerraformReporter;
