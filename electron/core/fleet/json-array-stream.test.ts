import { describe, expect, it } from 'vitest';
import { JsonArraySplitter } from './json-array-stream.js';

describe('JsonArraySplitter', () => {
  const items = [
    { id: 'a', hostname: 'pc-{1}', tags: ['plan:x', 'created-by:y'], summary: { total_files_processed: 3 } },
    { id: 'b', hostname: 'quote " and \\ backslash ]}', paths: ['/C/Users/ana'] },
    { id: 'c', hostname: '<script>alert(1)</script>', nested: [[{ deep: '[' }]] },
  ];
  const text = JSON.stringify(items) + '\n';

  it('returns every element whatever the chunk boundaries', () => {
    for (const size of [1, 2, 3, 7, 16, text.length]) {
      const got: unknown[] = [];
      const splitter = new JsonArraySplitter((element) => got.push(JSON.parse(element)));
      for (let i = 0; i < text.length; i += size) splitter.push(text.slice(i, i + size));
      expect(got, `chunks of ${size}`).toEqual(items);
    }
  });

  it('an empty list or null yields nothing', () => {
    const got: string[] = [];
    const splitter = new JsonArraySplitter((element) => got.push(element));
    splitter.push('[]\n');
    splitter.push('null\n');
    expect(got).toEqual([]);
  });
});
