import { Testing } from 'cdktf';

// cdktf's matchers (toHaveResourceWithProperties, ...) compare snake_case Terraform keys.
Testing.setupJest();

// Every temporary directory a test made goes when its file is done: a fresh clone's runs leave /tmp as they found it.
afterAll(() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./support/fixtures').removeTempDirs();
});
