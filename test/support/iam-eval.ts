/**
 * A small evaluator of resource-based policies as synthesized (aws_iam_policy_document statements), following the
 * IAM user guide's "Policy evaluation logic" for the parts aurora-audit's policies use:
 * - an explicit Deny that matches wins; then an Allow of the resource policy, or (same account only, and never for
 *   sts:AssumeRole, which a role's trust policy must allow) of the caller's own identity policy; otherwise the request
 *   is denied;
 * - a principal matches `*`, its account's `:root`, its exact role or user ARN, or its service;
 * - actions and resources match with `*` and `?` wildcards;
 * - condition operators StringEquals/NotEquals/Like/NotLike, ArnEquals/NotEquals/Like/NotLike, Bool and Null, each
 *   with the documented missing-key rule: a positive operator is false without the key, a negated one true
 *   ("IfExists" variants are true without the key). Conditions of a statement are ANDed; values of one are ORed
 *   (for negated operators, NOR).
 * Anything else in a policy (NotAction, NotPrincipal, another operator) throws: it would need a real simulator.
 */
import type { Json } from './fixtures';

export type Caller =
  | { readonly type: 'AWS'; readonly arn: string; readonly account: string; readonly identityAllows: boolean }
  | { readonly type: 'Service'; readonly service: string };

export interface AccessRequest {
  readonly caller: Caller;
  readonly action: string;
  readonly resource: string;
  /** The request context's keys (aws:SourceArn, aws:SourceAccount, ...); aws:PrincipalArn and aws:PrincipalIsAWSService are derived. */
  readonly context?: Readonly<Record<string, string>>;
  /** The account that owns the resource. */
  readonly resourceAccount: string;
}

const wildcard = (pattern: string, value: string, caseless = false): boolean => {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^]*').replace(/\?/g, '.')}$`, caseless ? 'i' : '');
  return re.test(value);
};

/** ARN matching: the six colon-separated parts each by wildcard (IAM user guide, "ARN condition operators"). */
const arnLike = (pattern: string, value: string): boolean => {
  const p = pattern.split(':');
  const v = value.split(':');
  if (v.length < 6 || p.length < 6) return false;
  const [pHead, vHead] = [p.slice(0, 5), v.slice(0, 5)];
  return pHead.every((part, i) => wildcard(part, vHead[i])) && wildcard(p.slice(5).join(':'), v.slice(5).join(':'));
};

function contextOf(request: AccessRequest): Record<string, string> {
  const { caller } = request;
  return {
    ...(caller.type === 'AWS' ? { 'aws:PrincipalArn': caller.arn, 'aws:PrincipalAccount': caller.account, 'aws:PrincipalIsAWSService': 'false' } : { 'aws:PrincipalIsAWSService': 'true' }),
    ...request.context,
  };
}

function conditionHolds(condition: Json, context: Record<string, string>): boolean {
  const test: string = condition.test;
  const value = context[condition.variable];
  const values: string[] = condition.values;
  const ifExists = test.endsWith('IfExists');
  const op = ifExists ? test.slice(0, -'IfExists'.length) : test;
  if (op === 'Null') return values.some((v) => (v === 'true') === (value === undefined));
  const negated = /Not(Equals|Like)$/.test(op);
  if (value === undefined) return ifExists || negated;
  const one = (v: string): boolean => {
    switch (op) {
      case 'StringEquals':
      case 'StringNotEquals':
        return v === value;
      case 'StringLike':
      case 'StringNotLike':
        return wildcard(v, value);
      case 'ArnEquals':
      case 'ArnNotEquals':
        return v === value;
      case 'ArnLike':
      case 'ArnNotLike':
        return arnLike(v, value);
      case 'Bool':
        return v.toLowerCase() === value.toLowerCase();
      default:
        throw new Error(`iam-eval: the operator ${test} is not modelled`);
    }
  };
  const any = values.some(one);
  return negated ? !any : any;
}

function principalMatches(principals: Json[] | undefined, caller: Caller): boolean {
  if (!principals) throw new Error('iam-eval: a resource policy statement without principals');
  return principals.some((p: Json) => {
    const ids: string[] = p.identifiers;
    if (p.type === '*') return true;
    if (p.type === 'Service') return caller.type === 'Service' && ids.includes(caller.service);
    if (p.type === 'AWS' && caller.type === 'AWS') return ids.some((id) => id === '*' || id === caller.arn || id === `arn:aws:iam::${caller.account}:root` || id === caller.account);
    return false;
  });
}

function statementMatches(statement: Json, request: AccessRequest, context: Record<string, string>): boolean {
  if (statement.not_actions || statement.not_principals || statement.not_resources) throw new Error('iam-eval: Not* elements are not modelled');
  return (
    principalMatches(statement.principals, request.caller) &&
    (statement.actions as string[]).some((a) => wildcard(a, request.action, true)) &&
    // A role's trust policy names no resource: it is the role's own.
    ((statement.resources as string[] | undefined) ?? ['*']).some((r) => r === '*' || r === request.resource || arnLike(r, request.resource)) &&
    (statement.condition ?? []).every((c: Json) => conditionHolds(c, context))
  );
}

/** Allow or Deny, and the statement that decided it (an explicit deny, or the allow). */
export function evaluate(statements: readonly Json[], request: AccessRequest): { decision: 'Allow' | 'Deny'; by?: string } {
  const context = contextOf(request);
  const matching = statements.filter((s) => statementMatches(s, request, context));
  const deny = matching.find((s) => s.effect === 'Deny');
  if (deny) return { decision: 'Deny', by: deny.sid ?? 'a deny' };
  const allow = matching.find((s) => (s.effect ?? 'Allow') === 'Allow');
  const { caller } = request;
  const sameAccount = caller.type === 'AWS' && caller.account === request.resourceAccount;
  if (caller.type === 'Service') return allow ? { decision: 'Allow', by: allow.sid } : { decision: 'Deny' };
  // Within one account either policy may allow; across accounts both must. A role's trust policy is the exception
  // ("Policy evaluation logic": role trust policies must explicitly allow the principal): the identity policy alone
  // never lets anyone assume a role.
  if (sameAccount && /^sts:AssumeRole/i.test(request.action)) return allow ? { decision: 'Allow', by: allow.sid } : { decision: 'Deny' };
  if (sameAccount) return allow ? { decision: 'Allow', by: allow.sid } : caller.identityAllows ? { decision: 'Allow', by: 'the identity policy' } : { decision: 'Deny' };
  return allow && caller.identityAllows ? { decision: 'Allow', by: allow.sid } : { decision: 'Deny' };
}
