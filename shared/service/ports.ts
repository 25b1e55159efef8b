/** The customer-service ports: what the domain needs from the outside world. Adapters live in shared/adapters/. */
import type { CustomerRecord } from '#shared/customers/index.ts';
import type { Difficulty, ProductArea, RootCause, RootCauseMessage } from './feedback.ts';
import type { SupportRequest } from './support.ts';
import type { PlannedCallRecord, QuarterId, SurveyCampaign, SurveyResponse, SurveySettings } from './surveys.ts';

export interface FeedbackStore {
  /** The difficulty with this id, if recorded. */
  getDifficulty(difficultyId: string): Promise<Difficulty | undefined>;
  putDifficulty(difficulty: Difficulty): Promise<void>;
  /** Root causes of one product area (one partition: Query). */
  listRootCauses(area: ProductArea): Promise<RootCause[]>;
  getRootCause(area: ProductArea, rootCauseId: string): Promise<RootCause | undefined>;
  /** Version-conditioned write (version = stored + 1; 1 = new); throws VersionConflictError otherwise. */
  saveRootCause(rootCause: RootCause): Promise<void>;
}

export interface ProductFeedbackPublisher {
  publish(message: RootCauseMessage): Promise<void>;
}

export interface SupportStore {
  /**
   * Conditional put: false when a request with this id exists (a duplicate submission). Either way the stored
   * request is listed for its tenant afterwards (`listForTenant`), so a repeat completes a half-written first attempt.
   */
  createIfAbsent(request: SupportRequest): Promise<boolean>;
  get(requestId: string): Promise<SupportRequest | undefined>;
  /** Version-conditioned; throws VersionConflictError. */
  save(request: SupportRequest): Promise<void>;
  /** A customer's requests (those with its tenant id), newest first, a page at a time: by key, never a Scan. */
  listForTenant(tenantId: string, limit: number, cursor: string | undefined): Promise<{ items: SupportRequest[]; nextCursor: string | null }>;
}

export interface SupportNotifier {
  requestRouted(request: SupportRequest): Promise<void>;
}

export interface SurveyStore {
  getSettings(): Promise<SurveySettings | undefined>;
  saveSettings(settings: SurveySettings): Promise<void>;
  getCampaign(quarter: QuarterId): Promise<SurveyCampaign | undefined>;
  saveCampaign(campaign: SurveyCampaign): Promise<void>;
  /** Registry of planned calls, one per customer and quarter. */
  putPlannedCalls(calls: readonly PlannedCallRecord[]): Promise<void>;
  listPlannedCalls(quarter: QuarterId, cursor: string | undefined, limit: number): Promise<{ items: PlannedCallRecord[]; nextCursor: string | null }>;
  /** Conditional put: false (and nothing written) when this customer already answered this quarter. */
  putResponse(response: SurveyResponse): Promise<boolean>;
  getResponse(quarter: QuarterId, tenantId: string): Promise<SurveyResponse | undefined>;
  listResponses(quarter: QuarterId): Promise<SurveyResponse[]>;
}

export interface CustomerReader {
  get(tenantId: string): Promise<CustomerRecord | undefined>;
}
