/**
 * The loop the scheduled plans share (the daily report fetch, the hourly stock reading): each customer whose seller
 * is authorised on Amazon gets its work planned; a customer without one is counted and skipped (the seller id typed
 * at sign-up is never used), and one customer's failure does not stop the others.
 */
export interface ConnectedCustomersResult {
  /** Customers without an authorised seller. */
  readonly notConnected: number;
  /** What the plans returned, summed (requests queued). */
  readonly planned: number;
  readonly failed: readonly { readonly tenantId: string; readonly error: string }[];
}

export async function forEachConnectedCustomer<C extends { readonly tenantId: string }>(
  customers: readonly C[],
  sellerOf: (tenantId: string) => Promise<string | undefined>,
  plan: (customer: C, sellerId: string) => Promise<number>,
): Promise<ConnectedCustomersResult> {
  let notConnected = 0;
  let planned = 0;
  const failed: { tenantId: string; error: string }[] = [];
  for (const customer of customers) {
    try {
      const sellerId = await sellerOf(customer.tenantId);
      if (!sellerId) {
        notConnected++;
        continue;
      }
      planned += await plan(customer, sellerId);
    } catch (error) {
      failed.push({ tenantId: customer.tenantId, error: (error as Error).message });
    }
  }
  return { notConnected, planned, failed };
}
