/*
** stencil-extract.c — build tool: turns the object file clang made of jit/stencils.c into
** the baseline tier's stencil tables (C source), each stencil_* function's bytes and
** holes. It accepts only what the tier knows how to patch, and says which stencil and
** which relocation otherwise, so a compiler change fails the build, not a guest.
**
**   stencil-extract STENCILS.o OUTPUT.c.inc
*/
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *input_name;

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "stencil-extract: %s: ", input_name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static unsigned char *image;
static size_t image_size;

static const void *at(uint64_t off, uint64_t len, const char *what)
{
    if (off > image_size || len > image_size - off)
        die("%s lies outside the file", what);
    return image + off;
}

static const Elf64_Shdr *sections;
static unsigned nsections;

static const Elf64_Shdr *section(unsigned i)
{
    if (i >= nsections)
        die("section index %u out of range", i);
    return &sections[i];
}

/* The holes jit/stencils.c declares, by symbol name; JIT_HOLE_EXTERN for the rest. */
static const char *const hole_names[] = {
    "jit_continue", "jit_exit_next", "jit_exit_taken", "jit_exit_lookup", "jit_exit_pending", "jit_side_exit",
    "jit_exit_hot", "jit_hole_hot",
    "jit_hole_reg0", "jit_hole_reg1", "jit_hole_reg2", "jit_hole_reg3", "jit_hole_reg4", "jit_hole_reg5",
    "jit_hole_b0", "jit_hole_b1", "jit_hole_b2", "jit_hole_b3", "jit_hole_b4", "jit_hole_b5",
    "jit_hole_imm", "jit_hole_imm2", "jit_hole_pc", "jit_hole_npc", "jit_hole_block", "jit_hole_insn",
    "jit_hole_runs", "jit_hole_site", "jit_hole_jump_cache",
};
enum { NHOLE_NAMES = sizeof hole_names / sizeof hole_names[0] };

static void hole_enum(FILE *out, const char *name)
{
    fputs("JIT_HOLE_", out);
    for (const char *p = name + (strncmp(name, "jit_hole_", 9) ? 4 : 9); *p; p++)
        fputc(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p, out);
}

static const char *reloc_kind(unsigned type)
{
    switch (type) {
    case R_X86_64_64: return "JIT_RELOC_ABS64";
    case R_X86_64_32: return "JIT_RELOC_ABS32";
    case R_X86_64_32S: return "JIT_RELOC_ABS32S";
    case R_X86_64_PC32:
    case R_X86_64_PLT32: return "JIT_RELOC_REL32";
    default: return NULL;
    }
}

/* Read-only data the stencils address (clang's constant pools: FP constants, masks),
   emitted once each as rodata_<section index>; the tier copies them into the code cache,
   where every stencil reaches them with a rel32. */
static bool *rodata_emitted;

static bool is_rodata(unsigned shndx)
{
    if (shndx == SHN_UNDEF || shndx >= nsections)
        return false;
    const Elf64_Shdr *sh = section(shndx);
    return sh->sh_type == SHT_PROGBITS && (sh->sh_flags & SHF_ALLOC) &&
           !(sh->sh_flags & (SHF_WRITE | SHF_EXECINSTR));
}

static void emit_rodata(FILE *out, unsigned shndx)
{
    if (rodata_emitted[shndx])
        return;
    const Elf64_Shdr *sh = section(shndx);
    if (sh->sh_addralign > 64 || sh->sh_size > 4096 || sh->sh_size == 0)
        die("read-only section %u: %llu bytes aligned to %llu is not a stencil constant", shndx,
            (unsigned long long)sh->sh_size, (unsigned long long)sh->sh_addralign);
    const unsigned char *data = at(sh->sh_offset, sh->sh_size, "read-only data");
    fprintf(out, "static const uint8_t rodata_%u[] = {", shndx);
    for (uint64_t i = 0; i < sh->sh_size; i++)
        fprintf(out, "%s0x%02x,", i % 16 ? " " : "\n    ", data[i]);
    fprintf(out, "\n};\n");
    rodata_emitted[shndx] = true;
}

