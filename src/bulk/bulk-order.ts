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
  const tarjan = new Tarjan(deps.map((d) => [...d]));
  for (let root = 0; root < deps.length; root++) tarjan.visit(root);
  return tarjan.component;
}

class Tarjan {
  readonly component: number[];
  private readonly index: number[];
  private readonly low: number[];
  private readonly onStack: boolean[];
  private readonly stack: number[] = [];
  private next = 0;
  private components = 0;

  constructor(private readonly edges: readonly (readonly number[])[]) {
    const n = edges.length;
    this.component = new Array<number>(n).fill(-1);
    this.index = new Array<number>(n).fill(-1);
    this.low = new Array<number>(n).fill(0);
    this.onStack = new Array<boolean>(n).fill(false);
  }

  /** Depth-first from `root` with an explicit stack of (node, next edge) frames. */
  visit(root: number): void {
    if (this.index[root] !== -1) return;
    const work: [number, number][] = [[root, 0]];
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [v, edge] = frame;
      if (edge === 0) this.open(v);
      if (edge < this.edges[v].length) {
        frame[1]++;
        const w = this.edges[v][edge];
        if (this.index[w] === -1) work.push([w, 0]);
        else if (this.onStack[w]) this.low[v] = Math.min(this.low[v], this.index[w]);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1]?.[0];
      if (parent !== undefined) this.low[parent] = Math.min(this.low[parent], this.low[v]);
      if (this.low[v] === this.index[v]) this.close(v);
    }
  }

  private open(v: number): void {
    this.index[v] = this.low[v] = this.next++;
    this.stack.push(v);
    this.onStack[v] = true;
  }

  /** `v` roots a component: everything above it on the stack belongs to it. */
  private close(v: number): void {
    let w: number;
    do {
      w = this.stack.pop() as number;
      this.onStack[w] = false;
      this.component[w] = this.components;
    } while (w !== v);
    this.components++;
  }
}
