/**
 * The cost estimate counts what the stacks synthesize: its alarms, metric filters, dashboards and keys are read back
 * from the Terraform JSON and must agree with the estimate's lines, in every template; and the summary labels the
 * prices with their source and date.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { archiveComparison, describeCost, monitoringStackCost, priceNote, stackCost, type StackCost } from '../../cli/cost';
import { parseConfig } from '../../config/load';
import { UNCONFIRMED } from '../../config/unconfirmed';
import { cli } from '../support/cli';
import { configWith, modelOf, tempDir, TEMPLATES, writeConfig } from '../support/fixtures';
import { resources, synthAll } from '../support/synth';

const count = (cost: StackCost, what: string) => cost.lines.find((l) => l.what === what)?.count ?? 0;

// The templates, and the fixtures with every Firehose stream shape, in each alarm mode.
const CONFIGS = [...TEMPLATES, ...['siem-every-option.yaml', 'monitoring-delivery.yaml'].map((f) => path.join(__dirname, '..', 'fixtures', f))];

describe.each(CONFIGS.map((t) => [path.basename(t), t]))('%s', (_name, file) => {
  const model = parseConfig(fs.readFileSync(file, 'utf8'), file);
  const stacks = synthAll(model, tempDir());

  test('each stack\'s estimate counts what it synthesizes, at the recorded prices', () => {
    for (const stack of model.stacks) {
      const json = stacks.get(stack.name);
      const cost = stackCost(stack);
      expect({ stack: stack.name, alarms: count(cost, 'alarm'), metrics: count(cost, 'detection metric'), dashboards: count(cost, 'dashboard'), keys: count(cost, 'KMS key') }).toEqual({
        stack: stack.name,
        alarms: resources(json, 'aws_cloudwatch_metric_alarm').length,
        metrics: resources(json, 'aws_cloudwatch_log_metric_filter').length,
        dashboards: resources(json, 'aws_cloudwatch_dashboard').length,
        keys: resources(json, 'aws_kms_key').length,
      });
      const P = UNCONFIRMED.prices;
      const expected = count(cost, 'alarm') * P.alarmMetricMonth + count(cost, 'detection metric') * P.customMetricMonth + count(cost, 'dashboard') * P.dashboardMonth + count(cost, 'KMS key') * P.kmsKeyMonth;
      const lambda = cost.lines.find((l) => l.what === 'alert-details function')?.monthly ?? 0;
      expect(cost.fixed).toBeCloseTo(expected + lambda, 2);
    }
    for (const m of model.monitoringStacks) {
      expect(count(monitoringStackCost(m), 'alarm')).toBe(resources(stacks.get(m.name), 'aws_cloudwatch_metric_alarm').length);
    }
  });
});

test('the summary line names each count, and the note gives the prices\' region, date and source', () => {
  expect(describeCost({ fixed: 4.3, lines: [{ what: 'alarm', count: 1, monthly: 0.1 }, { what: 'dashboard', count: 2, monthly: 6 }] })).toBe('≈ $4.30/month (1 alarm $0.10, 2 dashboards $6.00)');
  expect(priceNote()).toContain(`${UNCONFIRMED.prices.region} prices recorded ${UNCONFIRMED.prices.recorded} (${UNCONFIRMED.prices.source}`);
  expect(priceNote()).toMatch(/each million audit records .* costs about \$0\.09 to ingest and \$0\.006 a month to keep/);
});

describe('the archive beside CloudWatch Logs', () => {
  // A million records of about 200 bytes: 0.1863 GB.
  const gb = (200 * 1_000_000) / 1024 ** 3;
  const A = UNCONFIRMED.archivePrices;
  const P = UNCONFIRMED.prices;

  test('a million records kept 7 years: Firehose once, then S3 month by month in the class the lifecycle reached', () => {
    const stack = modelOf(configWith((c) => (c.archive = { enabled: true }))).stacks[0];
    // 90 days in Standard (months 0-2), GLACIER until day 365 (months 3-11), DEEP_ARCHIVE for the other 72 months.
    const archive = gb * (A.firehoseIngestGb + 3 * A.s3GbMonth.STANDARD + 9 * A.s3GbMonth.GLACIER + 72 * A.s3GbMonth.DEEP_ARCHIVE);
    const comparison = archiveComparison(stack)!;
    expect(comparison.years).toBe(7);
    expect(comparison.archiveForYears).toBeCloseTo(archive, 3);
    expect(comparison.cloudWatchForYears).toBeCloseTo(gb * P.logsStorageGbMonth * 84, 3);
    expect(comparison.cloudWatchRetentionDays).toBe(365);
    expect(comparison.cloudWatchNow).toBeCloseTo((gb * P.logsStorageGbMonth * 365) / (365.25 / 12), 3);
    expect(comparison.archiveForYears).toBeLessThan(comparison.cloudWatchForYears / 10);
  });

  test('without transitions it stays in S3 Standard and costs more; with no archive there is no comparison', () => {
    const standard = archiveComparison(modelOf(configWith((c) => (c.archive = { enabled: true, transitions: [] }))).stacks[0])!;
    expect(standard.archiveForYears).toBeCloseTo(gb * (A.firehoseIngestGb + 84 * A.s3GbMonth.STANDARD), 3);
    expect(archiveComparison(modelOf(configWith(() => undefined)).stacks[0])).toBeUndefined();
  });

  test('the summary states the difference, with the price source and date', async () => {
    const dir = tempDir();
    writeConfig(dir, configWith((c) => (c.archive = { enabled: true, objectLock: { years: 1 } })));
    const { code, stdout } = await cli(['validate'], dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`prod archive: keeping a million audit records 1 year costs about \\$0\\.\\d{3} in the archive \\(Firehose, then S3 by class; ${A.source.replace(/\./g, '\\.')}, ${A.recorded}\\) against \\$0\\.067 in CloudWatch Logs; CloudWatch keeps them 365 days now`));
  });
});
