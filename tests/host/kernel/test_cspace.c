/* CSpace lookup (abi §8.1): guards, radix, depth, multiple levels, every failure kind. */
#include <string.h>
#include "fake_arch.h"
#include "cspace.h"
#include "abi.h"

int host_failures;

static cte_t root_slots[16] __attribute__((aligned(32)));
static cte_t level2_slots[256] __attribute__((aligned(32)));

int main(void)
{
    struct lookup_fault lf;
    cte_t *slot;
    word_t left;

    /* A root CNode like the boot one: radix 4, guard size 60, guard 0. */
    cap_t root = cap_cnode_new(root_slots, 4, 60, 0);
    HCHECK("depth 64 finds slot 5", resolve_address_bits(root, 5, 64, &slot, &left, &lf) &&
                                        slot == &root_slots[5] && left == 0);
    HCHECK("depth = radix is a guard mismatch",
           !resolve_address_bits(root, 5, 4, &slot, &left, &lf) && lf.type == seL4_GuardMismatch &&
               lf.bits_left == 4 && lf.bits_found_or_guard == 0 && lf.guard_bits_found == 60);
    HCHECK("wrong guard bits are a guard mismatch",
           !resolve_address_bits(root, (1ull << 63) | 5, 64, &slot, &left, &lf) &&
               lf.type == seL4_GuardMismatch && lf.bits_left == 64);
    HCHECK("a non-CNode root is InvalidRoot",
           !resolve_address_bits(cap_thread_new(root_slots), 0, 64, &slot, &left, &lf) &&
               lf.type == seL4_InvalidRoot);

    /* Two levels: root radix 4 no guard; slot 3 -> CNode radix 8 with guard size 4, guard 0xa. */
    memset(root_slots, 0, sizeof(root_slots));
    root = cap_cnode_new(root_slots, 4, 0, 0);
    root_slots[3].cap = cap_cnode_new(level2_slots, 8, 4, 0xa);
    word_t cptr = (3ull << 12) | (0xaull << 8) | 0x42; /* 16 bits */
    HCHECK("two levels resolve to the second-level slot",
           resolve_address_bits(root, cptr, 16, &slot, &left, &lf) && slot == &level2_slots[0x42] && left == 0);
    HCHECK("stopping at the first level gives the CNode slot",
           resolve_address_bits(root, 3, 4, &slot, &left, &lf) && slot == &root_slots[3] && left == 0);
    HCHECK("a depth between levels is a depth mismatch",
           !resolve_address_bits(root, cptr >> 2, 14, &slot, &left, &lf) && lf.type == seL4_DepthMismatch &&
               lf.bits_left == 10 && lf.bits_found_or_guard == 12);
    HCHECK("a second-level guard mismatch reports the remaining bits",
           !resolve_address_bits(root, (3ull << 12) | (0xbull << 8), 16, &slot, &left, &lf) &&
               lf.type == seL4_GuardMismatch && lf.bits_left == 12 && lf.bits_found_or_guard == 0xa &&
               lf.guard_bits_found == 4);
    HCHECK("a non-CNode slot stops the walk with bits left",
           resolve_address_bits(root, (5ull << 12) | 0x123, 16, &slot, &left, &lf) && slot == &root_slots[5] &&
               left == 12);
    HCHECK("exact lookup refuses leftover bits as DepthMismatch(bitsFound 0)",
           !lookup_slot_exact(root, (5ull << 12) | 0x123, 16, &slot, &lf) && lf.type == seL4_DepthMismatch &&
               lf.bits_left == 12 && lf.bits_found_or_guard == 0);

    return host_failures ? 1 : 0;
}
