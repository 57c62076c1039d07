import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commandLine, parseCommandLine, shellQuote, shellWords } from '../src/domain/config/command-line.js';
import { goDuration } from '../src/domain/config/leader-election.js';
import { type YamlValue, toYaml } from '../src/domain/config/yaml.js';

describe('shell rendering', () => {
  it('leaves safe words bare and single-quotes the rest', () => {
    expect(shellQuote('--initial-cluster=a=https://10.0.0.1:2380,b=https://[fd00::2]:2380')).toBe(
      "'--initial-cluster=a=https://10.0.0.1:2380,b=https://[fd00::2]:2380'",
    );
    expect(shellQuote('--name=etcd-1')).toBe('--name=etcd-1');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('<cp-1-address>')).toBe("'<cp-1-address>'");
  });

  it('renders one flag per continued line', () => {
    const line = commandLine('etcdctl', [{ name: '--endpoints', value: 'https://10.0.0.1:2379' }], ['member', 'list']);
    expect(line.text).toBe('etcdctl member list \\\n  --endpoints=https://10.0.0.1:2379');
  });

  it('splits words as sh does for quotes, escapes and continuations', () => {
    expect(shellWords("a 'b c' d\\ e \\\n  'f'\\''g'")).toEqual(['a', 'b c', 'd e', "f'g"]);
  });

  it('reads back any flag set it renders (property)', () => {
    // Characters that matter to a shell (quotes, escapes, expansions, separators, newlines) plus plain ones.
    const shellChar = fc.constantFrom(...`ab Z09'"\\$\`!*?[]{}<>|&;()#~=,:/@%+-_.\n\tü€`.split(''));
    const word = fc.string({ unit: shellChar, minLength: 0, maxLength: 30 });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            name: fc.constantFrom('--name', '--initial-cluster', '--data-dir', '--x', '--peer-urls'),
            value: word,
          }),
          { maxLength: 8 },
        ),
        fc.array(
          fc.string({ unit: shellChar, minLength: 1, maxLength: 12 }).filter((s) => !s.startsWith('--')),
          { maxLength: 3 },
        ),
        (flags, args) => {
          const line = commandLine('etcd', flags, args);
          return JSON.stringify(parseCommandLine(line.text)) === JSON.stringify({ command: 'etcd', args, flags });
        },
      ),
      { seed: 4, numRuns: 100 },
    );
  });
});

describe('YAML emitter', () => {
  it('writes a kubeadm-like document the way a person would', () => {
    const text = toYaml({
      apiVersion: 'kubeadm.k8s.io/v1beta4',
      etcd: { local: { extraArgs: [{ name: 'heartbeat-interval', value: '100' }] } },
      list: [],
    });
    expect(text).toBe(
      [
        'apiVersion: kubeadm.k8s.io/v1beta4',
        'etcd:',
        '  local:',
        '    extraArgs:',
        '      - name: heartbeat-interval',
        '        value: "100"',
        'list: []',
        '',
      ].join('\n'),
    );
  });

  it('quotes strings YAML would read as something else', () => {
    for (const word of [
      '100',
      'true',
      'no',
      'On',
      'null',
      '~',
      '3.5',
      '-1',
      '.inf',
      'a: b',
      'x:',
      '#c',
      '',
      ' lead',
      '<cp-1-address>',
    ]) {
      expect(parse(toYaml({ v: word }))).toEqual({ v: word });
      expect(toYaml({ v: word })).toContain('"');
    }
  });

  it('parses back to the same data with the yaml package (property)', () => {
    // Characters YAML treats specially (indicators, quotes, escapes, line breaks, BOM, C0/C1 controls, astral).
    const yamlChar = fc.constantFrom(
      ...[
        ...`aZ0 9:#-?[]{},&*!|>'"%@\`\\\t\n\r.~+=/<_é`,
        '\u0000',
        '\u0001',
        '\u007f',
        '\u0085',
        '\u00a0',
        '\u2028',
        '\ufeff',
        '😀',
      ],
    );
    const special = fc.constantFrom(
      'true',
      'False',
      'null',
      '~',
      'no',
      'Y',
      'on',
      '1e3',
      '0x1F',
      '0o7',
      '.inf',
      '-.NaN',
      '- a',
      '? x',
      '',
      '12:30',
      '2001-12-14',
    );
    const text = (maxLength: number) => fc.oneof(special, fc.string({ unit: yamlChar, maxLength }));
    const key = text(10);
    const leaf = fc.oneof(
      text(20),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.letrec<{ node: YamlValue }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(key, tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    const root = fc.oneof(fc.array(value, { maxLength: 4 }), fc.dictionary(key, value, { maxKeys: 5 }));
    fc.assert(
      fc.property(root, (data) => {
        expect(parse(toYaml(data), { uniqueKeys: true, version: '1.2' })).toEqual(data);
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe('Go durations', () => {
  it('writes whole seconds as s, fractions as ms', () => {
    expect(goDuration(15)).toBe('15s');
    expect(goDuration(2)).toBe('2s');
    expect(goDuration(2.5)).toBe('2500ms');
    expect(goDuration(0.1)).toBe('100ms');
  });
});
