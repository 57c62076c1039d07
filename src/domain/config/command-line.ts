/**
 * @module config/command-line
 * A component's flags as structured data, and the same flags as a POSIX shell command line. The text is
 * rendered from the structure only, never edited by hand, and {@link parseCommandLine} reads it back (tests
 * check the round trip).
 *
 * Flags are written `--name=value`: every Go flag parser (pflag for Kubernetes, etcd's flag set) accepts
 * that form for strings, durations, lists and booleans alike, so one spelling serves every component.
 */

export interface Flag {
  /** With its leading dashes, as typed: `--initial-cluster`. */
  name: string;
  value: string;
}

export interface CommandLine {
  /** The executable, e.g. `etcd`, `kube-apiserver`, `etcdctl`. */
  command: string;
  /** Positional words after the command and before the flags, e.g. `member add NAME`. */
  args: string[];
  flags: Flag[];
  /** The shell text: one flag per line, joined with backslash-newline. */
  text: string;
}

/** Characters that never need quoting in sh, bash, zsh or dash. */
const safeWord = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes a word for a POSIX shell: bare when safe, otherwise in single quotes ('\'' for a quote). */
export function shellQuote(word: string): string {
  if (word !== '' && safeWord.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

export function commandLine(command: string, flags: Flag[], args: string[] = []): CommandLine {
  const head = [command, ...args].map(shellQuote).join(' ');
  const text = [head, ...flags.map((flag) => `  ${shellQuote(`${flag.name}=${flag.value}`)}`)].join(' \\\n');
  return { command, args: [...args], flags: flags.map((flag) => ({ ...flag })), text };
}

/**
 * Splits shell text into words the way sh does for the subset {@link commandLine} produces: bare words,
 * single-quoted strings, backslash escapes and backslash-newline continuations. No variables or globbing:
 * text containing them is not ours.
 */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let current: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[i + 1];
      i++;
      if (next === '\n' || next === undefined) continue;
      current = (current ?? '') + next;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new SyntaxError('unterminated single quote');
      current = (current ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (c === ' ' || c === '\n' || c === '\t') {
      if (current !== undefined) words.push(current);
      current = undefined;
    } else {
      current = (current ?? '') + c;
    }
  }
  if (current !== undefined) words.push(current);
  return words;
}

/** Reads {@link CommandLine.text} back into its parts: the inverse of {@link commandLine}. */
export function parseCommandLine(text: string): Omit<CommandLine, 'text'> {
  const [command, ...rest] = shellWords(text);
  if (command === undefined) throw new SyntaxError('empty command line');
  const args: string[] = [];
  const flags: Flag[] = [];
  for (const word of rest) {
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      if (eq < 0) throw new SyntaxError(`flag without a value: ${word}`);
      flags.push({ name: word.slice(0, eq), value: word.slice(eq + 1) });
    } else if (flags.length === 0) {
      args.push(word);
    } else {
      throw new SyntaxError(`positional word after the flags: ${word}`);
    }
  }
  return { command, args, flags };
}
