/**
 * The alert-details package as Lambda runs it: the code the build bundled (dist/lambda, the same bytes the zip holds),
 * its handler called with one event, in a process of its own whose only modules are the runtime's AWS SDK v3, pointed
 * at the fake AWS server as `accountId`.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ALERT_DETAILS_PACKAGE } from '../../stacks/alert-details-package';
import { fakeCredentials, type FakeAws } from './fake-aws';
import { ROOT, tempDir } from './fixtures';

/** Runs the handler on `event` with the function's environment `variables`; resolves with what it printed. */
export async function runPackage(aws: FakeAws, accountId: string, region: string, event: unknown, variables: Readonly<Record<string, string>>): Promise<string> {
  const dir = tempDir();
  fs.copyFileSync(path.join(ROOT, ALERT_DETAILS_PACKAGE.dir, ALERT_DETAILS_PACKAGE.code), path.join(dir, 'index.js'));
  fs.writeFileSync(path.join(dir, 'event.json'), JSON.stringify(event));
  const run = `require('./index.js').handler(require('./event.json')).then(() => console.log('done'), (e) => { console.error(e); process.exit(1); })`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', run], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      // The runtime's copy of the AWS SDK v3; nothing else of the project is on the path.
      NODE_PATH: path.join(ROOT, 'node_modules'),
      AWS_REGION: region,
      AWS_ENDPOINT_URL: aws.endpoint,
      AWS_ACCESS_KEY_ID: fakeCredentials(accountId).accessKeyId,
      AWS_SECRET_ACCESS_KEY: fakeCredentials(accountId).secretAccessKey,
      ...variables,
    },
  });
  return stdout.trim();
}
