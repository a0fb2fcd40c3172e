/*
 * A seeded random test of CNode and Untyped invocations against a model (issue 3).
 *
 * The engine makes random invocations (valid and invalid arguments) and predicts each
 * result with a model of the CSpace: which slot holds which cap of which object, each cap's
 * MDB parent, badges, rights, guards, the free offset of every untyped cap. Every result
 * must be the predicted seL4_Error (with the predicted error details), and after each
 * successful operation the slots it touched must hold what the model says.
 *
 * It runs in two places: as a root task in QEMU (tests/system/fuzz_caps/main.c, the kernel
 * checks its invariants after every syscall) and on the host against the kernel core
 * (tests/host/kernel/test_fuzz_caps.c). The environment says how to invoke and where things
 * are; this file and engine.c need nothing else.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <sel4/types.h>

typedef seL4_Word fz_word;

#define FUZZ_MAX_UNTYPEDS 5

struct fuzz_env {
    /* The root CNode (at cptr seL4_CapInitThreadCNode) has 2^root_radix slots and a guard of
     * 0 of 64 - root_radix bits, so a slot number is a cptr at depth 64. */
    unsigned root_radix;
    /* Root slots below boot_end may hold the system's caps: they are never moved, deleted
     * or revoked, and empty ones are never filled. */
    fz_word boot_end;
    /* Empty root slots for the engine: the working set, two CNode handles, a scratch slot
     * that stays empty (probes), and the slots for the untypeds carved at setup. */
    fz_word ws_base, ws_count;
    fz_word handle[2];
    fz_word scratch;
    unsigned n_untyped;
    struct {
        fz_word slot, parent; /* carved from the (boot) untyped in root slot parent */
        unsigned bits;
        bool device;
    } untyped[FUZZ_MAX_UNTYPEDS];
    /* seL4_Call of a cap (a root slot number) with a label, `length` MRs and `ncaps` extra
     * caps (root slot numbers); returns the reply label and the reply's MR0..MR3. */
    fz_word (*invoke)(fz_word service, fz_word label, fz_word length, unsigned ncaps, const fz_word *caps,
                      const fz_word *mr, fz_word *reply_mr);
    /* seL4_DebugCapIdentify of a root slot. */
    unsigned (*identify)(fz_word slot);
};

enum fuzz_kind {
    FZ_RETYPE, FZ_COPY, FZ_MINT, FZ_MOVE, FZ_MUTATE, FZ_ROTATE, FZ_DELETE, FZ_REVOKE, FZ_CANCEL, FZ_RAW,
    FZ_KINDS
};
#define FZ_RESULTS 12 /* seL4_Error 0..10, 11 = anything else */

struct fuzz_stats {
    unsigned long ops;                           /* random operations */
    unsigned long calls;                         /* every invoke/identify, probes included */
    unsigned long by_kind[FZ_KINDS][FZ_RESULTS]; /* results of the random operations */
    unsigned long bad_error;                     /* results outside 0..10 */
    unsigned long mismatches;                    /* results or details unlike the model's */
    /* Post-conditions checked after successful operations, and how many failed. */
    unsigned long dest_checked, dest_bad;       /* Copy/Mint/Move/Mutate/Rotate: destination holds the cap */
    unsigned long src_checked, src_bad;         /* Move/Mutate/Rotate: the source is empty */
    unsigned long deleted_checked, deleted_bad; /* Delete: the slot is empty */
    unsigned long revoked_checked, revoked_bad; /* Revoke: the cap stays in place */
    unsigned long retyped_checked, retyped_bad; /* Retype: the slots (not their neighbours) hold the type */
    unsigned long sweeps, swept, sweep_bad;     /* whole-model comparisons */
    unsigned long probes;                       /* non-root slots observed through Move probes */
    unsigned long handle_ops;                   /* CNode handles dropped or rebuilt */
    unsigned long cnodes_destroyed;             /* CNodes that died with their contents */
    unsigned long max_live_caps;                /* the most caps the model held at once */
    unsigned long untyped_resets;               /* retypes that reset their untyped */
    unsigned long fill_sum, fill_samples;       /* working set occupancy (percent), sampled */
};
extern struct fuzz_stats fuzz_stats;

/* Carve the untypeds and make the two CNodes; false (with a message) if that fails. */
bool fuzz_setup(const struct fuzz_env *env, uint64_t seed);
/* One random operation and its checks. False once the kernel and the model disagree (the
 * first few disagreements are printed); the model is then no longer trustworthy. */
bool fuzz_step(void);
/* Compare every root slot the engine uses and every slot of the small CNodes with the
 * model. */
bool fuzz_sweep(void);
/* Revoke the carved untypeds, delete what is left, and check that all is empty. */
bool fuzz_finish(void);
/* Operation mix and results, one line per kind. */
void fuzz_print_summary(void);
const char *fuzz_kind_name(enum fuzz_kind k);
