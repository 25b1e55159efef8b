/** The CSM task queue: calls to make, with due times, an assignee and an outcome. */
import type { Language } from '../kernel/languages.ts';

export const TASK_KINDS = ['welcome-call', 'callback', 'onboarding-appointment', 'end-of-trial-call', 're-assignment-review', 'anomaly-call', 'setup-help', 're-consultation', 'survey-call', 'support-request'] as const;
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

export interface TaskRepository {
  /** Creates the task unless one with its id exists; returns whether it was created. */
  createIfAbsent(task: CsmTask): Promise<boolean>;
  get(taskId: string): Promise<CsmTask | undefined>;
  /**
   * Open and in-progress tasks of one assignee, earliest due first; `null`: the tasks nobody has (a survey call
   * no manager had room for, the tasks of a manager who left whose customers found no one), for any manager to take.
   */
  listOpen(assigneeId: string | null, limit: number): Promise<CsmTask[]>;
  /** Writes `task` (version = stored + 1); throws VersionConflictError otherwise. */
  save(task: CsmTask): Promise<void>;
}
