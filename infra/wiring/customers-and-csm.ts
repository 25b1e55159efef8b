/** Wiring of customers, contracts, the CSM notification centre, staff, tasks and onboarding. */
import { CUSTOMER_EVENT_TYPES } from '#shared/contracts/customer-events.ts';
import type { DomainWiring } from './types.ts';

export const customersAndCsm = {
  product: 'customer-success',
  tables: {
    core: {
      name: 'sellerops-core',
      partitionKey: 'pk',
      sortKey: 'sk',
      globalIndexes: [
        // The relay reads each pending customer from the table (consistently): the index only says who.
        { name: 'outbox', partitionKey: 'outboxShard', sortKey: 'outboxDueAt', projection: { type: 'INCLUDE', attributes: ['tenantId'] } },
        { name: 'assignee', partitionKey: 'assigneeKey', sortKey: 'assigneeOrder', projection: { type: 'ALL', why: "a manager's task list shows every field of each task" } },
        { name: 'customerTasks', partitionKey: 'customerTasksKey', sortKey: 'customerTasksOrder', projection: { type: 'ALL', why: "a customer's history of contacts shows each call with its outcome" } },
        { name: 'feedAll', partitionKey: 'feedAllKey', sortKey: 'feedAllOrder', projection: { type: 'ALL', why: 'the CSM feed shows every field of each notification' } },
        { name: 'feedStaff', partitionKey: 'feedStaffKey', sortKey: 'feedStaffOrder', projection: { type: 'ALL', why: 'the CSM feed shows every field of each notification' } },
        { name: 'active', partitionKey: 'activeKey', sortKey: 'activeOrder', shards: 8, projection: { type: 'ALL', why: 'survey campaigns plan from the whole customer record (language, manager, contracts)' } },
      ],
      timeToLiveAttribute: 'expiresAt',
      accessPatterns: [
        'customer by tenant: Get pk=TENANT#<tenantId>, sk=CUSTOMER (profile, contracts, assignment, pending outbox events; version-conditioned)',
        'customers with a live contract (survey campaigns): Query index active, activeKey=ACTIVE#<0..7> (sparse: set by save() while a contract is not cancelled)',
        'onboarding analysis: Get pk=TENANT#<tenantId>, sk=ONBOARDING',
        'unpublished events (outbox relay): Query index outbox, outboxShard=OUTBOX, outboxDueAt <= now (sparse)',
        'staff directory: Query pk=STAFF (one small partition); customers per manager as a string set',
        'notification by id: Get pk=NOTIF#<id> (conditional put = dedup per event)',
        'CSM feed, everybody: Query index feedAll, feedAllKey=CSMFEED#ALL, newest first',
        "CSM feed, a manager's customers: Query index feedStaff, feedStaffKey=CSMFEED#<staffId>, newest first",
        'read marks: BatchGet pk=READ#<staffId>, sk=<notificationId>',
        "task by id: Get pk=TASK#<taskId>; a manager's open tasks by due time: Query index assignee, assigneeKey=ASSIGNEE#<staffId>#open",
        "a customer's tasks, done ones too (history of contacts): Query index customerTasks, customerTasksKey=TASKS#<tenantId>, newest created first",
        "a manager's calendar: Query pk=CAL#<staffId>, sk between SLOT#<from> and SLOT#<to>; booking = conditional put of the slot",
        "a customer's appointments: Query pk=TENANT#<tenantId>, sk begins_with APPT# (the customer's copy of each booking, with who booked it)",
        "staff actions on a customer's behalf: Query pk=TENANT#<tenantId>, sk begins_with STAFFACTION# (put once per action id)",
        "a customer's support requests, newest first: Query pk=TENANT#<tenantId>, sk begins_with SUPPORT# (references), then BatchGet pk=SUPPORT#<requestId>",
        'announcement by id: Get pk=ANNOUNCEMENT#<id>, sk=ANNOUNCEMENT (conditional put); a product\'s announcements: Query pk=ANNOUNCEMENTS#<product>, newest first',
        'read receipts: Query pk=ANNOUNCEMENT#<id>, sk begins_with READ#; a customer\'s reads: BatchGet sk=READ#<tenantId>',
      ],
    },
  },
  topics: {
    customerEvents: {
      name: 'sellerops-customer-events',
      purpose: 'Versioned customer lifecycle events (customer.signed-up, contract.*); message attribute eventType.',
    },
    csmNotifications: {
      name: 'sellerops-csm-notifications',
      purpose: 'Push notifications for CSM staff; attributes eventType, language, customerId, csmId for subscription filter policies.',
    },
  },
  queues: {
    csmNotifier: {
      name: 'sellerops-csm-notifier',
      maxReceiveCount: 5,
      visibilityTimeoutSeconds: 180,
      redrive: { replay: 'any', why: 'the notification is keyed on the event id, so a replayed event that was already pushed does nothing, and a late push is still true' },
    },
  },
  subscriptions: [{ topic: 'customerEvents', queue: 'csmNotifier', filterPolicy: { eventType: CUSTOMER_EVENT_TYPES } }],
  functions: {
    openapi: {
      entry: 'functions/openapi/handler.ts',
      description: 'Serves the OpenAPI document generated from the route schemas',
      timeoutSeconds: 5,
      memoryMb: 256,
      triggers: [{ kind: 'http', route: 'getOpenApi' }],
      access: {},
    },
    signups: {
      entry: 'functions/signups/handler.ts',
      description: 'POST /signups: stores the customer and publishes customer.signed-up',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', route: 'createSignup' }],
      access: { tablesRead: ['core'], tablesWrite: ['core'], topicsPublish: ['customerEvents'] },
    },
    contracts: {
      entry: 'functions/contracts/handler.ts',
      description: 'Contract cancellation, extension and change: publishes contract.* events',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [
        { kind: 'http', route: 'cancelContract' },
        { kind: 'http', route: 'extendContract' },
        { kind: 'http', route: 'changeContract' },
      ],
      access: { tablesRead: ['core'], tablesWrite: ['core'], topicsPublish: ['customerEvents'] },
    },
    customers: {
      entry: 'functions/customers/handler.ts',
      description: "A customer and its onboarding analysis: customers read their own, CSM staff any; and the system's clock",
      timeoutSeconds: 5,
      memoryMb: 256,
      triggers: [
        { kind: 'http', route: 'getClock' },
        { kind: 'http', route: 'getCustomer' },
        { kind: 'http', route: 'getOnboarding' },
        { kind: 'http', route: 'listStaffActions' },
      ],
      access: { tablesRead: ['core'] },
    },
    onboarding: {
      entry: 'functions/onboarding/handler.ts',
      description: 'Callback and re-consultation requests, free slots and onboarding appointments booked, moved and cancelled (also by staff for their customer)',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [
        { kind: 'http', route: 'requestCallback' },
        { kind: 'http', route: 'listFreeSlots' },
        { kind: 'http', route: 'bookAppointment' },
        { kind: 'http', route: 'listSlotsForCustomer' },
        { kind: 'http', route: 'bookAppointmentForCustomer' },
        { kind: 'http', route: 'rescheduleAppointment' },
        { kind: 'http', route: 'cancelAppointment' },
        { kind: 'http', route: 'rescheduleAppointmentForCustomer' },
        { kind: 'http', route: 'cancelAppointmentForCustomer' },
        { kind: 'http', route: 'requestReconsultation' },
      ],
      // csmNotifications: a re-consultation request is pushed to the customer's manager.
      access: { tablesRead: ['core'], tablesWrite: ['core'], topicsPublish: ['csmNotifications'] },
    },
    announcements: {
      entry: 'functions/announcements/handler.ts',
      description: 'Product announcements: a lead publishes (texts per language), customers read theirs in their language, the team sees read receipts',
      timeoutSeconds: 10,
      memoryMb: 256,
      triggers: [
        { kind: 'http', route: 'publishAnnouncement' },
        { kind: 'http', route: 'listAnnouncements' },
        { kind: 'http', route: 'markAnnouncementRead' },
        { kind: 'http', route: 'getAnnouncementReads' },
      ],
      access: { tablesRead: ['core'], tablesWrite: ['core'] },
    },
    csmNotifier: {
      entry: 'functions/csm-notifier/handler.ts',
      description: 'Customer events → assignment, welcome call, trial schedule, stored CSM notification and SNS push (idempotent, no Amazon call)',
      timeoutSeconds: 30,
      memoryMb: 512,
      triggers: [{ kind: 'sqs', queue: 'csmNotifier', batchSize: 10 }],
      access: {
        tablesRead: ['core'],
        tablesWrite: ['core'],
        topicsPublish: ['csmNotifications'],
        // No Amazon access: the sign-up push never waits on Amazon (the profile analysis is amazonProfileAnalysis).
        schedulesCreate: ['trialEndCall'],
      },
    },
    trialEndCall: {
      entry: 'functions/trial-end-call/handler.ts',
      description: 'Day 14 of a trial: creates the end-of-trial call task',
      timeoutSeconds: 10,
      memoryMb: 256,
      triggers: [{ kind: 'oneTimeSchedule', description: 'One schedule per Repricer trial, created at sign-up' }],
      access: { tablesRead: ['core'], tablesWrite: ['core'] },
    },
    csmStaff: {
      entry: 'functions/csm-staff/handler.ts',
      description: 'Staff directory, leaving managers (re-assignment) and push preferences (SNS filter policies)',
      timeoutSeconds: 30,
      memoryMb: 512,
      triggers: [
        { kind: 'http', route: 'listStaff' },
        { kind: 'http', route: 'upsertStaff' },
        { kind: 'http', route: 'staffLeaves' },
        { kind: 'http', route: 'setPushPreferences' },
      ],
      access: { tablesRead: ['core'], tablesWrite: ['core'], topicsSubscribe: ['csmNotifications'] },
    },
    csmFeed: {
      entry: 'functions/csm-feed/handler.ts',
      description: 'The CSM notification feed with read/unread',
      timeoutSeconds: 5,
      memoryMb: 256,
      triggers: [
        { kind: 'http', route: 'listCsmNotifications' },
        { kind: 'http', route: 'markNotificationRead' },
      ],
      access: { tablesRead: ['core'], tablesWrite: ['core'] },
    },
    csmTasks: {
      entry: 'functions/csm-tasks/handler.ts',
      description: "The CSM task queue: my open tasks, a customer's tasks (history of contacts), start, complete with an outcome (an end-of-trial call may convert the trial and switch the offers)",
      timeoutSeconds: 30,
      memoryMb: 256,
      triggers: [
        { kind: 'http', route: 'listMyTasks' },
        { kind: 'http', route: 'listUnassignedTasks' },
        { kind: 'http', route: 'listCustomerTasks' },
        { kind: 'http', route: 'startTask' },
        { kind: 'http', route: 'completeTask' },
      ],
      // productFeedback: difficulties recorded with a call's outcome (issue 8, shared/service/task-outcomes.ts).
      // customerEvents: an end-of-trial call that converts publishes contract.converted; repricer + repricerHistory:
      // its new strategy goes through the repricer's strategy use case (offers and their price history).
      access: {
        tablesRead: ['core', 'repricer'],
        tablesWrite: ['core', 'repricer', 'repricerHistory'],
        topicsPublish: ['productFeedback', 'customerEvents'],
      },
    },
    outboxRelay: {
      entry: 'functions/outbox-relay/handler.ts',
      description: 'Publishes events whose publication was interrupted (transactional outbox relay)',
      timeoutSeconds: 60,
      memoryMb: 512,
      triggers: [{ kind: 'schedule', schedule: 'outbox-relay', rateMinutes: 1, description: 'Re-publish events left pending' }],
      access: { tablesRead: ['core'], tablesWrite: ['core'], topicsPublish: ['customerEvents'] },
    },
  },
} as const satisfies DomainWiring;
