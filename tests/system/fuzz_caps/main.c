/*
 * Seeded random CNode and Untyped operations (issue 3): FUZZ_OPS invocations with valid and
 * invalid arguments, each result compared with a model (engine.c), while the kernel checks
 * its invariants after every syscall (qemu_args: check_invariants; a violation is a kernel
 * panic, which the harness reports). Reproducible: the same FUZZ_SEED gives the same run;
 * build with -DFUZZ_SEED=... (or edit the default below) to replay another one.
 *
 * Memory is bounded: everything is made from five untypeds carved out at the start (RAM of
 * 2^21, 2^18, 2^17, 2^16 bytes and 2^20 bytes of device memory). The root task's own caps
 * (the root CNode's slots below BootInfo's empty region) are never moved, deleted, revoked
 * or filled; the engine checks each operation's predicted effect before making it.
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include "../common/check.h"
#include "engine.h"

#ifndef FUZZ_SEED
#define FUZZ_SEED 0xc0ffee15ul
#endif
#ifndef FUZZ_OPS
#define FUZZ_OPS 20000
#endif
#define SWEEP_EVERY 2500

static fz_word qemu_invoke(fz_word service, fz_word label, fz_word length, unsigned ncaps, const fz_word *caps,
                           const fz_word *mr, fz_word *out)
{
    seL4_Word m[4] = { mr[0], mr[1], mr[2], mr[3] };
    for (fz_word i = 4; i < length && i < 8; i++)
        seL4_SetMR((int)i, mr[i]);
    for (unsigned i = 0; i < ncaps; i++)
        seL4_SetCap((int)i, caps[i]);
    seL4_MessageInfo_t r =
        seL4_CallWithMRs(service, seL4_MessageInfo_new(label, 0, ncaps, length), &m[0], &m[1], &m[2], &m[3]);
    for (int i = 0; i < 4; i++)
        out[i] = m[i];
    return seL4_MessageInfo_get_label(r);
}

static unsigned qemu_identify(fz_word slot) { return seL4_DebugCapIdentify(slot); }

/* The smallest boot untyped of at least 2^bits bytes of RAM or device memory (0: none). */
static seL4_CPtr boot_untyped(const seL4_BootInfo *bi, unsigned bits, bool device)
{
    seL4_CPtr best = 0;
    unsigned best_bits = 64;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (d->isDevice == device && d->sizeBits >= bits && d->sizeBits < best_bits) {
            best = bi->untyped.start + i;
            best_bits = d->sizeBits;
        }
    }
    return best;
}

int main(void)
{
    seL4_BootInfo *bi = platsupport_get_bootinfo();
    const seL4_CPtr first = bi->empty.start, ram = boot_untyped(bi, 22, false), dev = boot_untyped(bi, 20, true);
    struct fuzz_env env = {
        .root_radix = CONFIG_ROOT_CNODE_SIZE_BITS,
        .boot_end = first,
        .handle = { first, first + 1 },
        .scratch = first + 2,
        .ws_base = first + 16,
        .ws_count = 256,
        .n_untyped = 5,
        .untyped = { { first + 3, ram, 21, false }, { first + 4, ram, 18, false }, { first + 5, ram, 17, false },
                     { first + 6, ram, 16, false }, { first + 7, dev, 20, true } },
        .invoke = qemu_invoke,
        .identify = qemu_identify,
    };
    printf("fuzz_caps: seed 0x%lx, %u random operations (working set: root slots %lu..%lu and two CNodes)\n",
           (unsigned long)FUZZ_SEED, FUZZ_OPS, (unsigned long)env.ws_base,
           (unsigned long)(env.ws_base + env.ws_count - 1));
    bool ok = ram && dev && first + 16 + 256 <= bi->empty.end && fuzz_setup(&env, FUZZ_SEED);
    CHECK("setup: five untypeds carved from boot untypeds, two CNodes made from them", ok);

    bool agree = ok, swept = ok;
    unsigned long steps = 0;
    while (agree && fuzz_stats.ops < FUZZ_OPS) {
        agree = fuzz_step();
        if (agree && ++steps % SWEEP_EVERY == 0) {
            swept &= fuzz_sweep();
            printf("fuzz_caps: %lu operations, %lu live caps at most, working set %lu%% full on average\n",
                   fuzz_stats.ops, fuzz_stats.max_live_caps,
                   fuzz_stats.fill_sum / (fuzz_stats.fill_samples ? fuzz_stats.fill_samples : 1));
        }
    }
    unsigned long ops = fuzz_stats.ops;
    bool finished = agree && fuzz_finish();
    fuzz_print_summary();

    const struct fuzz_stats *s = &fuzz_stats;
    char name[200];
    snprintf(name, sizeof(name), "%lu random operations (seed 0x%lx): every result is a seL4_Error (0..10)", ops,
             (unsigned long)FUZZ_SEED);
    CHECK(name, ops >= FUZZ_OPS && s->bad_error == 0);
    snprintf(name, sizeof(name), "%lu random operations: every result and error detail is the one the model predicts",
             ops);
    CHECK(name, ops >= FUZZ_OPS && s->mismatches == 0 && agree);
    snprintf(name, sizeof(name), "successful Copy/Mint/Move/Mutate/Rotate leave the destination holding the cap "
             "(%lu checked)", s->dest_checked);
    CHECK(name, s->dest_checked > 0 && s->dest_bad == 0);
    snprintf(name, sizeof(name), "successful Move/Mutate/Rotate leave the source empty (%lu checked)", s->src_checked);
    CHECK(name, s->src_checked > 0 && s->src_bad == 0);
    snprintf(name, sizeof(name), "Delete leaves the slot empty (%lu checked)", s->deleted_checked);
    CHECK(name, s->deleted_checked > 0 && s->deleted_bad == 0);
    snprintf(name, sizeof(name), "Revoke leaves the cap itself in place (%lu checked)", s->revoked_checked);
    CHECK(name, s->revoked_checked > 0 && s->revoked_bad == 0);
    snprintf(name, sizeof(name), "successful Retype fills exactly the requested slots, with caps of the requested "
             "type (%lu slots checked, the neighbours included)", s->retyped_checked);
    CHECK(name, s->retyped_checked > 0 && s->retyped_bad == 0);
    snprintf(name, sizeof(name), "%lu sweeps: every slot the test uses holds what the model says (%lu slots compared)",
             s->sweeps, s->swept);
    CHECK(name, swept && s->sweep_bad == 0);
    bool all_errors = true;
    for (int e = 0; e <= seL4_NotEnoughMemory; e++) {
        unsigned long n = 0;
        for (int k = 0; k < FZ_KINDS; k++)
            n += s->by_kind[k][e];
        all_errors &= n > 0 || e == seL4_AlignmentError; /* no CNode or Untyped check gives it */
    }
    CHECK("the operations met every outcome: success and every error but AlignmentError", all_errors);
    snprintf(name, sizeof(name), "%lu CNodes died with their contents, %lu untypeds were reset; at the end the "
             "carved untypeds are whole again and the working set is empty", s->cnodes_destroyed, s->untyped_resets);
    CHECK(name, finished);
    printf("invariants checked after every operation: %lu syscalls, each followed by the kernel's check\n", s->calls);
    return check_failures ? 1 : 0;
}
