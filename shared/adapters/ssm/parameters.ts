/**
 * The SSM parameters of sellerops, by their production paths (`/sellerops/…`, what the wiring grants and the docs
 * name). A stage keeps its own under its root, `SSM_PARAMETER_ROOT` (`/sellerops` in prod, `/sellerops-dev` in dev:
 * infra/deployment.ts `stageName`, the rule of every staged name), set by CDK on each function that reads or writes
 * one, so two stages in one account never share an app secret, a refresh token or the kill switch.
 */
export const PARAMETER_ROOT = '/sellerops';

export const PARAMETERS = {
  /** SecureString `{"applicationId","clientId","clientSecret","stateSecret","draft"?}`: the SP-API app (the operator stores it). */
  spApiApp: `${PARAMETER_ROOT}/sp-api/app`,
  /** One SecureString per tenant under this prefix (`<prefix><tenantId>`): its seller's refresh token. */
  tenantTokens: `${PARAMETER_ROOT}/amazon/tenants/`,
  /** String `true` stops every price push (the operator's kill switch). */
  killSwitch: `${PARAMETER_ROOT}/repricer/pushes-stopped`,
} as const;

export type ParameterId = keyof typeof PARAMETERS;

/** A parameter's path under a stage's root (`/sellerops-dev` → `/sellerops-dev/sp-api/app`). */
export function parameterPath(root: string, id: ParameterId): string {
  if (!/^\/[A-Za-z0-9_.-]+$/.test(root)) throw new Error(`SSM parameter root ${JSON.stringify(root)} is not one path segment like /sellerops`);
  return `${root}${PARAMETERS[id].slice(PARAMETER_ROOT.length)}`;
}
