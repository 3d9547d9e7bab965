// The Node entry lists its exports by name (no `export *`); it must still offer everything the
// main entry does, plus fileStorage.
import { describe, expect, it } from 'vitest';
import * as main from '../src/index.js';
import * as node from '../src/node.js';

describe('cognito-kit/node', () => {
  it('exports every runtime value of cognito-kit, the same objects, plus fileStorage', () => {
    for (const [name, value] of Object.entries(main)) expect(node).toHaveProperty(name, value);
    expect(Object.keys(node).sort()).toEqual([...Object.keys(main), 'fileStorage'].sort());
  });
});
