/** Operations run together: one, or a circle of POSTs referring to each other (RFC 7644 §3.7.1). */
export interface BulkStep {
  /** Operation indices, ascending. */
  readonly ops: readonly number[];
  readonly circular: boolean;
}

/**
 * The order operations run in: the client's, except that an operation runs after the ones
 * it refers to (RFC 7644 §3.7: the server may reorder, keeping the client's intent). `deps[i]`
 * are the operations `i` refers to. Strongly connected operations (a circle, or one referring
 * to itself) form one circular step. Among steps whose dependencies are done the one holding
 * the lowest index goes first, so a request without forward references keeps its order.
 */
export function processingOrder(deps: readonly ReadonlySet<number>[]): BulkStep[] {
  const component = stronglyConnected(deps);
  const count = Math.max(-1, ...component) + 1;
  const members: number[][] = Array.from({ length: count }, () => []);
  deps.forEach((_, i) => members[component[i]].push(i));
  const waitingOn = new Array<number>(count).fill(0);
  const dependents: number[][] = Array.from({ length: count }, () => []);
  const circular = new Array<boolean>(count).fill(false);
  deps.forEach((targets, i) => {
    for (const j of new Set([...targets].map((t) => component[t]))) {
      if (j === component[i]) circular[j] = true;
      else {
        waitingOn[component[i]]++;
        dependents[j].push(component[i]);
      }
    }
  });
  // Ready steps by their lowest index (members are filled in ascending order).
  const ready = members.map((_, c) => c).filter((c) => waitingOn[c] === 0);
  ready.sort((a, b) => members[a][0] - members[b][0]);
  const steps: BulkStep[] = [];
  while (ready.length > 0) {
    const c = ready.shift() as number;
    steps.push({ ops: members[c], circular: circular[c] || members[c].length > 1 });
    for (const d of dependents[c]) if (--waitingOn[d] === 0) insertSorted(ready, d, (x) => members[x][0]);
  }
  return steps;
}

function insertSorted(list: number[], value: number, key: (x: number) => number): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(list[mid]) < key(value)) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, value);
}

/** Tarjan's strongly connected components, iterative (a long chain of references must not exhaust the stack). */
function stronglyConnected(deps: readonly ReadonlySet<number>[]): number[] {
  const n = deps.length;
  const index = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const component = new Array<number>(n).fill(-1);
  const edges = deps.map((d) => [...d]);
  const stack: number[] = [];
  let next = 0;
  let components = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: [number, number][] = [[root, 0]];
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [v, edge] = frame;
      if (edge === 0) {
        index[v] = low[v] = next++;
        stack.push(v);
        onStack[v] = true;
      }
      if (edge < edges[v].length) {
        frame[1]++;
        const w = edges[v][edge];
        if (index[w] === -1) work.push([w, 0]);
        else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low[parent] = Math.min(low[parent], low[v]);
      }
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = false;
          component[w] = components;
        } while (w !== v);
        components++;
      }
    }
  }
  return component;
}
