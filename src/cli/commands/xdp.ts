// bpfgate xdp: run an XDP program (a clang -target bpf object, unchanged)
// over packets given as hex or read from a pcap file, printing each verdict
// and a summary: verdict counts, instructions (or cycles) per packet, and
// packets per second at the board's clock when the engine counts cycles.

import type { Command } from 'commander';
import { LINKTYPE_ETHERNET, readPcap } from '../../pcap/index.ts';
import {
  ICEBREAKER_HZ, loadXdpObject, packetsPerSecond, XdpSession, type XdpRunResult,
} from '../../xdp/index.ts';
import { writePcap } from '../../pcap/write.ts';
import { createXdpEngine, describeEngines } from '../../engines/registry.ts';
import { parseHexBytes, parsePositiveInt } from '../args.ts';
import { UserError } from '../errors.ts';
import { readInputFile } from '../load-program.ts';
import { writeOutputFile } from '../output.ts';

interface XdpOpts {
  section?: string;
  symbol?: string;
  packet: string[];
  pcap?: string;
  engine: string;
  ifindex: string;
  rxQueue: string;
  mapUpdate: string[];
  progArray: string[];
  mapEntries: string[];
  dumpMaps?: boolean;
  strictFrames?: boolean;
  outPcap?: string;
  maxInsns?: string;
  seed?: string;
  check: boolean;
  clockMhz: string;
  verbose?: boolean;
}

export function registerXdp(program: Command): void {
  program
    .command('xdp')
    .description('run an XDP program (.o from clang -target bpf) over packets and print each verdict and a summary')
    .argument('<program>', 'ELF object file')
    .option('-s, --section <name>', 'program section (default: the first one, e.g. xdp)')
    .option('--symbol <name>', 'function to start at')
    .option('-p, --packet <hex...>', 'packet bytes as hex (repeat for more packets)', [])
    .option('--pcap <file>', 'read the packets from a pcap file (Ethernet)')
    .option('-e, --engine <name>', `engine: ${describeEngines((e) => e.capabilities.xdp)}`, 'interp')
    .option('--ifindex <n>', 'xdp_md.ingress_ifindex', '1')
    .option('--rx-queue <n>', 'xdp_md.rx_queue_index', '0')
    .option('-m, --map-update <map:key=value...>', 'set a map entry before the first packet (key and value in hex)', [])
    .option('--prog-array <map=index:program...>', 'fill PROG_ARRAY slots with programs of the object (section or function name), e.g. jmp=0:handle_ipv4,1:handle_ipv6', [])
    .option('--map-entries <name=n...>', "set a map's max_entries as a loader would (maps sized at run time, or to fit a CPU build's memory)", [])
    .option('--dump-maps', 'print every map after the last packet')
    .option('--strict-frames', 'stop at the first frame the kernel refuses (under 14 bytes) or that needs multi-buffer XDP (over 3520); by default only that packet is refused')
    .option('-o, --out-pcap <file>', 'write the packets as the program left them (faults skipped) to a pcap file')
    .option('--max-insns <n>', 'instruction budget per packet (default 1000000)')
    .option('--seed <n>', 'seed of bpf_get_prandom_u32')
    .option('--no-check', 'skip the per-access check (faster; only the packet end and data memory bounds fault)')
    .option('--clock-mhz <mhz>', 'board clock for packets per second', String(ICEBREAKER_HZ / 1e6))
    .option('-v, --verbose', 'print each packet out in hex')
    .action(async (file: string, opts: XdpOpts) => {
      const packets = await readPackets(opts);
      const clockHz = Number(opts.clockMhz) * 1e6;
      if (!(clockHz > 0)) throw new UserError(`--clock-mhz: '${opts.clockMhz}' is not a positive number`);
      const object = loadXdpObject(await readInputFile(file, 'program'), {
        file, ...(opts.section ? { section: opts.section } : {}), ...(opts.symbol ? { symbol: opts.symbol } : {}), progArray: opts.progArray,
        mapEntries: parseMapEntries(opts.mapEntries),
      });
      const session = new XdpSession(object, {
        engine: await createXdpEngine(opts.engine, { clockHz }),
        ingressIfindex: nonNegative(opts.ifindex, '--ifindex'),
        rxQueueIndex: nonNegative(opts.rxQueue, '--rx-queue'),
        check: opts.check,
        badFrames: opts.strictFrames ? 'throw' : 'refuse',
        ...(opts.maxInsns ? { maxInsns: parsePositiveInt(opts.maxInsns, '--max-insns') } : {}),
        ...(opts.seed ? { seed: nonNegative(opts.seed, '--seed') } : {}),
      });
      for (const spec of opts.mapUpdate) applyMapUpdate(session, spec);

      const results: XdpRunResult[] = [];
      const width = String(packets.length).length;
      for (const [i, packet] of packets.entries()) {
        const r = await session.run(packet);
        results.push(r);
        process.stdout.write(`packet ${String(i + 1).padStart(width)}: ${describeResult(r, packet.length)}\n`);
        for (const line of r.log) process.stdout.write(`  trace_printk: ${line}\n`);
        for (const e of r.kind === 'exit' ? r.events ?? [] : []) process.stdout.write(`  ${e.helper}: ${e.map}: ${e.data.length} bytes: ${hex(e.data)}\n`);
        if (opts.verbose && r.kind === 'exit') process.stdout.write(`  out: ${hex(r.meta)}${r.meta.length ? ' | ' : ''}${hex(r.packet)}\n`);
      }
      process.stdout.write(summary(results, session.engine.name, clockHz));
      if (opts.dumpMaps) printMaps(session);
      if (opts.outPcap) {
        const out = results.flatMap((r) => (r.kind === 'exit' ? [{ data: r.packet }] : []));
        await writeOutputFile(opts.outPcap, writePcap(out), 'pcap');
        process.stdout.write(`wrote ${out.length} packet${out.length === 1 ? '' : 's'} to ${opts.outPcap}\n`);
      }
      if (results.some((r) => r.kind === 'fault')) process.exitCode = 2;
    });
}

