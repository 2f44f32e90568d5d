import type { CellChange, ReturnState } from '#libs/returns';

// A return state as an MOJ badge: text always, colour only as a second signal.
export function stateTag(state: ReturnState | 'none'): { text: string; classes: string } {
  const classes: Record<string, string> = {
    none: 'moj-badge--grey',
    draft: 'moj-badge--grey',
    submitted: 'moj-badge--blue',
    returned: 'moj-badge--red',
    accepted: 'moj-badge--green',
    locked: 'moj-badge--purple',
    revised: 'moj-badge--blue',
  };
  return {
    text: state === 'none' ? 'not started' : state,
    classes: `moj-badge ${classes[state] ?? ''}`,
  };
}

// The diff's changes by cell path ('tableA.rows[offence 8L].flagYes'), which the tables partial looks up per cell.
export function changeIndex(changes: CellChange[]): Record<string, { old: unknown; new: unknown }> {
  return Object.fromEntries(changes.map((c) => [c.path, { old: c.old, new: c.new }]));
}
