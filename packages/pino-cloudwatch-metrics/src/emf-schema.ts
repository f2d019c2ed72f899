/**
 * The Embedded Metric Format's rules, as a JSON Schema (draft-07 subset) written from the
 * specification (CloudWatch User Guide, "Specification: Embedded metric format", and its schema),
 * with today's limits: 30 dimension keys per set, 100 metrics per directive, `StorageResolution` 1 or
 * 60, CloudWatch's units. What a schema cannot say — every referenced member is on the root node,
 * a dimension member is a string, a metric member a number or an array of at most 100 numbers — is
 * checked by {@link checkEmf} after the schema. Used by the tests to check every line written; not
 * part of the package's API.
 */
import { LIMITS, UNITS } from './constants';

/** An EMF document as read back from a line: the metadata typed, every other member as it is. */
export interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit?: string; StorageResolution?: number }[];
    }[];
  };
  [member: string]: unknown;
}

/** Every value of metric `name` in a document: its number, its array, or none. */
export function metricValues(document: Record<string, unknown>, name: string): number[] {
  const value = document[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as number[]) : [value as number];
}

const name = { type: 'string', minLength: 1, maxLength: 255 } as const;

export const EMF_SCHEMA = {
  type: 'object',
  required: ['_aws'],
  properties: {
    _aws: {
      type: 'object',
      required: ['Timestamp', 'CloudWatchMetrics'],
      properties: {
        Timestamp: { type: 'integer', minimum: 0 },
        CloudWatchMetrics: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['Namespace', 'Dimensions', 'Metrics'],
            additionalProperties: false,
            properties: {
              Namespace: name,
              Dimensions: {
                type: 'array',
                minItems: 1,
                items: { type: 'array', minItems: 0, maxItems: LIMITS.dimensionsPerSet, items: name },
              },
              Metrics: {
                type: 'array',
                minItems: 1,
                maxItems: LIMITS.metricsPerDirective,
                items: {
                  type: 'object',
                  required: ['Name'],
                  additionalProperties: false,
                  properties: {
                    Name: name,
                    Unit: { type: 'string', enum: [...UNITS] },
                    StorageResolution: { type: 'integer', enum: [1, 60] },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

/** The part of JSON Schema {@link EMF_SCHEMA} uses. */
interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number';
  required?: readonly string[];
  properties?: Readonly<Record<string, Schema>>;
  additionalProperties?: boolean;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  enum?: readonly unknown[];
}

/** Problems of `value` against `schema` (a small validator of the keywords above), as `path: problem`. */
export function checkSchema(value: unknown, schema: Schema, path = '$'): string[] {
  const problems: string[] = [];
  const type = schema.type;
  if (type === 'object') {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return [`${path}: not an object`];
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in object)) problems.push(`${path}: no ${key}`);
    for (const [key, member] of Object.entries(object)) {
      const sub = schema.properties?.[key];
      if (sub !== undefined) problems.push(...checkSchema(member, sub, `${path}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${path}: unexpected member ${key}`);
    }
  } else if (type === 'array') {
    if (!Array.isArray(value)) return [`${path}: not an array`];
    if (schema.minItems !== undefined && value.length < schema.minItems)
      problems.push(`${path}: fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      problems.push(`${path}: more than ${schema.maxItems} items`);
    if (schema.items !== undefined)
      value.forEach((item, i) => problems.push(...checkSchema(item, schema.items!, `${path}[${i}]`)));
  } else if (type === 'string') {
    if (typeof value !== 'string') return [`${path}: not a string`];
    if (schema.minLength !== undefined && value.length < schema.minLength)
      problems.push(`${path}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      problems.push(`${path}: longer than ${schema.maxLength}`);
  } else if (type === 'integer' || type === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) return [`${path}: not a number`];
    if (type === 'integer' && !Number.isInteger(value)) problems.push(`${path}: not an integer`);
    if (schema.minimum !== undefined && value < schema.minimum)
      problems.push(`${path}: below ${schema.minimum}`);
  }
  if (schema.enum !== undefined && !schema.enum.includes(value))
    problems.push(`${path}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
  return problems;
}

/**
 * Problems of one EMF document: the schema, then the references — every dimension key a string member
 * of the root, every metric a member that is a finite number or an array of 1 to 100 finite numbers,
 * no metric named twice in a directive. An empty list means CloudWatch extracts its metrics.
 */
export function checkEmf(document: unknown): string[] {
  const problems = checkSchema(document, EMF_SCHEMA as Schema);
  if (problems.length > 0) return problems;
  const root = document as Record<string, unknown> & {
    _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  };
  root._aws.CloudWatchMetrics.forEach((directive, d) => {
    for (const set of directive.Dimensions) {
      for (const key of set) {
        const value = root[key];
        if (typeof value !== 'string')
          problems.push(`directive ${d}: dimension ${key} is not a string member of the root`);
        else if (value.length === 0 || value.length > LIMITS.dimensionValueLength) {
          problems.push(
            `directive ${d}: dimension ${key} has ${value.length} characters (1 to ${LIMITS.dimensionValueLength})`,
          );
        }
      }
    }
    const seen = new Set<string>();
    for (const { Name } of directive.Metrics) {
      if (seen.has(Name)) problems.push(`directive ${d}: metric ${Name} twice`);
      seen.add(Name);
      const value = root[Name];
      const values = Array.isArray(value) ? value : [value];
      if (Array.isArray(value) && (value.length === 0 || value.length > LIMITS.valuesPerMetric)) {
        problems.push(
          `directive ${d}: metric ${Name} has ${value.length} values (1 to ${LIMITS.valuesPerMetric})`,
        );
      }
      if (!values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        problems.push(`directive ${d}: metric ${Name} is not a number or an array of numbers`);
      }
    }
  });
  return problems;
}
