import { compareNatural } from './natural-sort';
import { Instant } from './values';

describe('compareNatural', () => {
  it('orders the sort page’s example exactly: non-numbers first (digit runs by length), numbers last', () => {
    // The ascending example of the `sort` page of the Logs Insights documentation, in its order.
    const expected = [
      '!:',
      '#',
      '*%04',
      '0#',
      '5A',
      '111A',
      '2345_',
      '@',
      '@_',
      'A',
      'A9876fghj',
      'a12345hfh',
      '0',
      '01',
      '1',
      '2',
      '3',
    ];
    const shuffled = [...expected].reverse();
    expect(shuffled.sort(compareNatural)).toEqual(expected);
  });

  it('orders numbers by value (numeric text too) and instants by time; a missing value last', () => {
    expect([10, '9', 100, 2.5, undefined, 'x'].sort(compareNatural)).toEqual([
      'x',
      2.5,
      '9',
      10,
      100,
      undefined,
    ]);
    expect([new Instant(2000), new Instant(1000)].sort(compareNatural)).toEqual([
      new Instant(1000),
      new Instant(2000),
    ]);
  });
});
