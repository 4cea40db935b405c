// subscriptions/: change events (`userCreated`, `userUpdated`, `userDeleted`), pub/sub brokers
// (memory, Redis, PostgreSQL LISTEN/NOTIFY with opt-in triggers) and the graphql-ws transport.
export { CHANGE_OPERATIONS, channelFor } from './ChangeEvent.js'
export type { ChangeEvent, ChangeOperation } from './ChangeEvent.js'
export type { PubSub, PubSubSubscription } from './PubSub.js'
export { memoryPubSub } from './memoryPubSub.js'
export { redisPubSub } from './redisPubSub.js'
export { postgresPubSub } from './postgresPubSub.js'
export { installDatabaseTriggers, dropDatabaseTriggers } from './databaseTriggers.js'
export { createChangeFeed } from './ChangeFeed.js'
export type { ChangeFeed, RowChanges, SubscriptionSettings } from './ChangeFeed.js'
export { shareRead, stableKey } from './shareRead.js'
export { DeliveryFailure, filteredStream } from './filteredStream.js'
export { deletedRowMatch } from './deletedRowMatch.js'
export { attachWebSocket, CLOSE_FORBIDDEN } from './attachWebSocket.js'
export type {
  PipelineAnswer,
  SocketPipeline,
  WebSocketEndpoint,
  WebSocketOptions,
} from './attachWebSocket.js'
export { tokenExpiredRefusal } from './credentialWatch.js'
