/** Operating the system: dead-letter queues and what each may replay (pure; adapters in shared/adapters/sqs). */
export type { DeadLetter, DeadLetterQueueStatus, DeadLetterQueues, MoveTask, MoveTaskStatus } from './ports.ts';
export { firstSentAt, formatMinutes, planRedrive, type RedrivePlan, type RedriveRequest, type ReplayPolicy, type StaleLetter } from './redrive.ts';
