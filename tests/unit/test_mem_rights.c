/*
** test_mem_rights.c — the pages' rights table (mem/mem.h) that tier 2's access checks
** read: it must never grant what the host mapping would fault on, through every way
** mem_user changes a mapping. Links mem/mem_user.c alone.
*/
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mem.h"

enum { P = MEM_PAGE_SIZE, R = MEM_RIGHT_READ, W = MEM_RIGHT_WRITE, F = MEM_RIGHT_MAYFAULT,
       SPAN = MEM_RIGHTS_SPAN_SHIFT };

static MemUser m;

static void setup(void) { cr_assert_eq(mem_user_reserve(&m, (uint64_t)1 << 32), 0); }
static void teardown(void) { mem_user_release(&m); }

static unsigned rights(uint64_t page) { return m.rights[page]; }

TestSuite(mem_rights, .init = setup, .fini = teardown);

Test(mem_rights, a_fresh_space_grants_nothing)
{
    for (uint64_t pg = 0; pg < 64; pg++)
        cr_assert_eq(rights(pg), 0);
    cr_assert_eq(rights(m.size / P), 0, "the entry past the last page");
}

Test(mem_rights, mapped_pages_follow_protection_and_span_into_their_neighbours)
{
    cr_assert_eq(mem_user_map(&m, 16 * P, 3 * P, MEM_PROT_READ | MEM_PROT_WRITE), 0);
    cr_assert_eq(mem_user_map(&m, 19 * P, 1 * P, MEM_PROT_READ), 0);
    /* 16, 17: read-write, and so is the next page */
    cr_assert_eq(rights(16), R | W | (R | W) << SPAN);
    cr_assert_eq(rights(17), R | W | (R | W) << SPAN);
    /* 18: the next page is read-only, so an access crossing into it may only read */
    cr_assert_eq(rights(18), R | W | R << SPAN);
    /* 19: read-only, and its next page is unmapped */
    cr_assert_eq(rights(19), R);
    cr_assert_eq(rights(15), 0);
    cr_assert_eq(rights(20), 0);
    /* mapping the page before 16 links it to 16 */
    cr_assert_eq(mem_user_map(&m, 15 * P, P, MEM_PROT_READ), 0);
    cr_assert_eq(rights(15), R | R << SPAN);
}

Test(mem_rights, protect_and_unmap_take_rights_away)
{
    cr_assert_eq(mem_user_map(&m, 32 * P, 4 * P, MEM_PROT_READ | MEM_PROT_WRITE), 0);
    cr_assert_eq(mem_user_protect(&m, 33 * P, P, MEM_PROT_READ), 0);
    cr_assert_eq(rights(32), R | W | R << SPAN);
    cr_assert_eq(rights(33), R | R << SPAN);
    cr_assert_eq(mem_user_protect(&m, 34 * P, P, 0), 0);
    cr_assert_eq(rights(33), R);
    cr_assert_eq(rights(34), 0);
    cr_assert_eq(mem_user_unmap(&m, 35 * P, P), 0);
    cr_assert_eq(rights(35), 0);
    /* and exec-only pages are read by fetches, so the host lets loads read them too */
    cr_assert_eq(mem_user_protect(&m, 34 * P, P, MEM_PROT_EXEC), 0);
    cr_assert_eq(rights(34), R);
    cr_assert_eq(rights(33), R | R << SPAN);
}

Test(mem_rights, file_pages_never_get_rights)
{
    char path[] = "/tmp/tiercel-rights-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    unlink(path);
    cr_assert_eq(ftruncate(fd, P + 10), 0);
    cr_assert_eq(mem_user_map_file(&m, 48 * P, 3 * P, MEM_PROT_READ | MEM_PROT_WRITE, MAP_PRIVATE, fd, 0), 0);
    for (uint64_t pg = 48; pg < 51; pg++)
        cr_assert_eq(rights(pg), F, "page %llu", (unsigned long long)pg);
    /* protection changes keep them so */
    cr_assert_eq(mem_user_protect(&m, 48 * P, 3 * P, MEM_PROT_READ), 0);
    cr_assert_eq(rights(49), F);
    /* an anonymous page before them may not span into them */
    cr_assert_eq(mem_user_map(&m, 47 * P, P, MEM_PROT_READ), 0);
    cr_assert_eq(rights(47), R);
    /* growing the mapping in place: the new pages are file pages too */
    cr_assert_eq(mem_user_grow_file(&m, 48 * P, 3 * P, 5 * P), 0);
    cr_assert_eq(rights(52), F);
    /* an anonymous mapping over them replaces them */
    cr_assert_eq(mem_user_map(&m, 48 * P, 5 * P, MEM_PROT_READ), 0);
    cr_assert_eq(rights(50), R | R << SPAN);
    cr_assert_eq(rights(47), R | R << SPAN);
    close(fd);
}

