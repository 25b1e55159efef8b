import type { CaseFilingPort, CaseFilingResult, CaseRequest } from '#shared/lost-and-found/ports.ts';

/** The local stack's Seller Support: opens a case at once with a predictable id. */
export class SimulatedCaseFiling implements CaseFilingPort {
  readonly filed: CaseRequest[] = [];
  constructor(private nextCase = 10_000_000_000) {}
  async fileCase(request: CaseRequest): Promise<CaseFilingResult> {
    this.filed.push(request);
    return { kind: 'filed', caseId: String(this.nextCase++) };
  }
}
