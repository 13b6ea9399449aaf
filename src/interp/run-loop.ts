// The run loop: executes decoded slots until the run ends or `limit`
// instructions have been retired in total. The one and only implementation
// of instruction semantics in the interpreter; tracing calls it one
// instruction at a time (see interpreter.ts), so the hot path pays nothing
// for tracing.
//
// Registers are (lo, hi) int32 pairs in `V` — no BigInt here except in the
// rare 64-bit division/modulo of values above 32 bits (int64.ts). Immediates
// sit in a constant pool in the same array, so an operand is always
// `V[S[pc]]`, `V[S[pc] + 1]` whatever its source (see loaded-program.ts).

import { atomic, callHelper, exitRun, fault, immediateOf, loadPacket, outOfBounds, slotFault } from './cold-path.ts';
import { frameEscape } from './frames.ts';
import * as int64 from './int64.ts';
import * as machine from './machine.ts';
import * as memory from './memory.ts';

/**
 * Micro-op numbers, one per distinct behaviour (see micro-ops.ts for the
 * mapping from the ISA table). Declared in this file on purpose: TypeScript
 * compilers inline a same-file enum into literal case labels, which keeps the
 * switch below a jump table even under module transforms that turn imported
 * bindings into getter calls (vitest's).
 */
export enum Op {
  // 64-bit ALU
  ADD64 = 0, SUB64 = 1, MUL64 = 2, DIV64 = 3, SDIV64 = 4, OR64 = 5, AND64 = 6, LSH64 = 7, RSH64 = 8,
  NEG64 = 9, MOD64 = 10, SMOD64 = 11, XOR64 = 12, MOV64 = 13, MOVSX8_64 = 14, MOVSX16_64 = 15,
  MOVSX32_64 = 16, ARSH64 = 17,
  // 32-bit ALU (results zero-extended)
  ADD32 = 20, SUB32 = 21, MUL32 = 22, DIV32 = 23, SDIV32 = 24, OR32 = 25, AND32 = 26, LSH32 = 27, RSH32 = 28,
  NEG32 = 29, MOD32 = 30, SMOD32 = 31, XOR32 = 32, MOV32 = 33, MOVSX8_32 = 34, MOVSX16_32 = 35, ARSH32 = 37,
  // Byte order. The host byte order of bpfgate is little-endian, so le16/le32
  // are zero-extending truncations, le64 does nothing, and be/bswap swap.
  TRUNC16 = 40, TRUNC32 = 41, NOP = 42, BSWAP16 = 43, BSWAP32 = 44, BSWAP64 = 45,
  // 64-bit conditional jumps
  JEQ64 = 50, JGT64 = 51, JGE64 = 52, JSET64 = 53, JNE64 = 54, JSGT64 = 55, JSGE64 = 56,
  JLT64 = 57, JLE64 = 58, JSLT64 = 59, JSLE64 = 60,
  // 32-bit conditional jumps
  JEQ32 = 70, JGT32 = 71, JGE32 = 72, JSET32 = 73, JNE32 = 74, JSGT32 = 75, JSGE32 = 76,
  JLT32 = 77, JLE32 = 78, JSLT32 = 79, JSLE32 = 80,
  // Control
  JA = 90, CALL_HELPER = 91, CALL_LOCAL = 92, CALL_BTF = 93, CALL_REG = 94, EXIT = 95,
  // Memory
  LDDW = 100, LOAD8 = 101, LOAD16 = 102, LOAD32 = 103, LOAD64 = 104,
  LOADS8 = 105, LOADS16 = 106, LOADS32 = 107,
  STORE8 = 110, STORE16 = 111, STORE32 = 112, STORE64 = 113,
  ATOMIC = 114, LDPKT = 115,
  // Slots that fault when executed (the reason is kept per slot).
  ILLEGAL = 120, BAD_REG = 121, BAD_JUMP = 122,
  // An r10-based access outside the current frame (frames.ts).
  FRAME_ESCAPE = 123,
}

// Hot helpers as module-local constants: plain loads in the loop, whatever a
// module transform does to imported bindings.
const physical = memory.physical;
const { FRAME_WORDS, R10, R6 } = machine;
const { bswap32, mulHighU32, sdiv64, smod64, toU64, udiv64, umod64 } = int64;

