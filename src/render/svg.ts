/**
 * @module render/svg
 * The few pieces every chart shares: escaping, an element builder that writes attributes in a fixed order
 * (so the same answer always gives the same bytes), rounding of coordinates, durations in words, and one
 * embedded style sheet with a light and a dark palette.
 *
 * Charts never read the clock or draw random numbers; their only input is the structured answer.
 */

export type Attrs = Record<string, string | number | undefined>;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Coordinates to one decimal: enough at 800 px, and free of floating-point noise in the bytes. */
export function px(value: number): number {
  return Math.round(value * 10) / 10;
}

/** One element; attributes keep the order given, `undefined` ones are left out, children are already SVG. */
export function el(tag: string, attrs: Attrs, ...children: string[]): string {
  let open = `<${tag}`;
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    open += ` ${name}="${escapeXml(typeof value === 'number' ? String(px(value)) : value)}"`;
  }
  return children.length === 0 ? `${open}/>` : `${open}>${children.join('')}</${tag}>`;
}

export function text(x: number, y: number, content: string, attrs: Attrs = {}): string {
  return el('text', { x, y, ...attrs }, escapeXml(content));
}

/** Greedy word wrap to lines of at most `maxChars` characters (a word longer than that gets its own line). */
export function wrap(words: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words.split(' ')) {
    if (line && line.length + 1 + word.length > maxChars) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** A duration in µs in the unit a person would say: 850 ms, 1.25 s, 17.1 s. */
export function formatDurationUs(us: number): string {
  const ms = us / 1000;
  if (Math.abs(ms) < 1) return `${Math.round(us)} µs`;
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return `${Math.abs(s) < 10 ? Math.round(s * 100) / 100 : Math.round(s * 10) / 10} s`;
}

/**
 * Colours live in classes, never inline, so one media query switches the whole chart to dark. Every class is
 * prefixed `qp-` because an SVG inlined into a page shares the page's style sheet.
 */
const palette = {
  light: { bg: '#ffffff', fg: '#1b1f24', muted: '#57606a', grid: '#d0d7de', accent: '#0969da', bad: '#cf222e' },
  dark: { bg: '#0d1117', fg: '#e6edf3', muted: '#9198a1', grid: '#30363d', accent: '#58a6ff', bad: '#ff7b72' },
};

function rules(p: (typeof palette)['light']): string {
  return (
    `.qp-bg{fill:${p.bg}}.qp-fg{fill:${p.fg}}.qp-muted{fill:${p.muted}}.qp-grid{stroke:${p.grid}}` +
    `.qp-axis{stroke:${p.muted}}.qp-accent{fill:${p.accent}}.qp-line{stroke:${p.accent}}.qp-bad{fill:${p.bad}}` +
    `.qp-badline{stroke:${p.bad}}.qp-box{fill:${p.bg};stroke:${p.muted}}.qp-ink{stroke:${p.fg}}` +
    `.qp-s-leader{fill:${p.accent}}.qp-s-follower{fill:${p.grid}}.qp-s-down{fill:${p.bad}}.qp-s-up{fill:${p.grid}}` +
    `.qp-s-pre-candidate,.qp-s-candidate,.qp-s-degraded{fill:${p.bg};stroke:${p.fg};stroke-width:1.5}` +
    `.qp-s-pre-candidate{stroke-dasharray:3 2}.qp-s-degraded{stroke:${p.bad};stroke-dasharray:5 3}` +
    `.qp-on-fill{fill:${p.bg}}`
  );
}

const chartStyle = el(
  'style',
  {},
  'text{font:13px system-ui,-apple-system,"Segoe UI",sans-serif}.qp-small{font-size:11px}.qp-title{font-size:15px;font-weight:600}' +
    rules(palette.light) +
    `@media (prefers-color-scheme:dark){${rules(palette.dark)}}`,
);

/** The outer element: a width and height, a viewBox so it scales, and the title and description first. */
export function svgDocument(width: number, height: number, title: string, description: string, body: string[]): string {
  return el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width,
      height,
      viewBox: `0 0 ${px(width)} ${px(height)}`,
      role: 'img',
    },
    // No ids: several charts inlined into one page must not clash; <title> alone names role="img".
    el('title', {}, escapeXml(title)),
    el('desc', {}, escapeXml(description)),
    chartStyle,
    el('rect', { class: 'qp-bg', x: 0, y: 0, width, height }),
    ...body,
  );
}
