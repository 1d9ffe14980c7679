// Runs dynalite 4 (a DynamoDB emulator) inside the test process: in memory
// (no `path` option, so it uses memory-level and leaves no files), on
// 127.0.0.1 with a port the OS picks. dynalite and its dependencies are all
// CommonJS, so the Jest config needs no transform for them.
//
// What dynalite 4.0.0 implements (see validOperations in its index.js):
// BatchGetItem, BatchWriteItem, CreateTable, DeleteItem, DeleteTable,
// DescribeTable, DescribeTimeToLive, GetItem, ListTables, PutItem, Query, Scan,
// TagResource, UntagResource, ListTagsOfResource, UpdateItem, UpdateTable.
// Everything else — notably TransactWriteItems, TransactGetItems,
// UpdateTimeToLive and PartiQL — fails with `UnknownOperationException`.
// DescribeTimeToLive always answers DISABLED and items never expire.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type AttributeDefinition,
  type DynamoDBClientConfig,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';

interface DynaliteOptions {
  /** How long new tables stay CREATING; dynalite's default is 500 ms. */
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
  /** A LevelDB directory; without it the data stays in memory. */
  path?: string;
}
type Dynalite = (options?: DynaliteOptions) => Server;

// dynalite ships no type declarations (and there is no @types/dynalite).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as Dynalite;

const HOSTNAME = '127.0.0.1';
const REGION = 'us-east-1';

export interface LocalDynamoDb {
  /** e.g. http://127.0.0.1:41234 */
  endpoint: string;
  stop(): Promise<void>;
}

export interface TableDefinition {
  tableName: string;
  /** String (S) partition key attribute. */
  partitionKey: string;
  /** String (S) sort key attribute. */
  sortKey?: string;
  /**
   * Accepted for parity with the real table but not applied: dynalite lacks
   * UpdateTimeToLive (and never expires items).
   */
  timeToLiveAttribute?: string;
}

/** DynamoDB client settings for the emulator: dummy credentials, us-east-1. */
export function localDynamoDbClientConfig(endpoint: string): DynamoDBClientConfig {
  return {
    endpoint,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
}

/** With `path`, dynalite keeps its data in that LevelDB directory (npm start's state); without, in memory. */
export async function startLocalDynamoDb(options: { path?: string } = {}): Promise<LocalDynamoDb> {
  // Tables turn ACTIVE on the next timer tick instead of after 500 ms.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...options });
  const { port } = await listen(server);
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://${HOSTNAME}:${port}`,
    stop: () => (stopped ??= close(server)),
  };
}

export async function createTable(endpoint: string, definition: TableDefinition): Promise<void> {
  const { tableName, partitionKey, sortKey } = definition;
  const attributes: AttributeDefinition[] = [{ AttributeName: partitionKey, AttributeType: 'S' }];
  const keySchema: KeySchemaElement[] = [{ AttributeName: partitionKey, KeyType: 'HASH' }];
  if (sortKey !== undefined) {
    attributes.push({ AttributeName: sortKey, AttributeType: 'S' });
    keySchema.push({ AttributeName: sortKey, KeyType: 'RANGE' });
  }
  const client = new DynamoDBClient(localDynamoDbClientConfig(endpoint));
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: attributes,
        KeySchema: keySchema,
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    // definition.timeToLiveAttribute is deliberately not applied: dynalite
    // lacks UpdateTimeToLive (UnknownOperationException), so the
    // UpdateTimeToLiveCommand the real stack's setting corresponds to is skipped.
    await waitUntilActive(client, tableName);
  } finally {
    client.destroy();
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    if (Date.now() > deadline) {
      throw new Error(`table ${tableName} still ${Table?.TableStatus ?? 'unknown'} after 5 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function listen(server: Server): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOSTNAME, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    // dynalite's close() also closes its database once the HTTP side is done.
    server.close((error) => (error ? reject(error) : resolve()));
    // SDK clients keep sockets alive; without this close() waits for them.
    server.closeAllConnections();
  });
}
