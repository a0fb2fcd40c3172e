/*
 * The random CNode/Untyped engine of tests/system/fuzz_caps (engine.c) on the host, against
 * the kernel core under ASan/UBSan. test_mdb.c checks the exact derivation tree for CNode
 * operations on a fixed set of objects; this adds what it lacks: Untyped_Retype of every
 * object type (valid and invalid arguments, device memory, resets), malformed messages,
 * CNodes that die with their contents, and the kernel's invariant checker after every
 * syscall, including each preempted attempt (some seeds preempt at every 1st/2nd/3rd
 * preemption point). Also a directed case the engine found: a Revoke preempted inside a
 * ring of CNodes (delete.c, contain_top).
 *
 *   kernel_fuzz_caps [seeds [operations]]
 */
#include "kenv.h"
#include "cap.h"
#include "../../system/fuzz_caps/engine.c"

int host_failures;
static unsigned long violations, syscalls;

static void check(void)
{
    syscalls++;
    if (kinvariants() != 0)
        violations++;
}

static fz_word host_invoke(fz_word service, fz_word label, fz_word length, unsigned ncaps, const fz_word *cps,
                           const fz_word *mr, fz_word *out)
{
    word_t r;
    for (unsigned attempts = 0;; attempts++) { /* re-executed after a preemption, like a thread */
        r = kcall_once(service, label, length, ncaps, cps, mr);
        check();
        if (r != ~0ul)
            break;
        if (attempts > 1000000) {
            fprintf(stderr, "test_fuzz_caps: an operation never completes\n");
            abort();
        }
    }
    for (unsigned i = 0; i < 4; i++)
        out[i] = kmr(i);
    return r;
}

static unsigned host_identify(fz_word slot)
{
    check();
    return slot < BIT(KENV_RADIX) ? cap_get_type(kcap(slot)) : 0;
}

#define DEVICE_SLOT 8 /* a device untyped among the "boot" caps (slot 8 is free in kenv) */

static bool run_seed(uint64_t seed, unsigned ops)
{
    kenv_init();
    cte_insert(NULL, kslot(DEVICE_SLOT), cap_untyped_new(0x40000000, 24, true, BIT(24)), true, true);
    preempt_test_every = seed % 4;
    struct fuzz_env env = {
        .root_radix = KENV_RADIX,
        .boot_end = KS_FREE,
        .ws_base = 64,
        .ws_count = 128,
        .handle = { 40, 41 },
        .scratch = 42,
        .n_untyped = 5,
        .untyped = { { 32, KS_UNTYPED, 21, false }, { 33, KS_UNTYPED, 18, false }, { 34, KS_UNTYPED, 17, false },
                     { 35, KS_UNTYPED, 16, false }, { 36, DEVICE_SLOT, 20, true } },
        .invoke = host_invoke,
        .identify = host_identify,
    };
    violations = 0;
    bool ok = fuzz_setup(&env, seed);
    for (unsigned i = 0; ok && i < ops; i++) {
        ok = fuzz_step();
        if (ok && i % 1000 == 999)
            ok = fuzz_sweep();
    }
    ok = ok && fuzz_finish();
    preempt_test_every = 0;
    if (!ok || violations)
        printf("seed %lu: %s after %lu operations, %lu invariant violations\n", (unsigned long)seed,
               ok ? "model agrees" : "model and kernel disagree", fuzz_stats.ops, violations);
    return ok && violations == 0;
}

/* ---- a directed case the engine found ---- */

/* A ring of k CNodes (radix 3), each holding the only cap of the next in its slot 1: odd ones
 * from untyped slot 10, even ones from 11. A Revoke of untyped 10, preempted every `every`
 * preemption points, must destroy the whole ring: it once left an even CNode half-destroyed
 * (a zombie keeping untyped 11 from resetting) when restarted. */
static bool revoke_ring(unsigned k, unsigned every)
{
    kenv_init();
    new_untyped(10, 16);
    new_untyped(11, 16);
    const word_t root[1] = { KS_CNODE };
    bool ok = true;
    for (unsigned i = 0; i < k; i++) {
        const word_t mr[6] = { seL4_CapTableObject, 3, 0, 0, 20 + i, 1 };
        ok &= kcall(i % 2 ? 10 : 11, UntypedRetype, 6, 1, root, mr) == 0;
    }
    /* Through root slot 20: O0 -[1]-> O1 -[1]-> ... ; the last move puts O0 into O(k-1). */
    word_t path = 0;
    for (unsigned i = 1; i <= k; i++) {
        path = path << 3 | 1;
        const word_t mr[4] = { path, 3 * i, i < k ? 20 + i : 20, 64 };
        ok &= kcall(20, CNodeMove, 4, 1, root, mr) == 0;
    }
    preempt_test_every = every;
    ok &= cn_revoke(10) == 0;
    preempt_test_every = 0;
    return ok && !cte_has_children(kslot(10)) && !cte_has_children(kslot(11)) && kinvariants() == 0;
}

int main(int argc, char **argv)
{
    unsigned seeds = argc > 1 ? (unsigned)atoi(argv[1]) : 8, ops = argc > 2 ? (unsigned)atoi(argv[2]) : 3000;
    fake_quiet = true;
    for (unsigned k = 2; k <= 4; k++) {
        bool ok = true;
        for (unsigned every = 0; every <= 5; every++)
            ok &= revoke_ring(k, every);
        char name[128];
        snprintf(name, sizeof(name), "a preempted Revoke destroys a ring of %u CNodes holding each other's last caps", k);
        HCHECK(name, ok);
    }

    unsigned failed = 0;
    unsigned long total_ops = 0, results[FZ_RESULTS] = { 0 }, destroyed = 0, resets = 0;
    fake_quiet = true;
    for (unsigned seed = 1; seed <= seeds; seed++) {
        bool ok = run_seed(seed, ops);
        total_ops += fuzz_stats.ops;
        destroyed += fuzz_stats.cnodes_destroyed;
        resets += fuzz_stats.untyped_resets;
        for (int k = 0; k < FZ_KINDS; k++)
            for (int e = 0; e < FZ_RESULTS; e++)
                results[e] += fuzz_stats.by_kind[k][e];
        if (getenv("FUZZ_SUMMARY")) /* FUZZ_SUMMARY=1 kernel_fuzz_caps: each seed's operation mix */
            fuzz_print_summary();
        if (!ok) {
            char name[96];
            snprintf(name, sizeof(name), "random CNode and Untyped operations, seed %u", seed);
            HCHECK(name, false);
            fuzz_print_summary();
            if (++failed == 3)
                break;
        }
    }
    printf("results of %lu operations:", total_ops);
    for (int e = 0; e < FZ_RESULTS; e++)
        printf(" %lu", results[e]);
    printf(" (seL4_Error 0..10, other); %lu CNodes died with their contents, %lu untyped resets, %lu syscalls\n",
           destroyed, resets, syscalls);
    char name[128];
    snprintf(name, sizeof(name), "%u seeded runs of %u random CNode/Untyped operations match the model, no invariant "
             "violated", seeds, ops);
    HCHECK(name, failed == 0);
    return host_failures ? 1 : 0;
}
