// Pass: name allocation. Gives every net, memory and instance a legal, unique
// Verilog identifier that is also safe for Verilator's C++ (no reserved words).
// User names are kept verbatim when possible; hierarchy dots become "__";
// temporaries are n<id>. Port names cannot be changed, so a port named like a
// keyword is an error.

import { ElabError } from '../loc.ts';
import type { DesignIR, ModuleIR } from '../ir.ts';

const RESERVED = new Set(
  (
    // Verilog-2005 and SystemVerilog keywords
    'always and assign automatic begin buf bufif0 bufif1 case casex casez cell cmos config deassign default defparam design disable ' +
    'edge else end endcase endconfig endfunction endgenerate endmodule endprimitive endspecify endtable endtask event for force forever ' +
    'fork function generate genvar highz0 highz1 if ifnone incdir include initial inout input instance integer join large liblist library ' +
    'localparam macromodule medium module nand negedge nmos nor noshowcancelled not notif0 notif1 or output parameter pmos posedge primitive ' +
    'pull0 pull1 pulldown pullup pulsestyle_ondetect pulsestyle_onevent rcmos real realtime reg release repeat rnmos rpmos rtran rtranif0 ' +
    'rtranif1 scalared showcancelled signed small specify specparam strong0 strong1 supply0 supply1 table task time tran tranif0 tranif1 tri ' +
    'tri0 tri1 triand trior trireg unsigned use uwire vectored wait wand weak0 weak1 while wire wor xnor xor ' +
    'alias always_comb always_ff always_latch assert assume before bind bins binsof bit break byte chandle class clocking const constraint ' +
    'context continue cover covergroup coverpoint cross dist do endclass endclocking endgroup endinterface endpackage endprogram endproperty ' +
    'endsequence enum expect export extends extern final first_match foreach forkjoin iff ignore_bins illegal_bins import inside int interface ' +
    'intersect join_any join_none local logic longint matches modport new null package packed priority program property protected pure rand ' +
    'randc randcase randsequence ref return sequence shortint shortreal solve static string struct super tagged this throughout timeprecision ' +
    'timeunit type typedef union unique var virtual void wait_order wildcard with within accept_on checker endchecker eventually global ' +
    'implies let nexttime reject_on restrict s_always s_eventually s_nexttime s_until s_until_with strong sync_accept_on sync_reject_on ' +
    'unique0 until until_with untyped weak implements interconnect nettype soft ' +
    // C++ keywords and common macros Verilator warns about (SYMRSVDWORD)
    'alignas alignof asm auto bool case catch char char16_t char32_t compl concept const_cast constexpr decltype delete double ' +
    'dynamic_cast explicit false float friend goto inline long mutable namespace noexcept nullptr operator private public register ' +
    'reinterpret_cast requires short sizeof static_assert static_cast switch template thread_local throw true try typeid typename using ' +
    'volatile wchar_t xor_eq and_eq bitand bitor not_eq or_eq NULL EOF stdin stdout stderr errno ' +
    // reserved by the emitters themselves
    'clk rst unused_ok'
  ).split(/\s+/),
);

export function allocateNames(d: DesignIR): DesignIR {
  for (const m of d.modules) allocateModuleNames(m);
  return d;
}

export function allocateModuleNames(m: ModuleIR): void {
  const used = new Set<string>();
  const take = (want: string): string => {
    let base = want.replace(/\./g, '__').replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z_]/.test(base)) base = 'n_' + base;
    // Verilator mangles "__" oddly only at the start; avoid leading "_" too.
    if (base.startsWith('_')) base = 's' + base;
    let name = base;
    for (let i = 1; used.has(name) || RESERVED.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    return name;
  };
  const vnames: string[] = new Array(m.nets.length);
  for (const p of [...m.inputs, ...m.outputs]) {
    if (p.name === 'rst') {
      vnames[p.net] = 'rst';
      continue;
    }
    if (RESERVED.has(p.name) || used.has(p.name)) {
      throw new ElabError(`port name '${p.name}' of module '${m.name}' is a reserved word in Verilog/C++`, m.nets[p.net]!.loc);
    }
    used.add(p.name);
    vnames[p.net] = p.name;
  }
  used.add('clk');
  used.add('rst');
  m.nets.forEach((n, i) => {
    if (vnames[i] === undefined && n.name !== undefined) vnames[i] = take(n.name);
  });
  for (const mem of m.mems) mem.vname = take(mem.name);
  for (const c of m.cells) if (c.kind === 'inst') c.vname = take(c.name ?? 'inst');
  m.nets.forEach((_, i) => {
    if (vnames[i] === undefined) vnames[i] = take(`n${i}`);
  });
  m.vnames = vnames;
}