/* A stencil's machine code and relocations, as the tier copies them. */
typedef struct Cut {
    const unsigned char *code;
    uint64_t size;
    const Elf64_Rela *rela;
    uint64_t nrela;
} Cut;

static Cut cut_stencil(const char *name, const Elf64_Sym *fn, const Elf64_Sym *symtab, unsigned nsyms,
                       const char *strtab, size_t strtab_size)
{
    unsigned shndx = fn->st_shndx;
    const Elf64_Shdr *text = section(shndx);
    if (fn->st_value != 0 || fn->st_size != text->sh_size)
        die("%s does not fill its own section (compile with -ffunction-sections)", name);
    const unsigned char *code = at(text->sh_offset, text->sh_size, name);
    uint64_t size = fn->st_size;

    /* its relocations, in offset order as the assembler writes them */
    const Elf64_Rela *rela = NULL;
    uint64_t nrela = 0;
    for (unsigned i = 0; i < nsections; i++) {
        if (sections[i].sh_type == SHT_RELA && sections[i].sh_info == shndx) {
            rela = at(sections[i].sh_offset, sections[i].sh_size, "relocations");
            nrela = sections[i].sh_size / sizeof(Elf64_Rela);
        }
        if (sections[i].sh_type == SHT_REL && sections[i].sh_info == shndx)
            die("%s: REL relocations are not supported", name);
    }

    /* a trailing `jmp jit_continue` becomes falling through into the next stencil */
    bool drop_tail = false;
    if (nrela && size >= 5 && code[size - 5] == 0xe9) {
        const Elf64_Rela *r = &rela[nrela - 1];
        unsigned si = ELF64_R_SYM(r->r_info);
        if (r->r_offset == size - 4 && si < nsyms && symtab[si].st_name < strtab_size &&
            !strcmp(strtab + symtab[si].st_name, "jit_continue") && r->r_addend == -4)
            drop_tail = true;
    }
    if (drop_tail) {
        size -= 5;
        nrela--;
    }
    if (size > 0xffff)
        die("%s is %llu bytes: more than a stencil may be", name, (unsigned long long)size);
    return (Cut){ code, size, rela, nrela };
}

static void emit_stencil(FILE *out, const char *name, const Elf64_Sym *fn, const Elf64_Sym *symtab,
                         unsigned nsyms, const char *strtab, size_t strtab_size)
{
    Cut cut = cut_stencil(name, fn, symtab, nsyms, strtab, strtab_size);
    const unsigned char *code = cut.code;
    uint64_t size = cut.size, nrela = cut.nrela;
    const Elf64_Rela *rela = cut.rela;
    for (uint64_t i = 0; i < nrela; i++) {
        unsigned si = ELF64_R_SYM(rela[i].r_info);
        if (si < nsyms && is_rodata(symtab[si].st_shndx))
            emit_rodata(out, symtab[si].st_shndx);
    }
    fprintf(out, "static const uint8_t code_%s[] = {", name);
    for (uint64_t i = 0; i < size; i++)
        fprintf(out, "%s0x%02x,", i % 16 ? " " : "\n    ", code[i]);
    fprintf(out, "\n};\n");
    if (nrela) {
        fprintf(out, "static const JitHole holes_%s[] = {\n", name);
        for (uint64_t i = 0; i < nrela; i++) {
            const Elf64_Rela *r = &rela[i];
            unsigned si = ELF64_R_SYM(r->r_info);
            const char *kind = reloc_kind(ELF64_R_TYPE(r->r_info));
            if (!kind)
                die("%s: relocation type %u at +%llu is not one the tier patches", name,
                    (unsigned)ELF64_R_TYPE(r->r_info), (unsigned long long)r->r_offset);
            if (si >= nsyms || symtab[si].st_name >= strtab_size)
                die("%s: relocation at +%llu names a bad symbol", name, (unsigned long long)r->r_offset);
            const Elf64_Sym *s = &symtab[si];
            const char *sym = strtab + s->st_name;
            if (is_rodata(s->st_shndx) && !strcmp(kind, "JIT_RELOC_REL32")) {
                int64_t addend = r->r_addend + (int64_t)s->st_value;
                if (s->st_value >= section(s->st_shndx)->sh_size || addend != (int32_t)addend)
                    die("%s: relocation at +%llu points outside its constant", name,
                        (unsigned long long)r->r_offset);
                fprintf(out, "    { %llu, JIT_RELOC_REL32, JIT_HOLE_RODATA, %lld, rodata_%u },\n",
                        (unsigned long long)r->r_offset, (long long)addend, (unsigned)s->st_shndx);
                continue;
            }
            if (s->st_shndx != SHN_UNDEF || !*sym)
                die("%s: relocation at +%llu refers to data in the object (%s): stencils may use "
                    "only holes, external functions and read-only constants (rel32)", name,
                    (unsigned long long)r->r_offset, *sym ? sym : "a section");
            if (r->r_offset + (ELF64_R_TYPE(r->r_info) == R_X86_64_64 ? 8 : 4) > size)
                die("%s: relocation at +%llu lies outside the code", name, (unsigned long long)r->r_offset);
            fprintf(out, "    { %llu, %s, ", (unsigned long long)r->r_offset, kind);
            int known = -1;
            for (int h = 0; h < NHOLE_NAMES; h++)
                if (!strcmp(sym, hole_names[h]))
                    known = h;
            if (known >= 0) {
                hole_enum(out, sym);
                fprintf(out, ", %lld, NULL },\n", (long long)r->r_addend);
            } else if (!strncmp(sym, "jit_", 4)) {
                die("%s: unknown hole %s", name, sym);
            } else {
                fprintf(out, "JIT_HOLE_EXTERN, %lld, (const void *)&%s },\n", (long long)r->r_addend, sym);
            }
        }
        fprintf(out, "};\n");
    }
    if (nrela)
        fprintf(out, "#define STENCIL_%s { code_%s, %llu, holes_%s, %llu }\n\n", name, name,
                (unsigned long long)size, name, (unsigned long long)nrela);
    else
        fprintf(out, "#define STENCIL_%s { code_%s, %llu, NULL, 0 }\n\n", name, name, (unsigned long long)size);
}

