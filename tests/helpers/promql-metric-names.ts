/**
 * The metric names a PromQL expression (or a Grafana query) reads: enough of
 * PromQL's grammar to tell a metric from a function, a keyword, a label name
 * or a Grafana variable. Used to check that deploy/prometheus and
 * deploy/grafana name only metrics Watchfloor exposes.
 */

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'Inf',
  'NaN',
  'inf',
  'nan',
]);

/** Every metric name the expression selects, sorted and without repeats. */
export function promqlMetricNames(expression: string): string[] {
  const stripped = expression
    // Grafana's label_values(<selector>, <label>): the label is not a metric.
    .replace(/label_values\(([\s\S]*),\s*[A-Za-z_]\w*\s*\)/g, '$1')
    // Grafana variables: $role, ${role}, $__rate_interval.
    .replace(/\$\{?\w+\}?/g, ' ')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    // Label lists of aggregations and vector matching.
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\boffset\s+-?\w+/g, ' ')
    // Numbers (1e9, 0.5, 0x1f) before identifiers, so their letters are not taken for names.
    .replace(/(^|[^\w:.])(0x[0-9a-f]+|\d+(\.\d*)?(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?)/gi, '$1 ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[A-Za-z_:][\w:]*/g)) {
    const name = match[0];
    // A name followed by "(" is a function.
    const next = stripped.slice(match.index + name.length).trimStart();
    if (next.startsWith('(') || KEYWORDS.has(name)) continue;
    names.add(name);
  }
  return [...names].sort();
}
