/**
 * Benchmark: discovery across 200 account-regions against the local fake AWS server with 100 ms of latency per
 * call, timed beside a sequential loop over the same account-regions in the same run. Prints figures; asserts
 * nothing (speed is not a test).
 *
 *   npm run bench:discovery
 */
import { DISCOVERY_CONCURRENCY, discoverClusters, type DiscoveryTarget } from '../discovery/clusters';
import { fakeCredentials, startFakeAws, type FakeAccount } from '../test/support/fake-aws';

const LATENCY_MS = 100;
const ACCOUNTS = 20;
const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-central-1', 'eu-north-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1'];

async function main(): Promise<void> {
  const accountIds = Array.from({ length: ACCOUNTS }, (_, i) => String(100000000000 + i));
  const accounts: FakeAccount[] = accountIds.map((accountId) => ({
    accountId,
    regions: Object.fromEntries(
      REGIONS.map((r) => [
        r,
        {
          clusters: [
            { identifier: 'orders', parameterGroup: 'audit', exports: ['audit'] },
            { identifier: 'billing' },
            { identifier: 'reports', engine: 'aurora-postgresql', engineVersion: '16.4' },
          ],
          parameterGroups: { audit: { server_audit_logging: '1', server_audit_events: 'CONNECT' } },
          logGroups: { '/aws/rds/cluster/orders/audit': 365 },
        },
      ]),
    ),
  }));
  const aws = await startFakeAws({ accounts, latencyMs: LATENCY_MS });
  const { accessKeyId, secretAccessKey } = fakeCredentials(accountIds[0]);
  Object.assign(process.env, { AWS_ENDPOINT_URL: aws.endpoint, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_EC2_METADATA_DISABLED: 'true' });

  // Fresh sessions per run, so each run pays for its own AssumeRole calls.
  const targets = (): DiscoveryTarget[] =>
    accountIds.map((accountId, i) => ({ accountId, regions: REGIONS, session: i === 0 ? {} : { roleArn: `arn:aws:iam::${accountId}:role/aurora-audit` } }));
  const time = async (concurrency: number) => {
    const before = aws.calls.length;
    const started = process.hrtime.bigint();
    const results = await discoverClusters(targets(), concurrency);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { seconds, clusters: results.reduce((n, r) => n + r.clusters.length, 0), problems: results.filter((r) => r.problem).length, calls: aws.calls.length - before };
  };

  const regionsTotal = ACCOUNTS * REGIONS.length;
  process.stdout.write(`discovery benchmark: ${regionsTotal} account-regions (${ACCOUNTS} accounts x ${REGIONS.length} regions), ${LATENCY_MS} ms latency per call\n`);
  const parallel = await time(DISCOVERY_CONCURRENCY);
  process.stdout.write(`  bounded parallel (${DISCOVERY_CONCURRENCY} at once): ${parallel.seconds.toFixed(2)} s, ${parallel.calls} calls, ${parallel.clusters} clusters, ${parallel.problems} problems\n`);
  const sequential = await time(1);
  process.stdout.write(`  sequential baseline (1 at once):  ${sequential.seconds.toFixed(2)} s, ${sequential.calls} calls, ${sequential.clusters} clusters, ${sequential.problems} problems\n`);
  process.stdout.write(`  speed-up: ${(sequential.seconds / parallel.seconds).toFixed(1)}x\n`);
  await aws.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
