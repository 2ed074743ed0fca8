/**
 * The cost estimate counts what the stacks synthesize: its alarms, metric filters, dashboards and keys are read back
 * from the Terraform JSON and must agree with the estimate's lines, in every template; and the summary labels the
 * prices with their source and date.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeCost, monitoringStackCost, priceNote, stackCost, type StackCost } from '../../cli/cost';
import { parseConfig } from '../../config/load';
import { UNCONFIRMED } from '../../config/unconfirmed';
import { tempDir, TEMPLATES } from '../support/fixtures';
import { resources, synthAll } from '../support/synth';

const count = (cost: StackCost, what: string) => cost.lines.find((l) => l.what === what)?.count ?? 0;

describe.each(TEMPLATES.map((t) => [path.basename(t), t]))('%s', (_name, file) => {
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
