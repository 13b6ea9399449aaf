// bpf_trace_printk's formatting: the kernel's subset of printf (%d %i %u %x
// %X %c %s %p %%, with l/ll/h/hh width modifiers and a field width), at most
// three arguments. Output goes to the run's log instead of trace_pipe.

export function formatPrintk(format: string, args: readonly bigint[], readString: (address: bigint) => string): string {
  let next = 0;
  const take = (): bigint => (next < args.length ? args[next++]! : 0n);
  return format.replace(/%(-?0?\d*)(hh|h|ll|l|z)?([diuxXcsp%])/g, (_all, width: string, size: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    const raw = take();
    const bits = size === 'll' || size === 'l' || size === 'z' || conv === 'p' ? 64 : size === 'h' ? 16 : size === 'hh' ? 8 : 32;
    let text: string;
    switch (conv) {
      case 'd': case 'i': text = BigInt.asIntN(bits, raw).toString(); break;
      case 'u': text = BigInt.asUintN(bits, raw).toString(); break;
      case 'x': text = BigInt.asUintN(bits, raw).toString(16); break;
      case 'X': text = BigInt.asUintN(bits, raw).toString(16).toUpperCase(); break;
      case 'p': text = `0x${BigInt.asUintN(64, raw).toString(16)}`; break;
      case 'c': text = String.fromCharCode(Number(raw & 0xffn)); break;
      default: text = readString(raw);
    }
    const n = parseInt(width.replace('-', ''), 10) || 0;
    const pad = width.startsWith('0') && conv !== 's' && conv !== 'c' ? '0' : ' ';
    return width.startsWith('-') ? text.padEnd(n) : text.padStart(n, pad);
  });
}