Test(mem_rights, a_move_carries_rights_and_clears_the_old_place)
{
    /* (the host moves one mapping at a time: one protection) */
    cr_assert_eq(mem_user_map(&m, 64 * P, 2 * P, MEM_PROT_READ), 0);
    cr_assert_eq(mem_user_map(&m, 95 * P, P, MEM_PROT_READ | MEM_PROT_WRITE), 0);
    /* moved and grown by a page, which is like the last one */
    cr_assert_eq(mem_user_move(&m, 64 * P, 2 * P, 3 * P, 96 * P), 0);
    cr_assert_eq(rights(95), R | W | R << SPAN, "the page before links to the moved ones");
    cr_assert_eq(rights(96), R | R << SPAN);
    cr_assert_eq(rights(97), R | R << SPAN);
    cr_assert_eq(rights(98), R);
    cr_assert_eq(rights(64), 0);
    cr_assert_eq(rights(65), 0);
}

Test(mem_rights, the_last_page_spans_into_nothing)
{
    uint64_t last = m.size - P;
    cr_assert_eq(mem_user_map(&m, last - P, 2 * P, MEM_PROT_READ | MEM_PROT_WRITE), 0);
    cr_assert_eq(rights(last / P - 1), R | W | (R | W) << SPAN);
    cr_assert_eq(rights(last / P), R | W);
    cr_assert_eq(rights(m.size / P), 0);
}

Test(mem_rights, a_wide_unmap_clears_everything_between)
{
    cr_assert_eq(mem_user_map(&m, 128 * P, 20000 * P, MEM_PROT_READ | MEM_PROT_WRITE), 0);
    cr_assert_eq(rights(128 + 9000), R | W | (R | W) << SPAN);
    cr_assert_eq(mem_user_unmap(&m, 129 * P, 19998 * P), 0);
    cr_assert_eq(rights(128), R | W);
    for (uint64_t pg = 129; pg < 128 + 19999; pg += 997)
        cr_assert_eq(rights(pg), 0, "page %llu", (unsigned long long)pg);
    cr_assert_eq(rights(128 + 19998), 0);
    cr_assert_eq(rights(128 + 19999), R | W);
}

Test(mem_rights, an_access_may_cross_only_into_a_page_that_allows_it)
{
    cr_assert_eq(mem_user_map(&m, 200 * P, 2 * P, MEM_PROT_READ | MEM_PROT_WRITE), 0);
    cr_assert_eq(mem_user_map(&m, 202 * P, P, MEM_PROT_READ), 0);
    uint64_t end1 = 201 * P, end2 = 202 * P, end3 = 203 * P;
    cr_assert(mem_rights_allow(m.rights, end1 - 4, 8, R | W), "into a read-write page");
    cr_assert(mem_rights_allow(m.rights, end2 - 8, 8, R | W), "up to the page's end");
    cr_assert(!mem_rights_allow(m.rights, end2 - 4, 8, W), "into a read-only page");
    cr_assert(mem_rights_allow(m.rights, end2 - 4, 8, R));
    cr_assert(mem_rights_allow(m.rights, end3 - 8, 8, R), "the mapping's last bytes");
    cr_assert(!mem_rights_allow(m.rights, end3 - 4, 8, R), "into an unmapped page");
    cr_assert(mem_rights_allow(m.rights, end3 - 1, 1, R));
    cr_assert(!mem_rights_allow(m.rights, end3 - 1, 1, W));
    cr_assert(!mem_rights_allow(m.rights, end3, 1, R));
}
