// ELF constants the BPF loader needs (System V gABI, and LLVM's BPF psABI for
// the relocation types). Only what is read; nothing here describes eBPF
// instructions — those live in src/isa/.

export const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const; // "\x7fELF"

export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const ELFDATA2MSB = 2;

export const ET_REL = 1;
export const EM_BPF = 247;

/** A few machine numbers, only to name them in the "wrong e_machine" error. */
export const MACHINE_NAMES: Readonly<Record<number, string>> = {
  3: 'x86 (EM_386)',
  40: 'ARM (EM_ARM)',
  62: 'x86-64 (EM_X86_64)',
  183: 'AArch64 (EM_AARCH64)',
  243: 'RISC-V (EM_RISCV)',
  247: 'BPF (EM_BPF)',
};

export const ELF64_EHDR_SIZE = 64;
export const ELF64_SHDR_SIZE = 64;
export const ELF64_SYM_SIZE = 24;
export const ELF64_REL_SIZE = 16;
export const ELF64_RELA_SIZE = 24;

export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;

export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;

export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
export const SHN_XINDEX = 0xffff;

export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;

export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;

/** BPF relocation types (LLVM docs/BPFRelocations, libbpf). */
export const R_BPF = {
  NONE: 0,
  /** lddw: imm pair = S + A. */
  R64_64: 1,
  /** 64-bit data word = S + A. */
  ABS64: 2,
  /** 32-bit data word = S + A. */
  ABS32: 3,
  /** .BTF/.BTF.ext offsets; never applied by a loader. */
  NODYLD32: 4,
  /** call imm: target slot = (S + A) / 8 - 1, section relative. */
  R64_32: 10,
} as const;

export const RELOC_NAMES: Readonly<Record<number, string>> = {
  0: 'R_BPF_NONE',
  1: 'R_BPF_64_64',
  2: 'R_BPF_64_ABS64',
  3: 'R_BPF_64_ABS32',
  4: 'R_BPF_64_NODYLD32',
  10: 'R_BPF_64_32',
};

export function relocName(type: number): string {
  return RELOC_NAMES[type] ?? `relocation type ${type}`;
}
