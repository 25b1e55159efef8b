import type { BusinessMetrics } from '#shared/kernel/metrics.ts';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CsmTask } from '#shared/csm/tasks.ts';
import type { TaskRepository } from '#shared/csm/ports.ts';
import { isConditionFailure, putVersioned } from './conditional-write.ts';

/**
 * Tasks in the core table (pk TASK#<taskId>). The `assignee` index keys open tasks by manager and due time
 * (ASSIGNEE#<staffId>#open / <dueAt>#<taskId>, ASSIGNEE#*#open for tasks nobody has); done tasks move to
 * ASSIGNEE#<staffId>#done. The `customerTasks` index keys every task by its customer and creation time
 * (TASKS#<tenantId> / <createdAt>#<taskId>): the customer's history of contacts, done calls included.
 */
export class DynamoTaskRepository implements TaskRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Counts `TasksCreated` (dimension `kind`): every task of every flow is created here. */
    private readonly metrics?: BusinessMetrics,
  ) {}

  async createIfAbsent(task: CsmTask): Promise<boolean> {
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: toItem(task), ConditionExpression: 'attribute_not_exists(pk)' }));
      this.metrics?.count('TasksCreated', 1, { kind: task.kind });
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async get(taskId: string): Promise<CsmTask | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: `TASK#${taskId}`, sk: 'TASK' }, ConsistentRead: true }));
    return Item ? fromItem(Item) : undefined;
  }

  async listOpen(assigneeId: string | null, limit: number): Promise<CsmTask[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'assignee',
        KeyConditionExpression: 'assigneeKey = :key',
        ExpressionAttributeValues: { ':key': assigneeKey(assigneeId, 'open') },
        Limit: limit,
      }),
    );
    return Items.map(fromItem);
  }

  async listForCustomer(tenantId: string, limit: number): Promise<CsmTask[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'customerTasks',
        KeyConditionExpression: 'customerTasksKey = :key',
        ExpressionAttributeValues: { ':key': customerTasksKey(tenantId) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return Items.map(fromItem);
  }

  async save(task: CsmTask): Promise<void> {
    await putVersioned(this.client, this.tableName, toItem(task), task.version, `TASK#${task.taskId}`);
  }
}

function toItem(task: CsmTask): Record<string, unknown> {
  const bucket = task.status === 'done' ? 'done' : 'open';
  return {
    pk: `TASK#${task.taskId}`,
    sk: 'TASK',
    entity: 'csm-task',
    ...task,
    assigneeKey: assigneeKey(task.assigneeId, bucket),
    assigneeOrder: `${task.dueAt}#${task.taskId}`,
    customerTasksKey: customerTasksKey(task.tenantId),
    customerTasksOrder: `${task.createdAt}#${task.taskId}`,
  };
}

/** Nobody's tasks under `*`: not a character a staff id can have (`staffPathSchema`), so no manager's key. */
function assigneeKey(assigneeId: string | null, bucket: 'open' | 'done'): string {
  return `ASSIGNEE#${assigneeId ?? '*'}#${bucket}`;
}

function customerTasksKey(tenantId: string): string {
  return `TASKS#${tenantId}`;
}

function fromItem(item: Record<string, unknown>): CsmTask {
  const { pk: _pk, sk: _sk, entity: _entity, assigneeKey: _k, assigneeOrder: _o, customerTasksKey: _ck, customerTasksOrder: _co, ...task } = item;
  return task as unknown as CsmTask;
}
