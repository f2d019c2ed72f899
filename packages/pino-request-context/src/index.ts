export { type DestinationStream } from './context-destination';
export { cycleLevelOnSignal, type LevelSignalOptions } from './level-signal';
export { BUFFERED_KEY, DROPPED_KEY } from './line';
export { DEFAULTS, type RequestContextsOptions } from './options';
// One way to create contexts: createRequestContexts. The classes are exported as types only.
export {
  createRequestContexts,
  type LogMethodHook,
  type RequestContext,
  type RequestContexts,
  type RequestContextsStats,
} from './request-contexts';
