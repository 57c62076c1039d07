/**
 * @module config/yaml
 * A small YAML emitter for the configuration documents we generate: mappings, sequences, strings, numbers
 * and booleans in block style. It exists so the Worker does not bundle a full YAML library for output it
 * fully controls; tests parse every emitted document with the `yaml` package and compare it with the data.
 *
 * Strings are written plain only when they cannot be read as anything else (no number, boolean, null or
 * indicator character); otherwise as double-quoted scalars, whose escapes are a superset of JSON's.
 */

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

/** Words YAML 1.1 or 1.2 would read as booleans or null. */
const specialWords = /^(y|yes|n|no|true|false|on|off|null|~)$/i;
const plainSafe = /^[A-Za-z/_][A-Za-z0-9_./:@+-]*$/;

function yamlString(value: string): string {
  if (plainSafe.test(value) && !specialWords.test(value) && !value.endsWith(':')) return value;
  // JSON leaves DEL, the C1 controls and the byte-order mark unescaped; YAML wants them escaped.
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function scalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return yamlString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`cannot emit ${value} as YAML`);
    return String(value);
  }
  return value ? 'true' : 'false';
}

function isScalar(value: YamlValue): value is string | number | boolean | null {
  return value === null || typeof value !== 'object';
}

function emptyCollection(value: YamlValue): string | undefined {
  if (Array.isArray(value) && value.length === 0) return '[]';
  if (!isScalar(value) && !Array.isArray(value) && Object.keys(value).length === 0) return '{}';
  return undefined;
}

function emitLines(value: YamlValue, indent: string): string[] {
  if (isScalar(value)) return [`${indent}${scalar(value)}`];
  if (Array.isArray(value)) {
    const lines: string[] = [];
    for (const item of value) {
      const empty = emptyCollection(item);
      if (isScalar(item) || empty !== undefined) {
        lines.push(`${indent}- ${empty ?? scalar(item as string | number | boolean | null)}`);
        continue;
      }
      // A nested collection: its first line follows the dash, the rest align under it.
      const inner = emitLines(item, `${indent}  `);
      lines.push(`${indent}- ${inner[0]!.slice(indent.length + 2)}`, ...inner.slice(1));
    }
    return lines;
  }
  const lines: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const empty = emptyCollection(item);
    if (isScalar(item) || empty !== undefined) {
      lines.push(`${indent}${yamlString(key)}: ${empty ?? scalar(item as string | number | boolean | null)}`);
    } else {
      lines.push(`${indent}${yamlString(key)}:`, ...emitLines(item, `${indent}  `));
    }
  }
  return lines;
}

/** One YAML document, ending in a newline. The top level must be a mapping or a sequence. */
export function toYaml(value: YamlValue): string {
  const empty = emptyCollection(value);
  if (empty !== undefined) return `${empty}\n`;
  return `${emitLines(value, '').join('\n')}\n`;
}
