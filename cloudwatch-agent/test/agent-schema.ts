/**
 * The parts of the agent's JSON schema (aws/amazon-cloudwatch-agent translator/config/schema.json)
 * that our rendered config touches, as CONTRACT §5/§6.7 states them, plus CloudWatch's own
 * rules for names. `configProblems` returns one message per violation; [] means valid.
 */

/** Keys a `collect_list` item may have (`additionalProperties: false`), CONTRACT §6.7. */
export const COLLECT_LIST_ITEM_KEYS = [
  'file_path',
  'log_group_name',
  'log_stream_name',
  'log_group_class',
  'multi_line_start_pattern',
  'timestamp_format',
  'timezone',
  'trim_timestamp',
  'encoding',
  'auto_removal',
  'backpressure_mode',
  'blacklist',
  'publish_multi_logs',
  'retention_in_days',
  'filters',
] as const;

export const RETENTION_IN_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** CloudWatch Logs: 1-512 of these characters (CreateLogGroup). */
export const LOG_GROUP_NAME_RULE = /^[.\-_/#A-Za-z0-9]{1,512}$/;
/** CloudWatch Logs: 1-512 characters, no ':' or '*' (CreateLogStream). */
export const LOG_STREAM_NAME_RULE = /^[^:*]{1,512}$/;
export const STREAM_PLACEHOLDERS = [
  '{hostname}',
  '{instance_id}',
  '{ip_address}',
  '{local_hostname}',
] as const;
/** What the agent reads in our lines' `@timestamp` (CONTRACT §6.4). */
export const OUR_TIMESTAMP_FORMAT = '%Y-%m-%dT%H:%M:%S.%fZ';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (value: unknown): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function onlyKeys(where: string, value: Record<string, Json>, allowed: readonly string[]): string[] {
  return Object.keys(value)
    .filter((key) => !allowed.includes(key))
    .map((key) => `${where}: key "${key}" is not allowed (allowed: ${allowed.join(', ')})`);
}

function stringRule(where: string, value: Json | undefined, min: number, max: number): string[] {
  if (typeof value !== 'string') return [`${where}: must be a string`];
  if (value.length < min || value.length > max) return [`${where}: length must be ${min}-${max}`];
  return [];
}

/** Every rule a collect_list item of ours must pass. */
export function itemProblems(where: string, item: Json): string[] {
  if (!isObject(item)) return [`${where}: must be an object`];
  const problems = onlyKeys(where, item, COLLECT_LIST_ITEM_KEYS);
  if (!('file_path' in item)) problems.push(`${where}: file_path is required`);
  else problems.push(...stringRule(`${where}.file_path`, item.file_path, 1, 4096));

  const group = item.log_group_name;
  if (typeof group !== 'string' || !LOG_GROUP_NAME_RULE.test(group))
    problems.push(`${where}.log_group_name: ${JSON.stringify(group)} breaks CloudWatch's name rule`);
  const stream = item.log_stream_name;
  if (typeof stream !== 'string' || !LOG_STREAM_NAME_RULE.test(stream))
    problems.push(`${where}.log_stream_name: ${JSON.stringify(stream)} breaks CloudWatch's name rule`);

  if (item.timestamp_format !== OUR_TIMESTAMP_FORMAT)
    problems.push(`${where}.timestamp_format: must be ${OUR_TIMESTAMP_FORMAT} to match @timestamp`);
  if (item.timezone !== 'UTC') problems.push(`${where}.timezone: must be "UTC" (our @timestamp is UTC)`);
  // The sidecar deletes files, not the agent (CONTRACT §5, §6.14-15): with auto_removal the agent
  // would delete a file whose last lines may not be accepted yet, and stop reading an older file
  // of the family when a newer one appears. So no entry, wildcard or exact, has it.
  if (item.auto_removal !== false)
    problems.push(
      `${where}.auto_removal: must be false (the sidecar deletes files once CloudWatch accepted their last byte)`,
    );
  if (typeof item.file_path === 'string' && /[?[\]{}!]|\*./.test(item.file_path))
    problems.push(`${where}.file_path: only one trailing * (a family) or an exact path (a leftover)`);
  if ('publish_multi_logs' in item && item.publish_multi_logs !== false)
    problems.push(`${where}.publish_multi_logs: unsafe together with auto_removal (CONTRACT §6.1)`);
  if (
    'retention_in_days' in item &&
    !(RETENTION_IN_DAYS as readonly unknown[]).includes(item.retention_in_days as unknown)
  )
    problems.push(`${where}.retention_in_days: ${JSON.stringify(item.retention_in_days)} is not allowed`);
  for (const key of ['multi_line_start_pattern', 'encoding', 'blacklist', 'log_group_class'] as const)
    if (key in item)
      problems.push(...stringRule(`${where}.${key}`, item[key], 1, key === 'log_group_class' ? 512 : 4096));
  return problems;
}

/** Every rule our whole rendered config must pass. */
export function configProblems(config: unknown): string[] {
  if (!isObject(config)) return ['config: must be an object'];
  const problems = onlyKeys('config', config, ['agent', 'logs']);
  if ('agent' in config) {
    const agent = config.agent;
    if (!isObject(agent)) problems.push('agent: must be an object');
    else {
      problems.push(...onlyKeys('agent', agent, ['region']));
      if ('region' in agent) problems.push(...stringRule('agent.region', agent.region, 1, 64));
    }
  }
  const logs = config.logs;
  if (!isObject(logs)) return [...problems, 'logs: must be an object'];
  problems.push(...onlyKeys('logs', logs, ['logs_collected', 'force_flush_interval']));
  if ('force_flush_interval' in logs) {
    const interval = logs.force_flush_interval;
    if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 1)
      problems.push('logs.force_flush_interval: must be a positive integer (seconds)');
  }
  const collected = logs.logs_collected;
  if (!isObject(collected)) return [...problems, 'logs.logs_collected: must be an object'];
  problems.push(...onlyKeys('logs.logs_collected', collected, ['files']));
  const files = collected.files;
  if (!isObject(files)) return [...problems, 'logs.logs_collected.files: must be an object'];
  problems.push(...onlyKeys('files', files, ['collect_list']));
  const list = files.collect_list;
  if (!Array.isArray(list) || list.length < 1 || list.length > 16384)
    return [...problems, 'collect_list: must be an array of 1-16384 items'];
  if (new Set(list.map((item) => JSON.stringify(item))).size !== list.length)
    problems.push('collect_list: items must be unique');
  const paths = list.map((item) => (isObject(item) ? item.file_path : undefined));
  if (new Set(paths).size !== paths.length) problems.push('collect_list: one entry per file family');
  list.forEach((item, index) => problems.push(...itemProblems(`collect_list[${index}]`, item)));
  return problems;
}
