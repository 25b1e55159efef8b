/** The CSM task queue: calls to make, with due times, an assignee and an outcome. */
import type { Language } from '#shared/kernel/languages.ts';

export const TASK_KINDS = ['welcome-call', 'callback', 'onboarding-appointment', 'end-of-trial-call', 're-assignment-review', 'anomaly-call', 'setup-help', 're-consultation', 'survey-call', 'support-request', 'amazon-reauthorisation', 'root-cause-fixed'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];
export type TaskStatus = 'open' | 'in-progress' | 'done';

export interface CsmTask {
  /** Derived from the business key that caused the task, so a repeat creates nothing. */
  readonly taskId: string;
  readonly kind: TaskKind;
  readonly tenantId: string;
  readonly companyName: string;
  readonly language: Language;
  readonly assigneeId: string | null;
  readonly status: TaskStatus;
  readonly dueAt: string;
  readonly createdAt: string;
  readonly title: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly startedAt?: string;
  readonly completedAt?: string;
  readonly outcome?: Readonly<Record<string, unknown>>;
  readonly version: number;
}

