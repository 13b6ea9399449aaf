// The playground page: wires the DOM to the engines. Loading (assembling,
// parsing a .data file, an object or a pcap) happens here, at once, so errors
// show at their line while typing; everything heavy (compiling a CPU build
// to JavaScript, runs, the suite, Verilog) happens in a Web Worker
// (./worker.ts through ./engines.ts), so the page stays responsive and a
// run can be stopped. The default build compiles in the background at load.

import {
  disassemblyOf, DEFAULT_PRESET, DEFAULT_SIGNALS, describe, hex64, hexBytes, loadAssembly, loadDataFile,
  LoadError, loadObject, LOCKSTEP_MAX_INSNS, parseHexInput, PRESET_NAMES, presetSummary, readPackets,
  type EngineOutcome, type Loaded, type SuiteEntry, type Waveform,
} from './playground.ts';
import { Engines, Stopped } from './engines.ts';
import { renderWaveform } from './waveform.ts';
import type { Source } from './worker.ts';

const engines = new Engines(new URL('worker.js', import.meta.url));

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`page: no element #${id}`);
  return e as T;
};

const STARTER = `# Sum 1..10 through the stack, then add a 64-bit constant.
# bpf_conformance syntax (what the conformance suite's .data files use).
  mov %r0, 0
  mov %r1, 10
loop:
  add %r0, %r1
  stxdw [%r10-8], %r0
  ldxdw %r0, [%r10-8]
  sub %r1, 1
  jne %r1, 0, loop
  lddw %r2, 0x100000000
  add %r0, %r2
  exit
`;

interface Index {
  conformance: string[];
  xdp: { name: string; file: string; kind: 'object' | 'asm' }[];
  pcap: string[];
}

const state = {
  preset: DEFAULT_PRESET,
  /** Where the program comes from when it is not the editor's text. */
  binary: undefined as { loaded: Loaded; name: string; bytes: Uint8Array } | undefined,
  /** The editor text is a `.data` file (its sections are parsed, not assembled). */
  dataFile: undefined as string | undefined,
  index: { conformance: [], xdp: [], pcap: [] } as Index,
  chosen: new Set<string>(DEFAULT_SIGNALS),
  lastWave: undefined as Waveform | undefined,
  xdpObject: undefined as { bytes: Uint8Array; name: string } | undefined,
  xdpPackets: undefined as { bytes: Uint8Array; name: string } | undefined,
};

function setStatus(text: string, busy = false): void {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('busy', busy);
}

function compiledNote(preset: string, ms: number | undefined): void {
  if (ms !== undefined) $('speed').textContent = `'${preset}' compiled in ${(ms / 1000).toFixed(1)} s.`;
}

/**
 * Run `f` on the engines with the build compiled first; the Stop button
 * shows meanwhile. Undefined when stopped (the status says so).
 */
async function withCpu<T>(what: string, f: () => Promise<T>): Promise<T | undefined> {
  const stop = $('stop');
  stop.hidden = false;
  try {
    if (!engines.compiled.has(state.preset)) setStatus(`compiling the '${state.preset}' CPU to JavaScript…`, true);
    compiledNote(state.preset, await engines.ensure(state.preset));
    setStatus(`${what}…`, true);
    const value = await f();
    setStatus('ready');
    return value;
  } catch (e) {
    if (e instanceof Stopped) {
      setStatus('stopped');
      return undefined;
    }
    setStatus('ready');
    throw e;
  } finally {
    stop.hidden = !engines.busy;
  }
}

// ---- editor ----------------------------------------------------------------------

const source = (): HTMLTextAreaElement => $<HTMLTextAreaElement>('source');

function updateGutter(errorLine?: number): void {
  const n = source().value.split('\n').length;
  const g = $('gutter');
  g.replaceChildren(...Array.from({ length: n }, (_, i) => {
    const s = document.createElement('span');
    s.textContent = `${i + 1}\n`;
    if (errorLine === i + 1) s.className = 'err';
    return s;
  }));
  g.scrollTop = source().scrollTop;
}

