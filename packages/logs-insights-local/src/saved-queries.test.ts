import fs from 'node:fs';
import path from 'node:path';
import { SAVED_QUERIES } from './saved-queries';

// The repository's query pack, which scripts/embed-queries.js copies into the package.
const PACK = path.join(__dirname, '..', '..', '..', 'cloudwatch-agent', 'queries');

describe('SAVED_QUERIES (the query pack the server offers)', () => {
  it('is cloudwatch-agent/queries/*.txt as it is now (else: node packages/logs-insights-local/scripts/embed-queries.js)', () => {
    const pack = fs
      .readdirSync(PACK)
      .filter((name) => name.endsWith('.txt'))
      .sort()
      .map((name) => ({ name: name.slice(0, -4), query: fs.readFileSync(path.join(PACK, name), 'utf8') }));
    expect(SAVED_QUERIES).toEqual(pack);
  });
});
