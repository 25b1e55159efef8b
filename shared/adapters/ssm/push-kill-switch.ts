/**
 * The operator's kill switch for price pushes: SSM String parameter `/sellerops/repricer/pushes-stopped` in prod,
 * `/sellerops-dev/repricer/pushes-stopped` in dev (ssm/parameters.ts) (`true` stops every push of that stage; absent
 * or anything else lets them go). Read at most every 30 s per container, so turning it on stops pushes everywhere
 * within a minute:
 *   aws ssm put-parameter --name /sellerops/repricer/pushes-stopped --type String --value true --overwrite
 */
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { PushKillSwitch } from '#shared/amazon-access/ports.ts';

export const KILL_SWITCH_CACHE_MS = 30_000;

export class SsmPushKillSwitch implements PushKillSwitch {
  private cached: { stopped: boolean; until: number } | undefined;

  constructor(
    private readonly ssm: SSMClient,
    /** The stage's kill switch parameter (parameterPath(root, 'killSwitch')). */
    private readonly path: string,
    private readonly now: () => number = Date.now,
  ) {}

  async pushesStopped(): Promise<boolean> {
    if (this.cached && this.cached.until > this.now()) return this.cached.stopped;
    let stopped: boolean;
    try {
      const { Parameter } = await this.ssm.send(new GetParameterCommand({ Name: this.path }));
      stopped = Parameter?.Value?.trim().toLowerCase() === 'true';
    } catch (error) {
      if ((error as { name?: string }).name !== 'ParameterNotFound') throw error; // unreadable: fail, do not push blind
      stopped = false;
    }
    this.cached = { stopped, until: this.now() + KILL_SWITCH_CACHE_MS };
    return stopped;
  }
}