function showAsmError(e: LoadError | undefined): void {
  const box = $('asm-error');
  if (!e) {
    box.hidden = true;
    box.removeAttribute('data-line');
    updateGutter();
    return;
  }
  box.hidden = false;
  box.textContent = e.line !== undefined ? `line ${e.line}${e.column !== undefined ? `, column ${e.column}` : ''}: ${e.message}` : e.message;
  if (e.line !== undefined) box.dataset.line = String(e.line);
  else box.removeAttribute('data-line');
  updateGutter(e.line);
  if (e.line !== undefined && !state.binary) {
    const lines = source().value.split('\n');
    const start = lines.slice(0, e.line - 1).reduce((a, l) => a + l.length + 1, 0);
    source().setSelectionRange(start, start + (lines[e.line - 1]?.length ?? 0));
  }
}

function setEditor(text: string, from: string, dataFile = false): void {
  source().value = text;
  state.binary = undefined;
  state.dataFile = dataFile ? from : undefined;
  $('loaded-from').textContent = from ? `from ${from}` : '';
  showAsmError(undefined);
}

const DATA_FILE = /^\s*--\s*asm\s*$/m;

/**
 * The program to run: the opened object, or the editor's text (a `.data`
 * file or plain assembly). Loaded here to report errors at once; the
 * engines get the source and load it again on their side.
 */
function currentProgram(): { loaded: Loaded; src: Source } {
  const typed = $<HTMLInputElement>('input').value;
  const input = typed.trim() ? parseHexInput(typed) : undefined;
  const extra = input ? { input } : {};
  if (state.binary) return { loaded: state.binary.loaded, src: { kind: 'object', bytes: state.binary.bytes, file: state.binary.name, ...extra } };
  const text = source().value;
  // A bpf_conformance .data file (opened, picked or pasted) has an '-- asm'
  // section; anything else is plain assembly, whatever was opened before.
  const src: Source = DATA_FILE.test(text)
    ? { kind: 'data', text, file: state.dataFile ?? 'editor.data', ...extra }
    : { kind: 'asm', text, file: 'editor.s', ...extra };
  const loaded = src.kind === 'data' ? loadDataFile(text, src.file) : loadAssembly(text, src.file);
  return { loaded, src };
}

// ---- results ---------------------------------------------------------------------

function fill(prefix: 'interp' | 'cpu', o: EngineOutcome): void {
  $(`${prefix}-kind`).textContent = describe(o);
  $(`${prefix}-r0`).textContent = o.kind === 'exit' ? hex64(o.r0!) : '-';
  $(`${prefix}-insns`).textContent = String(o.insns);
  $(`${prefix}-ms`).textContent = `${o.ms.toFixed(1)} ms`;
}

