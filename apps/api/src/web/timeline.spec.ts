import { timelineItems } from './timeline.js';

type Entry = Parameters<typeof timelineItems>[0][number];
const entry = (over: Partial<Entry>): Entry => ({
  version: 2,
  action: 'amended',
  reason: 'Checked with the victim',
  changes: {},
  changedAt: new Date('2026-05-01T10:00:00.000Z'),
  changedBy: 'reg.one',
  ...over,
});

describe('timelineItems', () => {
  it('names each changed field as the record page does, with its values in words', () => {
    const [item] = timelineItems([
      entry({
        changes: {
          victimAge: { old: 14, new: null },
          onlineFlag: { old: 'unknown', new: 'yes' },
          childSexualAbuse: { old: false, new: true },
          victimSex: { old: 'unknown', new: 'female' },
        },
      }),
    ]);
    expect(item.html).toContain('<strong>Victim age</strong>: 14 → Not known');
    expect(item.html).toContain('<strong>Online flag</strong>: Not known yet → Online');
    expect(item.html).toContain('<strong>Child sexual abuse</strong>: No → Yes');
    expect(item.html).toContain('<strong>Victim sex</strong>: Not known → Female');
    expect(item.html).not.toMatch(/victimAge|onlineFlag|childSexualAbuse/);
    // In the record page's order, whatever order the stored change has.
    const shown = [...item.html.matchAll(/<strong>([^<]+)<\/strong>/g)].map((m) => m[1]);
    expect(shown).toEqual(['Online flag', 'Victim age', 'Victim sex', 'Child sexual abuse']);
  });

  it('shows a first version as values only, and a field it does not know under its name in words', () => {
    const [item] = timelineItems([
      entry({
        version: 1,
        action: 'created',
        reason: null,
        changes: { status: { old: null, new: 'draft' }, someLaterField: { old: null, new: 'x' } },
      }),
    ]);
    expect(item.label.text).toBe('Recorded (version 1)');
    expect(item.html).toContain('<strong>Status</strong>: Draft</li>');
    expect(item.html).toContain('<strong>Some later field</strong>: x</li>');
  });

  it('escapes what a user typed', () => {
    const [item] = timelineItems([
      entry({ changes: { onlineMethod: { old: null, new: '<script>x</script>' } } }),
    ]);
    expect(item.html).toContain('Not given → &lt;script&gt;x&lt;/script&gt;');
    expect(item.html).not.toContain('<script>');
  });
});