/** Run until the program ends (m.result set) or m.retired reaches `limit` (m.result still null). */
export function runUntil(m: machine.Machine, limit: number): void {
  const L = m.loaded;
  const OP = L.op, D = L.dst, S = L.operand, OFF = L.off;
  const V = m.values, mem = m.mem, dv = m.view;
  const layout = m.layout;
  const frames = m.frames, returns = m.returns;
  const maxDepth = layout.maxFrames - 1, frameSize = layout.frameSize, stackTop = layout.stackTop;
  let pc = m.pc;
  let n = m.retired;
  let depth = m.depth;
  // Frame isolation: the stack below the current frame is not accessible
  // (MemoryLayout.stackFloor), moved with every call and exit.
  const floorTop = L.isolateFrames ? layout.stackSize - frameSize : 0, floorStep = L.isolateFrames ? frameSize : 0;
  layout.stackFloor = floorTop - depth * floorStep;

  for (;;) {
    if (n >= limit) break;
    switch (OP[pc]) {
      // ---- 64-bit ALU -------------------------------------------------------
      case Op.ADD64: {
        const d = D[pc]!, s = S[pc]!;
        const lo = (V[d]! >>> 0) + (V[s]! >>> 0);
        V[d + 1] = V[d + 1]! + V[s + 1]! + (lo > 0xffffffff ? 1 : 0);
        V[d] = lo;
        pc++;
        break;
      }
      case Op.SUB64: {
        const d = D[pc]!, s = S[pc]!;
        const lo = (V[d]! >>> 0) - (V[s]! >>> 0);
        V[d + 1] = V[d + 1]! - V[s + 1]! - (lo < 0 ? 1 : 0);
        V[d] = lo;
        pc++;
        break;
      }
      case Op.MUL64: {
        const d = D[pc]!, s = S[pc]!;
        const al = V[d]!, ah = V[d + 1]!, bl = V[s]!, bh = V[s + 1]!;
        V[d] = Math.imul(al, bl);
        V[d + 1] = mulHighU32(al >>> 0, bl >>> 0) + Math.imul(ah, bl) + Math.imul(al, bh);
        pc++;
        break;
      }
      case Op.DIV64: udiv64(V, D[pc]!, S[pc]!); pc++; break;
      case Op.SDIV64: sdiv64(V, D[pc]!, S[pc]!); pc++; break;
      case Op.MOD64: umod64(V, D[pc]!, S[pc]!); pc++; break;
      case Op.SMOD64: smod64(V, D[pc]!, S[pc]!); pc++; break;
      case Op.OR64: { const d = D[pc]!, s = S[pc]!; V[d] = V[d]! | V[s]!; V[d + 1] = V[d + 1]! | V[s + 1]!; pc++; break; }
      case Op.AND64: { const d = D[pc]!, s = S[pc]!; V[d] = V[d]! & V[s]!; V[d + 1] = V[d + 1]! & V[s + 1]!; pc++; break; }
      case Op.XOR64: { const d = D[pc]!, s = S[pc]!; V[d] = V[d]! ^ V[s]!; V[d + 1] = V[d + 1]! ^ V[s + 1]!; pc++; break; }
      case Op.MOV64: { const d = D[pc]!, s = S[pc]!; V[d] = V[s]!; V[d + 1] = V[s + 1]!; pc++; break; }
      case Op.LSH64: {
        const d = D[pc]!, k = V[S[pc]!]! & 63;
        if (k >= 32) { V[d + 1] = V[d]! << (k - 32); V[d] = 0; }
        else if (k !== 0) { V[d + 1] = (V[d + 1]! << k) | (V[d]! >>> (32 - k)); V[d] = V[d]! << k; }
        pc++;
        break;
      }
      case Op.RSH64: {
        const d = D[pc]!, k = V[S[pc]!]! & 63;
        if (k >= 32) { V[d] = V[d + 1]! >>> (k - 32); V[d + 1] = 0; }
        else if (k !== 0) { V[d] = (V[d]! >>> k) | (V[d + 1]! << (32 - k)); V[d + 1] = V[d + 1]! >>> k; }
        pc++;
        break;
      }
      case Op.ARSH64: {
        const d = D[pc]!, k = V[S[pc]!]! & 63;
        if (k >= 32) { V[d] = V[d + 1]! >> (k - 32); V[d + 1] = V[d + 1]! >> 31; }
        else if (k !== 0) { V[d] = (V[d]! >>> k) | (V[d + 1]! << (32 - k)); V[d + 1] = V[d + 1]! >> k; }
        pc++;
        break;
      }
      case Op.NEG64: {
        const d = D[pc]!, lo = V[d]!;
        V[d] = -lo;
        V[d + 1] = ~V[d + 1]! + (lo === 0 ? 1 : 0);
        pc++;
        break;
      }
      case Op.MOVSX8_64: { const d = D[pc]!, x = (V[S[pc]!]! << 24) >> 24; V[d] = x; V[d + 1] = x >> 31; pc++; break; }
      case Op.MOVSX16_64: { const d = D[pc]!, x = (V[S[pc]!]! << 16) >> 16; V[d] = x; V[d + 1] = x >> 31; pc++; break; }
      case Op.MOVSX32_64: { const d = D[pc]!, x = V[S[pc]!]!; V[d] = x; V[d + 1] = x >> 31; pc++; break; }

      // ---- 32-bit ALU: operate on the low words, zero the high word ----------
      case Op.ADD32: { const d = D[pc]!; V[d] = V[d]! + V[S[pc]!]!; V[d + 1] = 0; pc++; break; }
      case Op.SUB32: { const d = D[pc]!; V[d] = V[d]! - V[S[pc]!]!; V[d + 1] = 0; pc++; break; }
      case Op.MUL32: { const d = D[pc]!; V[d] = Math.imul(V[d]!, V[S[pc]!]!); V[d + 1] = 0; pc++; break; }
      case Op.DIV32: {
        // imm is read as u32 (RFC 9669 4.1); the typed-array store truncates the quotient.
        const d = D[pc]!, b = V[S[pc]!]! >>> 0;
        V[d] = b === 0 ? 0 : (V[d]! >>> 0) / b;
        V[d + 1] = 0;
        pc++;
        break;
      }
      case Op.SDIV32: {
        // Truncating division; INT32_MIN / -1 = 2^31, which the int32 store wraps to INT32_MIN.
        const d = D[pc]!, b = V[S[pc]!]!;
        V[d] = b === 0 ? 0 : V[d]! / b;
        V[d + 1] = 0;
        pc++;
        break;
      }
      case Op.MOD32: {
        const d = D[pc]!, b = V[S[pc]!]! >>> 0;
        if (b !== 0) V[d] = (V[d]! >>> 0) % b;
        V[d + 1] = 0;
        pc++;
        break;
      }
      case Op.SMOD32: {
        // JS % truncates like C; INT32_MIN % -1 is -0, stored as 0.
        const d = D[pc]!, b = V[S[pc]!]!;
        if (b !== 0) V[d] = V[d]! % b;
        V[d + 1] = 0;
        pc++;
        break;
      }
      case Op.OR32: { const d = D[pc]!; V[d] = V[d]! | V[S[pc]!]!; V[d + 1] = 0; pc++; break; }
      case Op.AND32: { const d = D[pc]!; V[d] = V[d]! & V[S[pc]!]!; V[d + 1] = 0; pc++; break; }
      case Op.XOR32: { const d = D[pc]!; V[d] = V[d]! ^ V[S[pc]!]!; V[d + 1] = 0; pc++; break; }
      case Op.MOV32: { const d = D[pc]!; V[d] = V[S[pc]!]!; V[d + 1] = 0; pc++; break; }
      case Op.LSH32: { const d = D[pc]!; V[d] = V[d]! << (V[S[pc]!]! & 31); V[d + 1] = 0; pc++; break; }
      case Op.RSH32: { const d = D[pc]!; V[d] = V[d]! >>> (V[S[pc]!]! & 31); V[d + 1] = 0; pc++; break; }
      case Op.ARSH32: { const d = D[pc]!; V[d] = V[d]! >> (V[S[pc]!]! & 31); V[d + 1] = 0; pc++; break; }
      case Op.NEG32: { const d = D[pc]!; V[d] = -V[d]!; V[d + 1] = 0; pc++; break; }
      case Op.MOVSX8_32: { const d = D[pc]!; V[d] = (V[S[pc]!]! << 24) >> 24; V[d + 1] = 0; pc++; break; }
      case Op.MOVSX16_32: { const d = D[pc]!; V[d] = (V[S[pc]!]! << 16) >> 16; V[d + 1] = 0; pc++; break; }

      // ---- byte order (little-endian host) -----------------------------------
      case Op.TRUNC16: { const d = D[pc]!; V[d] = V[d]! & 0xffff; V[d + 1] = 0; pc++; break; }
      case Op.TRUNC32: { V[D[pc]! + 1] = 0; pc++; break; }
      case Op.NOP: pc++; break;
      case Op.BSWAP16: { const d = D[pc]!, x = V[d]!; V[d] = ((x & 0xff) << 8) | ((x >>> 8) & 0xff); V[d + 1] = 0; pc++; break; }
      case Op.BSWAP32: { const d = D[pc]!; V[d] = bswap32(V[d]!); V[d + 1] = 0; pc++; break; }
      case Op.BSWAP64: { const d = D[pc]!, lo = V[d]!; V[d] = bswap32(V[d + 1]!); V[d + 1] = bswap32(lo); pc++; break; }

      // ---- 64-bit conditional jumps (OFF holds the absolute target) ----------
      case Op.JEQ64: { const d = D[pc]!, s = S[pc]!; pc = V[d] === V[s] && V[d + 1] === V[s + 1] ? OFF[pc]! : pc + 1; break; }
      case Op.JNE64: { const d = D[pc]!, s = S[pc]!; pc = V[d] !== V[s] || V[d + 1] !== V[s + 1] ? OFF[pc]! : pc + 1; break; }
      case Op.JSET64: { const d = D[pc]!, s = S[pc]!; pc = ((V[d]! & V[s]!) | (V[d + 1]! & V[s + 1]!)) !== 0 ? OFF[pc]! : pc + 1; break; }
      case Op.JGT64: {
        const d = D[pc]!, s = S[pc]!, dh = V[d + 1]! >>> 0, sh = V[s + 1]! >>> 0;
        pc = dh > sh || (dh === sh && V[d]! >>> 0 > V[s]! >>> 0) ? OFF[pc]! : pc + 1;
        break;
      }
      case Op.JGE64: {
        const d = D[pc]!, s = S[pc]!, dh = V[d + 1]! >>> 0, sh = V[s + 1]! >>> 0;
        pc = dh > sh || (dh === sh && V[d]! >>> 0 >= V[s]! >>> 0) ? OFF[pc]! : pc + 1;
        break;
      }
      case Op.JLT64: {
        const d = D[pc]!, s = S[pc]!, dh = V[d + 1]! >>> 0, sh = V[s + 1]! >>> 0;
        pc = dh < sh || (dh === sh && V[d]! >>> 0 < V[s]! >>> 0) ? OFF[pc]! : pc + 1;
        break;
      }
      case Op.JLE64: {
        const d = D[pc]!, s = S[pc]!, dh = V[d + 1]! >>> 0, sh = V[s + 1]! >>> 0;
        pc = dh < sh || (dh === sh && V[d]! >>> 0 <= V[s]! >>> 0) ? OFF[pc]! : pc + 1;
        break;
      }
      case Op.JSGT64: {
        const d = D[pc]!, s = S[pc]!, dh = V[d + 1]!, sh = V[s + 1]!;
        pc = dh > sh || (dh === sh && V[d]! >>> 0 > V[s]! >>> 0) ? OFF[pc]! : pc + 1;
        break;
      }
      case Op.JSGE64: {
        const d = D[pc]!, s = S[pc]!, dh = V[d + 1]!, sh = V[s + 1]!;
        pc = dh > sh || (dh === sh && V[d]! >>> 0 >= V[s]! >>> 0) ? OFF[pc]! : pc + 1;
        break;
      }
      case Op.JSLT64: {
        const d = D[pc]!, s = S[pc]!, dh = V[d + 1]!, sh = V[s + 1]!;
        pc = dh < sh || (dh === sh && V[d]! >>> 0 < V[s]! >>> 0) ? OFF[pc]! : pc + 1;
        break;
      }
      case Op.JSLE64: {
        const d = D[pc]!, s = S[pc]!, dh = V[d + 1]!, sh = V[s + 1]!;
        pc = dh < sh || (dh === sh && V[d]! >>> 0 <= V[s]! >>> 0) ? OFF[pc]! : pc + 1;
        break;
      }

      // ---- 32-bit conditional jumps: low words only --------------------------
      case Op.JEQ32: pc = V[D[pc]!] === V[S[pc]!] ? OFF[pc]! : pc + 1; break;
      case Op.JNE32: pc = V[D[pc]!] !== V[S[pc]!] ? OFF[pc]! : pc + 1; break;
      case Op.JSET32: pc = (V[D[pc]!]! & V[S[pc]!]!) !== 0 ? OFF[pc]! : pc + 1; break;
      case Op.JGT32: pc = V[D[pc]!]! >>> 0 > V[S[pc]!]! >>> 0 ? OFF[pc]! : pc + 1; break;
      case Op.JGE32: pc = V[D[pc]!]! >>> 0 >= V[S[pc]!]! >>> 0 ? OFF[pc]! : pc + 1; break;
      case Op.JLT32: pc = V[D[pc]!]! >>> 0 < V[S[pc]!]! >>> 0 ? OFF[pc]! : pc + 1; break;
      case Op.JLE32: pc = V[D[pc]!]! >>> 0 <= V[S[pc]!]! >>> 0 ? OFF[pc]! : pc + 1; break;
      case Op.JSGT32: pc = V[D[pc]!]! > V[S[pc]!]! ? OFF[pc]! : pc + 1; break;
      case Op.JSGE32: pc = V[D[pc]!]! >= V[S[pc]!]! ? OFF[pc]! : pc + 1; break;
      case Op.JSLT32: pc = V[D[pc]!]! < V[S[pc]!]! ? OFF[pc]! : pc + 1; break;
      case Op.JSLE32: pc = V[D[pc]!]! <= V[S[pc]!]! ? OFF[pc]! : pc + 1; break;

      // ---- control -----------------------------------------------------------
      case Op.JA: pc = OFF[pc]!; break;
      case Op.CALL_LOCAL: {
        if (depth >= maxDepth) {
          m.depth = depth;
          fault(m, 'call-depth', pc, n, `local call would need frame ${depth + 2} of ${layout.maxFrames} (memoryMap.maxFrames)`);
          return;
        }
        const base = depth * FRAME_WORDS;
        for (let i = 0; i < FRAME_WORDS; i++) frames[base + i] = V[R6 + i]!;
        returns[depth] = pc + 1;
        depth++;
        if (depth > m.deepest) m.deepest = depth;
        layout.stackFloor = floorTop - depth * floorStep;
        V[R10] = stackTop - depth * frameSize;
        V[R10 + 1] = 0;
        pc = OFF[pc]!;
        break;
      }
      case Op.EXIT: {
        if (depth === 0) {
          m.depth = 0;
          exitRun(m, pc, n + 1);
          return;
        }
        depth--;
        layout.stackFloor = floorTop - depth * floorStep;
        const base = depth * FRAME_WORDS;
        for (let i = 0; i < FRAME_WORDS; i++) V[R6 + i] = frames[base + i]!;
        V[R10] = stackTop - depth * frameSize;
        V[R10 + 1] = 0;
        pc = returns[depth]!;
        break;
      }
      case Op.CALL_HELPER:
      case Op.CALL_BTF:
      case Op.CALL_REG: {
        m.depth = depth;
        const op = OP[pc];
        let id: number;
        if (op === Op.CALL_REG) {
          const d = D[pc]!;
          if (V[d + 1] !== 0) {
            fault(m, 'bad-helper', pc, n, `callx: r${d / 2} = ${toU64(V[d]!, V[d + 1]!)} is not a helper id`);
            return;
          }
          id = V[d]! >>> 0;
        } else {
          id = immediateOf(m, pc);
        }
        const how = op === Op.CALL_BTF ? 'helper with BTF id' : op === Op.CALL_REG ? `callx (r${D[pc]! / 2}): helper` : 'helper';
        if (!callHelper(m, pc, n, id, how)) return;
        pc++;
        break;
      }

      // ---- memory -------------------------------------------------------------
      case Op.LDDW: { const d = D[pc]!, s = S[pc]!; V[d] = V[s]!; V[d + 1] = V[s + 1]!; pc += 2; break; }
      case Op.LOAD8: {
        const b = S[pc]!, p = physical(layout, V[b + 1]!, V[b]!, OFF[pc]!, 1);
        if (p < 0) { outOfBounds(m, pc, n, 'read', b, OFF[pc]!, 1); return; }
        const d = D[pc]!;
        V[d] = mem[p]!; V[d + 1] = 0;
        pc++;
        break;
      }
      case Op.LOAD16: {
        const b = S[pc]!, p = physical(layout, V[b + 1]!, V[b]!, OFF[pc]!, 2);
        if (p < 0) { outOfBounds(m, pc, n, 'read', b, OFF[pc]!, 2); return; }
        const d = D[pc]!;
        V[d] = dv.getUint16(p, true); V[d + 1] = 0;
        pc++;
        break;
      }
      case Op.LOAD32: {
        const b = S[pc]!, p = physical(layout, V[b + 1]!, V[b]!, OFF[pc]!, 4);
        if (p < 0) { outOfBounds(m, pc, n, 'read', b, OFF[pc]!, 4); return; }
        const d = D[pc]!;
        V[d] = dv.getInt32(p, true); V[d + 1] = 0;
        pc++;
        break;
      }
      case Op.LOAD64: {
        const b = S[pc]!, p = physical(layout, V[b + 1]!, V[b]!, OFF[pc]!, 8);
        if (p < 0) { outOfBounds(m, pc, n, 'read', b, OFF[pc]!, 8); return; }
        const d = D[pc]!;
        V[d] = dv.getInt32(p, true); V[d + 1] = dv.getInt32(p + 4, true);
        pc++;
        break;
      }
      case Op.LOADS8: {
        const b = S[pc]!, p = physical(layout, V[b + 1]!, V[b]!, OFF[pc]!, 1);
        if (p < 0) { outOfBounds(m, pc, n, 'read', b, OFF[pc]!, 1); return; }
        const d = D[pc]!, x = dv.getInt8(p);
        V[d] = x; V[d + 1] = x >> 31;
        pc++;
        break;
      }
      case Op.LOADS16: {
        const b = S[pc]!, p = physical(layout, V[b + 1]!, V[b]!, OFF[pc]!, 2);
        if (p < 0) { outOfBounds(m, pc, n, 'read', b, OFF[pc]!, 2); return; }
        const d = D[pc]!, x = dv.getInt16(p, true);
        V[d] = x; V[d + 1] = x >> 31;
        pc++;
        break;
      }
      case Op.LOADS32: {
        const b = S[pc]!, p = physical(layout, V[b + 1]!, V[b]!, OFF[pc]!, 4);
        if (p < 0) { outOfBounds(m, pc, n, 'read', b, OFF[pc]!, 4); return; }
        const d = D[pc]!, x = dv.getInt32(p, true);
        V[d] = x; V[d + 1] = x >> 31;
        pc++;
        break;
      }
      case Op.STORE8: {
        const b = D[pc]!, p = physical(layout, V[b + 1]!, V[b]!, OFF[pc]!, 1);
        if (p < 0) { outOfBounds(m, pc, n, 'write', b, OFF[pc]!, 1); return; }
        mem[p] = V[S[pc]!]!;
        pc++;
        break;
      }
      case Op.STORE16: {
        const b = D[pc]!, p = physical(layout, V[b + 1]!, V[b]!, OFF[pc]!, 2);
        if (p < 0) { outOfBounds(m, pc, n, 'write', b, OFF[pc]!, 2); return; }
        dv.setInt16(p, V[S[pc]!]!, true);
        pc++;
        break;
      }
      case Op.STORE32: {
        const b = D[pc]!, p = physical(layout, V[b + 1]!, V[b]!, OFF[pc]!, 4);
        if (p < 0) { outOfBounds(m, pc, n, 'write', b, OFF[pc]!, 4); return; }
        dv.setInt32(p, V[S[pc]!]!, true);
        pc++;
        break;
      }
      case Op.STORE64: {
        const b = D[pc]!, p = physical(layout, V[b + 1]!, V[b]!, OFF[pc]!, 8);
        if (p < 0) { outOfBounds(m, pc, n, 'write', b, OFF[pc]!, 8); return; }
        const s = S[pc]!;
        dv.setInt32(p, V[s]!, true); dv.setInt32(p + 4, V[s + 1]!, true);
        pc++;
        break;
      }
      case Op.ATOMIC:
        m.depth = depth;
        if (!atomic(m, pc, n)) return;
        pc++;
        break;
      case Op.LDPKT:
        m.depth = depth;
        if (!loadPacket(m, pc, n)) return;
        pc++;
        break;

      // ---- slots that cannot execute ------------------------------------------
      case Op.FRAME_ESCAPE:
        m.depth = depth;
        frameEscape(m, pc, n, V[R10]!);
        return;
      default:
        m.depth = depth;
        slotFault(m, pc, n);
        return;
    }
    n++;
  }
  m.pc = pc;
  m.retired = n;
  m.depth = depth;
}
