/** Public surface of the CSM domain: staff and assignment, tasks and the task queue, notifications and push preferences. */
export * from './assignment.ts';
export * from './notifications.ts';
export * from './ports.ts';
export * from './staff-admin.ts';
export * from './staff.ts';
export * from './subscriptions.ts';
export * from './task-queue.ts';
export * from './tasks.ts';
export * from './announcements.ts';
