export { type DestinationStream } from './context-destination';
export { cycleLevelOnSignal, type LevelSignalOptions } from './level-signal';
export { BUFFERED_KEY, DROPPED_KEY } from './line';
export { DEFAULTS, type RequestContextsOptions } from './options';
export {
  createRequestContexts,
  type LogMethodHook,
  RequestContext,
  RequestContexts,
  type RequestContextsStats,
} from './request-contexts';