async function runBoth(): Promise<void> {
  let src: Source;
  try {
    src = currentProgram().src;
    showAsmError(undefined);
  } catch (e) {
    if (e instanceof LoadError) return showAsmError(e);
    throw e;
  }
  let r;
  try {
    r = await withCpu('running', () => engines.call('run', state.preset, src, waveWindow()));
  } catch (e) {
    if (e instanceof LoadError) return showAsmError(e); // e.g. a program too large for the build
    throw e;
  }
  if (!r) return;
  {
    const { interp, cpu, lockstep: ls } = r;
    fill('interp', interp);
    fill('cpu', cpu);
    $('cpu-cycles').textContent = String(cpu.cycles);
    // A speed only means something over a run long enough to time.
    $('cpu-ms').textContent = `${cpu.ms.toFixed(1)} ms${cpu.cycles >= 10_000 ? ` (${(cpu.cyclesPerSecond / 1e3).toFixed(0)} k cycles/s)` : ''}`;
    const fault = $('fault');
    const f = cpu.fault ?? interp.fault;
    fault.hidden = !f;
    if (f) fault.textContent = `${cpu.fault ? 'CPU' : 'interpreter'} fault ${f.code}${f.pc >= 0 ? ` at pc ${f.pc}: ${f.insn}` : ''} — ${f.message}`;
    const exp = $('expected');
    exp.textContent = r.expected !== undefined
      ? `the file expects r0 = ${hex64(r.expected)}: ${interp.kind === 'exit' && interp.r0 === r.expected ? 'interpreter agrees' : 'interpreter DISAGREES'}`
      : r.expectsError ? 'the file expects an error' : '';

    const box = $('lockstep');
    box.dataset.ok = String(ls.ok);
    box.className = `verdict ${ls.ok ? 'ok' : 'bad'}`;
    box.textContent = ls.ok
      ? `lockstep: the CPU and the interpreter agree after every one of ${ls.insns} instructions (pc, r0-r10, memory) over ${ls.cycles} cycles` +
        (ls.insns >= LOCKSTEP_MAX_INSNS ? ` (the check stops after ${LOCKSTEP_MAX_INSNS} instructions)` : '')
      : `lockstep: DIVERGED at cycle ${ls.divergence!.cycle}, pc ${ls.divergence!.pc} (${ls.divergence!.insn}): ${ls.divergence!.what}; interpreter ${ls.divergence!.interp}, CPU ${ls.divergence!.cpu}`;

    const body = $('cpi').querySelector('tbody')!;
    body.replaceChildren(...r.classes.map((c) => row([c.cls, String(c.insns), String(c.cycles), c.cpi.toFixed(2)])));
    showWave(r.wave);
  }
}

function row(cells: string[], cls?: string): HTMLTableRowElement {
  const tr = document.createElement('tr');
  if (cls) tr.className = cls;
  for (const c of cells) {
    const td = document.createElement('td');
    td.textContent = c;
    tr.append(td);
  }
  return tr;
}

// ---- waveform ----------------------------------------------------------------------

function waveWindow(): { start: number; length: number; signals: string[] } {
  const start = Math.max(0, Number($<HTMLInputElement>('wave-start').value) || 0);
  const length = Math.min(2000, Math.max(1, Number($<HTMLInputElement>('wave-len').value) || 40));
  return { start, length, signals: [...state.chosen] };
}

function showWave(wave: Waveform): void {
  state.lastWave = wave;
  const box = $('wave-box');
  box.replaceChildren(renderWaveform(wave, Math.max(600, box.clientWidth || 900)));
  const link = $<HTMLAnchorElement>('vcd-link');
  if (link.href.startsWith('blob:')) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([wave.vcd], { type: 'text/plain' }));
  link.hidden = false;
}

async function drawWave(): Promise<void> {
  let src: Source;
  try {
    src = currentProgram().src;
  } catch (e) {
    if (e instanceof LoadError) return showAsmError(e);
    throw e;
  }
  try {
    const wave = await withCpu('tracing', () => engines.call('profile', state.preset, src, waveWindow()));
    if (wave) showWave(wave);
  } catch (e) {
    if (e instanceof LoadError) return showAsmError(e);
    throw e;
  }
}

/** Signal names of the builds asked for so far (from the engines, once each). */
const signalCache = new Map<string, { name: string; width: number }[]>();

async function fillSignalList(): Promise<void> {
  const filter = $<HTMLInputElement>('signal-filter').value.trim().toLowerCase();
  const list = $('signal-list');
  let names = signalCache.get(state.preset);
  if (!names && engines.compiled.has(state.preset)) {
    names = await engines.call('signals', state.preset);
    signalCache.set(state.preset, names);
  }
  names ??= DEFAULT_SIGNALS.map((name) => ({ name, width: 0 }));
  list.replaceChildren(...names.filter((s) => !filter || s.name.toLowerCase().includes(filter)).slice(0, 300).map((s) => {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = state.chosen.has(s.name);
    box.addEventListener('change', () => {
      if (box.checked) state.chosen.add(s.name);
      else state.chosen.delete(s.name);
      $('signal-count').textContent = String(state.chosen.size);
    });
    label.append(box, ` ${s.name}${s.width ? ` [${s.width}]` : ''}`);
    return label;
  }));
  $('signal-count').textContent = String(state.chosen.size);
}

