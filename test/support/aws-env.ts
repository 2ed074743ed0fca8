import { fakeCredentials, type FakeAws } from './fake-aws';

/** The environment that points the real AWS SDK at the fake server, as `accountId` with static keys. */
export function fakeAwsEnv(aws: FakeAws, accountId: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { accessKeyId, secretAccessKey } = fakeCredentials(accountId);
  return {
    AWS_ENDPOINT_URL: aws.endpoint,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_REGION: 'eu-west-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    ...extra,
  };
}

/** Sets the variables on this process (each jest test file runs in its own) and returns a function to undo it. */
export function useEnv(vars: NodeJS.ProcessEnv): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
