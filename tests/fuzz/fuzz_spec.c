/*
** fuzz_spec.c — libFuzzer target for tiercel-gen's front end: the input is written as
** a spec file and loaded, validated and checked like the real one. Any input must give
** a model or file:line errors; never a crash, a hang or an out-of-bounds access. Each
** input's model goes with gen_free_all (gen itself never frees; leak checking is off
** for this target, whose libxml2 keeps global state).
*/
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "gen.h"

static char path[] = "/tmp/tiercel-fuzz-spec-XXXXXX";
static const char *schema;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    schema = getenv("TIERCEL_SCHEMA");
    if (!schema)
        schema = "spec/schema.rng";
    int fd = mkstemp(path);
    if (fd < 0)
        abort();
    close(fd);
    gen_quiet_errors(true);   /* errors are expected; printing them would drown the fuzzer */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(data, 1, size, f);
    fclose(f);
    gen_reset_errors();
    gen_load_spec(path, schema, 64);
    gen_free_all();
    return 0;
}