// ---- Verilog ------------------------------------------------------------------------

async function genVerilog(): Promise<void> {
  setStatus(`generating Verilog for '${state.preset}'…`, true);
  const t = performance.now();
  let text: string;
  try {
    text = await engines.call('verilog', state.preset);
  } catch (e) {
    setStatus(e instanceof Stopped ? 'stopped' : 'ready');
    if (e instanceof Stopped) return;
    throw e;
  }
  $('verilog').textContent = text;
  const link = $<HTMLAnchorElement>('verilog-link');
  link.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  link.download = `bpfgate_${state.preset}.v`;
  link.hidden = false;
  const modules = (text.match(/^module /gm) ?? []).length;
  $('verilog-info').textContent = `${modules} modules, ${(text.length / 1024).toFixed(0)} KiB, ${((performance.now() - t) / 1000).toFixed(1)} s`;
  setStatus('ready');
}

// ---- XDP ----------------------------------------------------------------------------

async function fetchBytes(path: string): Promise<Uint8Array> {
  const r = await fetch(path);
  if (!r.ok) throw new LoadError(`${path}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

async function runXdpPanel(): Promise<void> {
  const err = $('xdp-error');
  err.hidden = true;
  try {
    const choice = $<HTMLSelectElement>('xdp-program').value;
    let program: Source;
    if (choice === 'upload' && state.xdpObject) program = { kind: 'object', bytes: state.xdpObject.bytes, file: state.xdpObject.name };
    else if (choice === 'editor') program = { kind: 'asm', text: source().value, file: 'editor.s' };
    else {
      const ex = state.index.xdp.find((x) => x.file === choice)!;
      program = ex.kind === 'object'
        ? { kind: 'object', bytes: await fetchBytes(`examples/${ex.file}`), file: ex.file }
        : { kind: 'asm', text: await (await fetch(`examples/${ex.file}`)).text(), file: ex.file };
    }
    const pcapChoice = $<HTMLSelectElement>('xdp-pcap').value;
    const pcap = pcapChoice === 'upload' && state.xdpPackets
      ? { bytes: state.xdpPackets.bytes, file: state.xdpPackets.name }
      : { bytes: await fetchBytes(`examples/${pcapChoice}`), file: pcapChoice };
    const verdicts = await withCpu('compiling the XDP CPU and running the packets', () => engines.call('xdp', state.preset, program, pcap));
    if (!verdicts) return;
    $('xdp-table').querySelector('tbody')!.replaceChildren(...verdicts.map((v) =>
      row([String(v.index + 1), String(v.length), v.interp, v.cpu, v.cycles !== undefined ? String(v.cycles) : '-', v.agree ? 'agree' : 'DIFFER'], v.agree ? '' : 'bad')));
    const counts = new Map<string, number>();
    for (const v of verdicts) counts.set(v.cpu, (counts.get(v.cpu) ?? 0) + 1);
    const differ = verdicts.filter((v) => !v.agree).length;
    const s = $('xdp-summary');
    s.className = `verdict ${differ ? 'bad' : 'ok'}`;
    s.textContent = `${verdicts.length} packets: ${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')}; ${differ} disagreements between the engines`;
  } catch (e) {
    if (!(e instanceof LoadError)) throw e;
    err.hidden = false;
    err.textContent = e.message;
  }
}

// ---- the examples suite ---------------------------------------------------------------

async function runSuite(): Promise<void> {
  const n = Math.max(1, Number($<HTMLInputElement>('suite-count').value) || state.index.conformance.length);
  const names = state.index.conformance.slice(0, n);
  const body = $('suite-table').querySelector('tbody')!;
  body.replaceChildren();
  const summary = $('suite-summary');
  const results: SuiteEntry[] = [];
  const t = performance.now();
  for (const [i, name] of names.entries()) {
    const text = await (await fetch(`examples/conformance/${name}.data`)).text();
    const r = await withCpu(`suite: ${i + 1}/${names.length} ${name}`, () => engines.call('example', state.preset, name, text));
    if (!r) return; // stopped
    results.push(r);
    body.append(row([r.name, r.verdict, r.cycles !== undefined ? String(r.cycles) : '-', r.detail], r.verdict === 'mismatch' ? 'bad' : r.verdict === 'pass' ? '' : 'skip'));
  }
  const passed = results.filter((r) => r.verdict === 'pass').length;
  const mismatches = results.filter((r) => r.verdict === 'mismatch').length;
  const skipped = results.length - passed - mismatches;
  summary.dataset.passed = String(passed);
  summary.dataset.mismatches = String(mismatches);
  summary.dataset.total = String(results.length);
  summary.className = `verdict ${mismatches ? 'bad' : 'ok'}`;
  summary.textContent = `${results.length} programs on '${state.preset}': ${passed} passed, ${mismatches} mismatches` +
    `${skipped ? `, ${skipped} use instructions this build leaves out` : ''} (${((performance.now() - t) / 1000).toFixed(1)} s)`;
  setStatus('ready');
}

// ---- files ----------------------------------------------------------------------------

async function openFile(file: File): Promise<void> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const name = file.name;
  try {
    if (name.endsWith('.pcap')) {
      state.xdpPackets = { bytes, name };
      readPackets(bytes, name);
      selectUpload('xdp-pcap', name);
      showTab('xdp');
      return;
    }
    if (name.endsWith('.o')) {
      // Every object is offered to the XDP tab; one with maps runs only there.
      state.xdpObject = { bytes, name };
      selectUpload('xdp-program', name);
      let loaded: Loaded;
      try {
        loaded = loadObject(bytes, name);
      } catch (e) {
        if (!(e instanceof LoadError)) throw e;
        showAsmError(new LoadError(`${e.message}. It is selected on the XDP tab, to run over the packets of a pcap.`));
        showTab('xdp');
        return;
      }
      state.binary = { loaded, name, bytes };
      source().value = `# ${name}: ${loaded.program.insns.length} slots, disassembled\n${disassemblyOf(loaded.program)}`;
      $('loaded-from').textContent = `running ${name} as loaded (editing the text assembles it instead, without its globals)`;
      showAsmError(undefined);
      return;
    }
    const text = new TextDecoder().decode(bytes);
    setEditor(text, name, name.endsWith('.data'));
  } catch (e) {
    if (e instanceof LoadError) return showAsmError(e);
    throw e;
  }
}