/* #define MACRO [OP_x] = STENCIL_<prefix without stencil_>OP_x, ... for the functions
   named <prefix>OP_x that are emitted */
static void emit_op_table(FILE *out, const char *macro, const char *prefix, const Elf64_Sym *symtab, unsigned nsyms,
                          const char *strtab, const bool *skip)
{
    size_t len = strlen(prefix);
    fprintf(out, "#define %s \\\n", macro);
    for (unsigned i = 0; i < nsyms; i++) {
        const char *name = strtab + symtab[i].st_name;
        if (ELF64_ST_TYPE(symtab[i].st_info) == STT_FUNC && !skip[i] && !strncmp(name, prefix, len) &&
            !strncmp(name + len, "OP_", 3))
            fprintf(out, "    [%s] = STENCIL_%s, \\\n", name + len, name + 8);
    }
    fprintf(out, "\n");
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: stencil-extract STENCILS.o OUTPUT.c.inc\n");
        return 2;
    }
    input_name = argv[1];
    FILE *in = fopen(argv[1], "rb");
    if (!in)
        die("%s", strerror(errno));
    fseek(in, 0, SEEK_END);
    long len = ftell(in);
    rewind(in);
    if (len <= 0)
        die("empty file");
    image_size = (size_t)len;
    image = malloc(image_size);
    if (!image || fread(image, 1, image_size, in) != image_size)
        die("cannot read");
    fclose(in);

    const Elf64_Ehdr *eh = at(0, sizeof *eh, "the ELF header");
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_type != ET_REL || eh->e_machine != EM_X86_64)
        die("not an x86-64 ELF relocatable object");
    if (eh->e_shentsize != sizeof(Elf64_Shdr))
        die("unexpected section header size");
    nsections = eh->e_shnum;
    sections = at(eh->e_shoff, (uint64_t)nsections * sizeof(Elf64_Shdr), "the section headers");

    const Elf64_Sym *symtab = NULL;
    unsigned nsyms = 0;
    const char *strtab = NULL;
    size_t strtab_size = 0;
    for (unsigned i = 0; i < nsections; i++) {
        if (sections[i].sh_type == SHT_SYMTAB) {
            symtab = at(sections[i].sh_offset, sections[i].sh_size, "the symbol table");
            nsyms = (unsigned)(sections[i].sh_size / sizeof(Elf64_Sym));
            const Elf64_Shdr *st = section(sections[i].sh_link);
            strtab = at(st->sh_offset, st->sh_size, "the string table");
            strtab_size = st->sh_size;
        }
    }
    if (!symtab || !strtab_size || strtab[strtab_size - 1])
        die("no usable symbol table");

    rodata_emitted = calloc(nsections ? nsections : 1, sizeof *rodata_emitted);
    if (!rodata_emitted)
        die("out of memory");
    FILE *out = fopen(argv[2], "w");
    if (!out)
        die("cannot write %s: %s", argv[2], strerror(errno));
    fprintf(out, "/* Generated by stencil-extract from %s; do not edit. */\n\n", argv[1]);
    /* a variant (stencil_IMM0_OP_x: the handler for an immediate of 0; stencil_IMM32_OP_x:
       the immediate in 32-bit fields) is kept only if it is shorter than stencil_OP_x; the
       others are the same code */
    bool *skip = calloc(nsyms ? nsyms : 1, sizeof *skip);
    if (!skip)
        die("out of memory");
    for (unsigned i = 0; i < nsyms; i++) {
        const char *name = symtab[i].st_name < strtab_size ? strtab + symtab[i].st_name : "";
        static const char *const variants[] = { "stencil_IMM0_", "stencil_IMM32_" };
        size_t prefix = 0;
        for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++)
            if (!strncmp(name, variants[v], strlen(variants[v])) && !strncmp(name + strlen(variants[v]), "OP_", 3))
                prefix = strlen(variants[v]);
        if (ELF64_ST_TYPE(symtab[i].st_info) != STT_FUNC || !prefix)
            continue;
        char base[256];
        snprintf(base, sizeof base, "stencil_%s", name + prefix);
        unsigned j = 0;
        while (j < nsyms && (ELF64_ST_TYPE(symtab[j].st_info) != STT_FUNC || symtab[j].st_name >= strtab_size ||
                             strcmp(strtab + symtab[j].st_name, base)))
            j++;
        if (j == nsyms)
            die("%s has no %s", name, base);
        skip[i] = cut_stencil(name, &symtab[i], symtab, nsyms, strtab, strtab_size).size >=
                  cut_stencil(base, &symtab[j], symtab, nsyms, strtab, strtab_size).size;
    }
    unsigned count = 0;
    for (unsigned i = 0; i < nsyms; i++) {
        const Elf64_Sym *s = &symtab[i];
        if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_name >= strtab_size || skip[i])
            continue;
        const char *name = strtab + s->st_name;
        if (strncmp(name, "stencil_", 8))
            die("function %s is not a stencil (stencil_*)", name);
        emit_stencil(out, name + 8, s, symtab, nsyms, strtab, strtab_size);
        count++;
    }
    if (!count)
        die("no stencils");
    /* the instruction stencils, and the kept variants, as designated initializers indexed by op */
    emit_op_table(out, "JIT_OP_STENCILS", "stencil_", symtab, nsyms, strtab, skip);
    emit_op_table(out, "JIT_OP_STENCILS_IMM0", "stencil_IMM0_", symtab, nsyms, strtab, skip);
    emit_op_table(out, "JIT_OP_STENCILS_IMM32", "stencil_IMM32_", symtab, nsyms, strtab, skip);
    /* the constants, with their alignment, for the tier to copy into the code cache */
    fprintf(out, "#define JIT_RODATA_SECTIONS \\\n");
    unsigned nrodata = 0;
    for (unsigned i = 0; i < nsections; i++) {
        if (rodata_emitted[i]) {
            fprintf(out, "    { rodata_%u, sizeof rodata_%u, %llu }, \\\n", i, i,
                    (unsigned long long)(sections[i].sh_addralign ? sections[i].sh_addralign : 1));
            nrodata++;
        }
    }
    fprintf(out, "\n#define JIT_RODATA_COUNT %u\n", nrodata);
    if (fclose(out) != 0)
        die("cannot write %s", argv[2]);
    return 0;
}
