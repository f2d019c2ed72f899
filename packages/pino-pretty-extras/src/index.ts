import { prettyExtras } from './pretty-extras';

export default prettyExtras;
export { prettyExtras };
export type { PrettyExtrasStream } from './pretty-extras';
export { formatRecord } from './format-record';
export { OPTION_NAMES, parseOptions } from './options';
export type { FormatContext, PrettyExtrasOptions, WritableLike } from './options';
export { OptionError } from './option-error';
