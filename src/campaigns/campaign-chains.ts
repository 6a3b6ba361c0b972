// Parties and chains uncovered by a campaign (pure): from the campaign's cases in the
// caller's scope, each with its dashboard group, and the parties each states.
// - a linked party is a party (one row of the register: the same checked identifier,
//   or the same normalised name for a party without one) stated by two or more of them;
// - a chain is a connected group of two or more of them joined by linked parties.
// Both count in every group where they have a case: a network reaching two regions is
// uncovered in both, and a regional office reading its row must see it. So the groups
// do not add up to the total, which counts each party and each chain once.

/** A case of the campaign: `referral:<id>` or `admin-case:<id>`, and its group key. */
export interface CampaignCase {
  node: string;
  key: string;
}

export interface Uncovered {
  linkedParties: number;
  chains: number;
}

export function uncovered(
  cases: CampaignCase[],
  statements: { partyId: string; node: string }[],
): { byKey: Map<string, Uncovered>; total: Uncovered } {
  const keyOf = new Map(cases.map((c) => [c.node, c.key]));
  const casesOf = new Map<string, Set<string>>();
  for (const s of statements) {
    if (!keyOf.has(s.node)) continue;
    let set = casesOf.get(s.partyId);
    if (!set) casesOf.set(s.partyId, (set = new Set()));
    set.add(s.node);
  }
  const linked = [...casesOf.values()].filter((set) => set.size >= 2);

  // Union-find over the cases joined by linked parties.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    for (let at = x; at !== root;) {
      const up = parent.get(at)!;
      parent.set(at, root);
      at = up;
    }
    return root;
  };
  for (const set of linked) {
    const [first, ...rest] = [...set];
    for (const other of rest) {
      const a = find(first);
      const b = find(other);
      if (a !== b) parent.set(b, a);
    }
  }
  const chains = new Map<string, Set<string>>();
  for (const set of linked) {
    for (const node of set) {
      const root = find(node);
      let members = chains.get(root);
      if (!members) chains.set(root, (members = new Set()));
      members.add(node);
    }
  }

  const byKey = new Map<string, Uncovered>();
  const count = (nodes: Iterable<string>, figure: keyof Uncovered) => {
    for (const key of new Set([...nodes].map((n) => keyOf.get(n)!))) {
      const f = byKey.get(key) ?? { linkedParties: 0, chains: 0 };
      f[figure] += 1;
      byKey.set(key, f);
    }
  };
  for (const set of linked) count(set, 'linkedParties');
  for (const members of chains.values()) count(members, 'chains');
  return { byKey, total: { linkedParties: linked.length, chains: chains.size } };
}
