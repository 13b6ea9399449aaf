// Draws a captured window of signals as an SVG waveform: one row per signal,
// 1-bit signals as a trace, wider ones as bus segments labelled in hex where
// the segment is wide enough for the text. Returns the SVG element.

import type { Waveform } from './playground.ts';

const NS = 'http://www.w3.org/2000/svg';
const LABEL_W = 170;
const ROW_H = 24;
const TOP = 22;

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

export function renderWaveform(wave: Waveform, widthPx: number): SVGSVGElement {
  const cycles = Math.max(1, ...wave.signals.map((s) => s.values.length));
  const cw = Math.max(8, Math.floor((widthPx - LABEL_W - 10) / cycles));
  const w = LABEL_W + cw * cycles + 10;
  const h = TOP + ROW_H * (wave.signals.length + 1) + 6;
  const svg = el('svg', { xmlns: NS, width: w, height: h, viewBox: `0 0 ${w} ${h}`, class: 'wave', 'data-cycles': cycles, 'data-signals': wave.signals.length });
  svg.append(el('rect', { x: 0, y: 0, width: w, height: h, class: 'wave-bg' }));

  // Cycle ruler and grid.
  const step = cw >= 28 ? 1 : cw >= 14 ? 2 : cw >= 7 ? 5 : 10;
  for (let i = 0; i < cycles; i++) {
    const x = LABEL_W + i * cw;
    if (i % step === 0) {
      svg.append(el('line', { x1: x, y1: TOP - 4, x2: x, y2: h - 4, class: 'wave-grid' }));
      svg.append(el('text', { x: x + 2, y: TOP - 8, class: 'wave-tick' }, String(wave.start + i + 1)));
    }
  }

  // The clock row, then each signal.
  const clkY = TOP;
  svg.append(el('text', { x: 6, y: clkY + ROW_H / 2 + 4, class: 'wave-name' }, 'clk'));
  let d = '';
  for (let i = 0; i < cycles; i++) {
    const x = LABEL_W + i * cw;
    d += `${i === 0 ? 'M' : 'L'}${x},${clkY + ROW_H - 5} L${x},${clkY + 4} L${x + cw / 2},${clkY + 4} L${x + cw / 2},${clkY + ROW_H - 5} L${x + cw},${clkY + ROW_H - 5} `;
  }
  svg.append(el('path', { d, class: 'wave-bit' }));

  wave.signals.forEach((s, row) => {
    const y = TOP + ROW_H * (row + 1);
    svg.append(el('text', { x: 6, y: y + ROW_H / 2 + 4, class: 'wave-name' }, s.width > 1 ? `${s.name}[${s.width - 1}:0]` : s.name));
    const hi = y + 4;
    const lo = y + ROW_H - 5;
    if (s.width === 1) {
      let p = '';
      s.values.forEach((v, i) => {
        const x = LABEL_W + i * cw;
        const yy = v ? hi : lo;
        p += i === 0 ? `M${x},${yy} ` : `L${x},${yy} `;
        p += `L${x + cw},${yy} `;
      });
      svg.append(el('path', { d: p, class: 'wave-bit' }));
      return;
    }
    // Bus: merge runs of equal values into segments.
    let i = 0;
    while (i < s.values.length) {
      let j = i + 1;
      while (j < s.values.length && s.values[j] === s.values[i]) j++;
      const x0 = LABEL_W + i * cw;
      const x1 = LABEL_W + j * cw;
      const m = Math.min(3, (x1 - x0) / 4);
      const mid = (hi + lo) / 2;
      svg.append(el('path', { d: `M${x0},${mid} L${x0 + m},${hi} L${x1 - m},${hi} L${x1},${mid} L${x1 - m},${lo} L${x0 + m},${lo} Z`, class: 'wave-bus' }));
      const text = s.values[i]!.toString(16);
      if ((x1 - x0) >= text.length * 7 + 6) svg.append(el('text', { x: x0 + 4, y: mid + 4, class: 'wave-val' }, text));
      i = j;
    }
  });
  return svg;
}
