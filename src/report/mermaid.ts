/**
 * The group graph as a mermaid `flowchart LR`, one node per group, coloured by status. Pure.
 *
 * Node ids are ours (`g0`, `g1`, ... by position), never the group names, so no name can clash with a
 * mermaid keyword (`end`, `graph`, `class`, ...) or hold a character an id cannot. Names go only into
 * double-quoted labels, where mermaid's lexer ends the string at the next `"`; the characters that
 * would still be read as something else are written as mermaid entity codes (`#quot;`, `#35;`...),
 * which mermaid turns back into the characters when it draws:
 *
 * - `"` would end the label;
 * - `#` starts an entity code (`#35;`) of its own;
 * - `<`, `>`, `&` would be read as HTML (mermaid draws labels as HTML);
 * - `` ` `` starts a markdown label;
 * - `\` followed by `n` is read as a line break;
 * - `%` could make `%%{...}%%`, a directive that mermaid finds anywhere in the text;
 * - control characters and line breaks (a statement ends at a new line) become spaces.
 */

/** Statuses a node can show; each is a mermaid class. */
export type NodeStatus = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED';

/** The mermaid class of each status, and its colours (readable in GitHub's light and dark themes). */
export const STATUS_CLASSES: Readonly<Record<NodeStatus, { readonly name: string; readonly style: string }>> = {
  SUCCEEDED: { name: 'succeeded', style: 'fill:#dafbe1,stroke:#1a7f37,color:#0d1117' },
  FAILED: { name: 'failed', style: 'fill:#ffebe9,stroke:#cf222e,color:#0d1117,stroke-width:2px' },
  RUNNING: { name: 'running', style: 'fill:#ddf4ff,stroke:#0969da,color:#0d1117' },
  PENDING: { name: 'pending', style: 'fill:#eaeef2,stroke:#8c959f,color:#0d1117' },
  SKIPPED: { name: 'skipped', style: 'fill:#eaeef2,stroke:#8c959f,color:#57606a' },
};

const STATUS_ORDER: readonly NodeStatus[] = ['SUCCEEDED', 'FAILED', 'RUNNING', 'PENDING', 'SKIPPED'];

/** GitHub's mermaid refuses a diagram of more than 50,000 characters or 500 edges; stay well inside. */
export const MERMAID_LIMITS = { maxChars: 40_000, maxEdges: 500 } as const;

/** Longest label drawn; the full name is in the table. */
const MAX_LABEL_CHARS = 80;

const ENTITY: Readonly<Record<string, string>> = {
  '"': '#quot;',
  '#': '#35;',
  '&': '#amp;',
  '<': '#lt;',
  '>': '#gt;',
  '`': '#96;',
  '\\': '#92;',
  '%': '#37;',
};

/** Text safe inside a double-quoted mermaid label (see the module comment), cut to 80 characters. */
export function mermaidLabel(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes.
  const flat = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
  const chars = Array.from(flat);
  const cut = chars.length > MAX_LABEL_CHARS ? [...chars.slice(0, MAX_LABEL_CHARS - 1), '…'] : chars;
  return cut.map((c) => ENTITY[c] ?? c).join('');
}

export interface FlowchartNode {
  /** Shown in the node (escaped here). */
  readonly label: string;
  readonly status: NodeStatus;
  /** Indexes (in the node list) of the nodes this one depends on: each gives an edge dependency --> node. */
  readonly dependsOn: readonly number[];
}

export interface Flowchart {
  /** The diagram, without the code fence. */
  readonly text: string;
  readonly edges: number;
}

/** The mermaid id of the node at index `i`. */
export function nodeId(i: number): string {
  return `g${i}`;
}

/**
 * `flowchart LR`: the nodes in the order given, then the edges (dependency --> dependant, each once),
 * then one `classDef` and one `class` line per status present.
 */
export function renderFlowchart(nodes: readonly FlowchartNode[]): Flowchart {
  const lines = ['flowchart LR'];
  for (const [i, node] of nodes.entries()) lines.push(`  ${nodeId(i)}["${mermaidLabel(node.label)}"]`);
  const seen = new Set<string>();
  nodes.forEach((node, i) => {
    for (const d of node.dependsOn) {
      const key = `${d}>${i}`;
      if (d === i || d < 0 || d >= nodes.length || seen.has(key)) continue;
      seen.add(key);
      lines.push(`  ${nodeId(d)} --> ${nodeId(i)}`);
    }
  });
  for (const status of STATUS_ORDER) {
    const ids = nodes.flatMap((node, i) => (node.status === status ? [nodeId(i)] : []));
    if (ids.length === 0) continue;
    const cls = STATUS_CLASSES[status];
    lines.push(`  classDef ${cls.name} ${cls.style}`);
    lines.push(`  class ${ids.join(',')} ${cls.name}`);
  }
  return { text: lines.join('\n'), edges: seen.size };
}
