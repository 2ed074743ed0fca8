import { CloudwatchQueryDefinition } from '@cdktf/provider-aws/lib/cloudwatch-query-definition';
import { Construct } from 'constructs';
import type { Engine } from '../config/aws';
import { AWS_NAMES } from '../config/names';
import { UNCONFIRMED } from '../config/unconfirmed';
import { INSIGHTS_QUERIES, QUERY_ENGINE_FOLDER } from '../detections/insights-queries';

export interface SavedQueriesProps {
  readonly stackName: string;
  /** The audit log groups of the stack's clusters, by engine; an engine without clusters gets no queries. */
  readonly auditLogGroups: ReadonlyMap<Engine, readonly string[]>;
}

/**
 * The saved Logs Insights queries of a stack (detections/insights-queries.ts), on the audit log groups of its clusters,
 * named `aurora-audit/<stack>/<engine>/<query>` so that the console lists them in one folder and the README and
 * messages can name them. More log groups than one query may read are split into parts (`<query>-2`, ...).
 */
export class SavedQueries extends Construct {
  constructor(scope: Construct, id: string, props: SavedQueriesProps) {
    super(scope, id);
    for (const [engine, groups] of props.auditLogGroups) {
      const folder = QUERY_ENGINE_FOLDER[engine];
      const parts = chunks(groups, UNCONFIRMED.insightsLogGroupsPerQuery);
      for (const query of INSIGHTS_QUERIES[engine]) {
        parts.forEach((logGroupNames, i) => {
          const name = i === 0 ? query.id : `${query.id}-${i + 1}`;
          new CloudwatchQueryDefinition(this, `${folder}-${name}`, {
            name: AWS_NAMES.savedQuery(props.stackName, folder, name),
            queryString: query.query,
            logGroupNames: [...logGroupNames],
          });
        });
      }
    }
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
