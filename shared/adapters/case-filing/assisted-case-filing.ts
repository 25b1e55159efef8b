import type { CaseFilingPort, CaseFilingResult, CaseRequest } from '#shared/lost-and-found/ports.ts';

/**
 * Manual / assisted filing, the production adapter while Amazon has no case API: it returns the case text
 * and the steps; the customer or CSM pastes it into Seller Support and records the case id afterwards.
 */
export class AssistedCaseFiling implements CaseFilingPort {
  async fileCase(request: CaseRequest): Promise<CaseFilingResult> {
    return {
      kind: 'assisted',
      text: request.text,
      instructions:
        'Seller Central → Help → Get support → Selling on Amazon → Fulfilment by Amazon → Reimbursements: paste the text, attach nothing else, submit, then record the case id on this claim.',
    };
  }
}
