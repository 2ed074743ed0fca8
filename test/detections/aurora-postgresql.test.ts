import * as fs from 'node:fs';
import * as path from 'node:path';
import { AURORA_POSTGRESQL_DETECTIONS } from '../../detections/aurora-postgresql';
import { compileFilterPattern } from '../../detections/filter-pattern';
import { describeCatalog } from '../support/catalog';

const published = fs
  .readFileSync(path.join(__dirname, '..', 'fixtures', 'published', 'aurora-postgresql.published.log'), 'utf8')
  .split('\n')
  .filter(Boolean);

describeCatalog('Aurora PostgreSQL', AURORA_POSTGRESQL_DETECTIONS);

describe('on the published Aurora PostgreSQL lines (test/fixtures/published)', () => {
  const byId = (id: string) => compileFilterPattern(AURORA_POSTGRESQL_DETECTIONS.find((d) => d.id === id)!.pattern);
  const lines = (id: string) => published.flatMap((l, i) => (byId(id).matches(l) ? [i + 1] : []));

  test('the lower-case drop table is a DROP (pgAudit writes the command in capitals)', () => expect(lines('drop-statements')).toEqual([1]));
  test('the failed password login is a failed connection', () => expect(lines('failed-connections')).toEqual([2]));
  test('neither is a privilege change', () => expect(lines('privilege-changes')).toEqual([]));
});
