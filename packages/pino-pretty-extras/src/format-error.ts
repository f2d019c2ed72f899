import { STACK_INDENT } from './constants';
import { isErrorLike } from './flatten-extras';
import { sanitizeText } from './sanitize-text';

/** Deepest `cause` chain printed; a longer (or circular) chain ends with a marker. */
const MAX_CAUSES = 10;

/**
 * The lines printed under a record for one serialized error: its stack (or `Type: message` when
 * it has none), then each structured `cause` (pino's `errWithCause`) as `caused by: …`, then each
 * member of an `AggregateError`. Every line is indented so that the CloudWatch agent and a
 * reader see it as a continuation of the record. Each line ends with `eol`.
 */
export function formatErrorBlock(error: Record<string, unknown>, eol: string): string {
  let out = '';
  const seen: object[] = [];
  let current: unknown = error;
  let prefix = '';
  for (let depth = 0; isErrorLike(current); depth++) {
    if (seen.includes(current) || depth > MAX_CAUSES) {
      out += `${STACK_INDENT}caused by: …${eol}`;
      break;
    }
    seen.push(current);
    out += stackLines(current, prefix, eol);
    const aggregated = current.aggregateErrors;
    if (Array.isArray(aggregated)) {
      for (let i = 0; i < aggregated.length; i++) {
        const member: unknown = aggregated[i];
        if (isErrorLike(member)) out += stackLines(member, `aggregated error [${i}]: `, eol, STACK_INDENT);
      }
    }
    current = current.cause;
    prefix = 'caused by: ';
  }
  return out;
}

function stackLines(error: Record<string, unknown>, prefix: string, eol: string, extraIndent = ''): string {
  const text =
    typeof error.stack === 'string' && error.stack !== ''
      ? error.stack
      : `${typeof error.type === 'string' ? error.type : 'Error'}: ${String(error.message ?? '')}`;
  const lines = text.split('\n');
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (line.endsWith('\r')) line = line.slice(0, -1);
    out += `${STACK_INDENT}${extraIndent}${i === 0 ? prefix : ''}${sanitizeText(line)}${eol}`;
  }
  return out;
}
