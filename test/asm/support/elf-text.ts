// Just enough ELF64 little-endian reading to get one section's bytes out of
// an llvm-mc/clang object, so the cross-check does not depend on other
// packages of this project.

export function elfSection(file: Uint8Array, name: string): Uint8Array {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (v.getUint32(0, false) !== 0x7f454c46 || v.getUint8(4) !== 2 || v.getUint8(5) !== 1) {
    throw new Error('not an ELF64 little-endian file');
  }
  const shoff = Number(v.getBigUint64(0x28, true));
  const shentsize = v.getUint16(0x3a, true);
  const shnum = v.getUint16(0x3c, true);
  const shstrndx = v.getUint16(0x3e, true);
  const header = (i: number) => {
    const at = shoff + i * shentsize;
    return {
      name: v.getUint32(at, true),
      offset: Number(v.getBigUint64(at + 0x18, true)),
      size: Number(v.getBigUint64(at + 0x20, true)),
    };
  };
  const strtab = header(shstrndx);
  const nameAt = (off: number): string => {
    let end = strtab.offset + off;
    while (file[end] !== 0) end++;
    return new TextDecoder().decode(file.subarray(strtab.offset + off, end));
  };
  for (let i = 0; i < shnum; i++) {
    const h = header(i);
    if (nameAt(h.name) === name) return file.subarray(h.offset, h.offset + h.size);
  }
  throw new Error(`no section '${name}' in the object`);
}
