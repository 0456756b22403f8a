import type { BrokerReport } from './report.js';

/**
 * The benchmark as a picture: one horizontal bar per measured row (messages per second, on a log scale
 * so a lone send and a Java perf tool fit one axis), grouped by broker, @ev's pusher in its own colour.
 * Plain SVG, so the README shows it without any tool.
 */
const WIDTH = 900;
const LABEL_WIDTH = 450;
const BAR_HEIGHT = 16;
const ROW_GAP = 6;
const GROUP_GAP = 30;
const TOP = 50;
const AXIS_MIN = 100;
const AXIS_MAX = 1_000_000;
const COLOURS = { ev: '#2f6fdf', client: '#9aa4b1', java: '#c7cdd4' };

interface Bar {
  label: string;
  msgsPerSec: number;
  kind: keyof typeof COLOURS;
}

function barsOf(report: BrokerReport): Bar[] {
  return report.rows.flatMap(({ client, concurrency, load, note, paced }) => {
    const msgsPerSec = load?.msgsPerSec;
    if (paced || typeof msgsPerSec !== 'number' || !Number.isFinite(msgsPerSec)) return [];
    const kind = client.startsWith('@ev') ? 'ev' : client.startsWith('Java') ? 'java' : 'client';
    const callers =
      typeof concurrency === 'number' ? `${concurrency} caller${concurrency === 1 ? '' : 's'}` : concurrency;
    const label = `${client}${note && kind !== 'java' ? ` (${note})` : ''} · ${callers}`;
    return [{ label, msgsPerSec, kind }];
  });
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function x(msgsPerSec: number): number {
  const clamped = Math.min(Math.max(msgsPerSec, AXIS_MIN), AXIS_MAX);
  const share = Math.log10(clamped / AXIS_MIN) / Math.log10(AXIS_MAX / AXIS_MIN);
  return LABEL_WIDTH + share * (WIDTH - LABEL_WIDTH - 70);
}

export function benchChart(reports: BrokerReport[], caption: string): string {
  const parts: string[] = [];
  let y = TOP;
  for (const report of reports) {
    parts.push(`<text x="10" y="${y}" font-weight="bold">${escapeXml(report.broker)}</text>`);
    y += 10;
    for (const bar of barsOf(report)) {
      const end = x(bar.msgsPerSec);
      parts.push(
        `<text x="${LABEL_WIDTH - 8}" y="${y + 12}" text-anchor="end">${escapeXml(truncate(bar.label, 66))}</text>`,
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${Math.max(end - LABEL_WIDTH, 1).toFixed(1)}" height="${BAR_HEIGHT}" fill="${COLOURS[bar.kind]}"/>`,
        `<text x="${(end + 4).toFixed(1)}" y="${y + 12}">${Math.round(bar.msgsPerSec).toLocaleString('en-US')}</text>`,
      );
      y += BAR_HEIGHT + ROW_GAP;
    }
    y += GROUP_GAP;
  }
  const ticks = [100, 1_000, 10_000, 100_000, 1_000_000].map(
    (value) =>
      `<line x1="${x(value)}" y1="${TOP - 5}" x2="${x(value)}" y2="${y - GROUP_GAP}" stroke="#e3e6ea"/>` +
      `<text x="${x(value)}" y="${TOP - 10}" text-anchor="middle" fill="#555">${value.toLocaleString('en-US')}/s</text>`,
  );
  const height = y;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(caption)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="20" fill="#555">${escapeXml(caption)}</text>`,
    ...ticks,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