async function readPackets(opts: XdpOpts): Promise<Uint8Array[]> {
  if (opts.pcap && opts.packet.length > 0) throw new UserError('give either --packet or --pcap, not both');
  if (opts.pcap) {
    const capture = readPcap(await readInputFile(opts.pcap, 'pcap file'), { file: opts.pcap, requireLinktype: LINKTYPE_ETHERNET });
    if (capture.packets.length === 0) throw new UserError(`${opts.pcap}: the capture holds no packets`);
    return capture.packets.map((p) => p.data);
  }
  if (opts.packet.length === 0) throw new UserError('no packets: give --packet HEX (one or more) or --pcap FILE');
  return opts.packet.map((text, i) => parseHexBytes(text, `--packet ${i + 1}`));
}

/** `rules:c0a80107=01000000` -> session.map('rules').update(key, value). */
function applyMapUpdate(session: XdpSession, spec: string): void {
  const m = /^([^:=\s]+):([0-9a-fA-F\s]+)=([0-9a-fA-F\s]+)$/.exec(spec);
  if (!m) throw new UserError(`--map-update: '${spec}' is not of the form MAP:KEYHEX=VALUEHEX`);
  session.map(m[1]!).update(parseHexBytes(m[2]!, `--map-update ${m[1]} key`), parseHexBytes(m[3]!, `--map-update ${m[1]} value`));
}

/** `conns=4096` -> { conns: 4096 }. */
function parseMapEntries(specs: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const spec of specs) {
    const m = /^([^=\s]+)=(\d+)$/.exec(spec);
    if (!m) throw new UserError(`--map-entries: '${spec}' is not of the form NAME=N`);
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

function nonNegative(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new UserError(`${what}: '${text}' is not a whole number in 0..4294967295`);
  return n;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function describeResult(r: XdpRunResult, inLength: number): string {
  const cost = r.cycles !== undefined ? `${r.cycles} cycles` : r.insns !== undefined ? `${r.insns} insns` : '';
  if (r.kind === 'fault') return `fault: ${r.message}`;
  if (r.kind === 'refused') return `refused: ${r.message}`;
  const outLength = r.meta.length + r.packet.length;
  const size = outLength === inLength && r.meta.length === 0 ? `${inLength} bytes` : `${inLength} -> ${r.packet.length} bytes${r.meta.length ? ` + ${r.meta.length} metadata` : ''}`;
  const redirect = describeRedirect(r);
  return `${(r.actionName + redirect).padEnd(12)} ${size.padEnd(16)} ${cost}`.trimEnd();
}

function describeRedirect(r: Extract<XdpRunResult, { kind: 'exit' }>): string {
  const tail = r.tailCalls ? ` (${r.tailCalls} tail call${r.tailCalls === 1 ? '' : 's'})` : '';
  const to = r.redirect;
  if (!to) return tail;
  if (to.map === undefined) return ` to ifindex ${to.ifindex}${tail}`;
  if (to.broadcast) return ` to every entry of ${to.map}${tail}`;
  return ` via ${to.map}[${to.key}] to ${to.ifindex !== undefined ? `ifindex ${to.ifindex}` : `target ${to.target}`}${tail}`;
}

function stats(values: readonly number[]): string {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return `min ${Math.min(...values)}, mean ${mean.toFixed(1)}, max ${Math.max(...values)}`;
}

function summary(results: readonly XdpRunResult[], engine: string, clockHz: number): string {
  const counts = new Map<string, number>();
  for (const r of results) {
    const key = r.kind === 'exit' ? r.actionName : r.kind;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const lines = [`${results.length} packet${results.length === 1 ? '' : 's'}: ${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')}`];
  const insns = results.flatMap((r) => (r.insns !== undefined ? [r.insns] : []));
  const cycles = results.flatMap((r) => (r.cycles !== undefined ? [r.cycles] : []));
  if (insns.length > 0) lines.push(`instructions per packet: ${stats(insns)}`);
  if (cycles.length > 0) {
    const mean = cycles.reduce((a, b) => a + b, 0) / cycles.length;
    lines.push(`cycles per packet: ${stats(cycles)}`);
    lines.push(`at ${clockHz / 1e6} MHz: ${Math.round(packetsPerSecond(mean, clockHz))} packets/s (mean)`);
  } else {
    lines.push(`packets per second: the ${engine} engine counts no cycles (a hardware engine does: sim, verilator, board)`);
  }
  return `${lines.join('\n')}\n`;
}

function printMaps(session: XdpSession): void {
  for (const name of session.mapNames) {
    const map = session.map(name);
    const entries = map.entries();
    process.stdout.write(`map ${name} (${map.kind}, ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}):\n`);
    for (const e of entries) process.stdout.write(`  ${hex(e.key)}: ${hex(e.value)}\n`);
  }
}