function selectUpload(selectId: string, name: string): void {
  const sel = $<HTMLSelectElement>(selectId);
  let opt = sel.querySelector<HTMLOptionElement>('option[value="upload"]');
  if (!opt) {
    opt = document.createElement('option');
    opt.value = 'upload';
    sel.append(opt);
  }
  opt.textContent = `opened: ${name}`;
  sel.value = 'upload';
}

// ---- tabs and start-up -------------------------------------------------------------------

function showTab(name: string): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>('#tabs button')) b.classList.toggle('active', b.dataset.tab === name);
  for (const t of document.querySelectorAll<HTMLElement>('.tab')) t.hidden = t.id !== `tab-${name}`;
  if (name === 'wave') void fillSignalList();
}

function option(value: string, text: string): HTMLOptionElement {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  return o;
}

async function start(): Promise<void> {
  const presetSel = $<HTMLSelectElement>('preset');
  presetSel.append(...PRESET_NAMES.map((p) => option(p, p)));
  presetSel.value = state.preset;
  $('preset-summary').textContent = presetSummary(state.preset);
  presetSel.addEventListener('change', () => {
    state.preset = presetSel.value;
    $('preset-summary').textContent = presetSummary(state.preset);
    $('verilog').textContent = '';
    $<HTMLAnchorElement>('verilog-link').hidden = true;
  });

  setEditor(STARTER, '');
  source().addEventListener('input', () => {
    // Edited into something else than what was opened: no longer "from" that file.
    if (state.binary || (state.dataFile && !DATA_FILE.test(source().value))) {
      state.binary = undefined;
      state.dataFile = undefined;
      $('loaded-from').textContent = '';
    }
    updateGutter();
  });
  source().addEventListener('scroll', () => ($('gutter').scrollTop = source().scrollTop));
  source().addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void runBoth();
  });

  for (const b of document.querySelectorAll<HTMLButtonElement>('#tabs button')) b.addEventListener('click', () => showTab(b.dataset.tab!));
  $('run').addEventListener('click', () => void runBoth());
  $('wave-draw').addEventListener('click', () => void drawWave());
  $('signal-filter').addEventListener('input', () => void fillSignalList());
  $('stop').addEventListener('click', () => engines.stop());
  $('verilog-gen').addEventListener('click', () => void genVerilog());
  $('xdp-run').addEventListener('click', () => void runXdpPanel());
  $('suite-run').addEventListener('click', () => void runSuite());
  $<HTMLInputElement>('file').addEventListener('change', (e) => {
    const input = e.target as HTMLInputElement;
    const f = input.files?.[0];
    // Cleared once read, so opening the same file again (after editing it) reloads it.
    if (f) void openFile(f).finally(() => (input.value = ''));
  });
  $<HTMLInputElement>('xdp-file').addEventListener('change', (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (f) void f.arrayBuffer().then((b) => { state.xdpObject = { bytes: new Uint8Array(b), name: f.name }; selectUpload('xdp-program', f.name); });
  });
  $<HTMLInputElement>('xdp-pcap-file').addEventListener('change', (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (f) void f.arrayBuffer().then((b) => { state.xdpPackets = { bytes: new Uint8Array(b), name: f.name }; selectUpload('xdp-pcap', f.name); });
  });

  const exampleSel = $<HTMLSelectElement>('example');
  exampleSel.addEventListener('change', () => {
    const name = exampleSel.value;
    if (!name) return;
    void fetch(`examples/conformance/${name}.data`).then((r) => r.text()).then((text) => {
      setEditor(text, `${name}.data`, true);
      $<HTMLInputElement>('input').value = '';
    });
  });

  try {
    state.index = (await (await fetch('examples/index.json')).json()) as Index;
  } catch {
    setStatus('examples/index.json missing: examples unavailable');
  }
  exampleSel.append(...state.index.conformance.map((n) => option(n, n)));
  $<HTMLSelectElement>('xdp-program').append(...state.index.xdp.map((x) => option(x.file, x.name)));
  $<HTMLSelectElement>('xdp-pcap').append(...state.index.pcap.map((p) => option(p, p)));
  $<HTMLInputElement>('suite-count').value = String(state.index.conformance.length);

  document.body.dataset.ready = '1';
  document.body.dataset.readyMs = String(Math.round(performance.now()));
  setStatus('ready');
  // The page is usable now; the default build compiles meanwhile, so the first run does not wait for it.
  void engines.ensure(DEFAULT_PRESET).then((ms) => compiledNote(DEFAULT_PRESET, ms), () => undefined);
}

// A bug of the page's own (not a problem in the user's input, which gets its
// line-located message): say so in the status instead of failing silently.
const internal = (what: unknown): void => setStatus(`internal error: ${what instanceof Error ? what.message : String(what)}`);
window.addEventListener('error', (e) => internal(e.error ?? e.message));
window.addEventListener('unhandledrejection', (e) => internal(e.reason));

// For tests and the curious: the same functions the buttons call.
Object.assign(globalThis, {
  bpfgate: {
    speedBench: async (preset: string, iterations: number) => (await engines.ensure(preset), engines.call('speed', preset, iterations)),
    hexBytes,
  },
});

void start();
