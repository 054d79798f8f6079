import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lineDiff } from './schema-snapshot.js';

describe('lineDiff', () => {
  it('marks lines only in the committed text with -, only in the migrated one with +, with context', () => {
    assert.equal(lineDiff('a\nb\nc', 'a\nx\nc'), '  a\n- b\n+ x\n  c');
  });

  it('shows two lines around each change and an ellipsis between distant changes', () => {
    const committed = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].join('\n');
    const migrated = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].join('\n');
    assert.equal(lineDiff(committed, migrated), ['+ 0', '  1', '  2', '  …', '  8', '  9', '+ 10'].join('\n'));
  });

  it('is empty when the texts are equal', () => {
    assert.equal(lineDiff('a\nb', 'a\nb'), '');
  });
});
