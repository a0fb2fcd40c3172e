/*
 * ASIDs (abi §5.9): the table of 8 ASID pools, ASIDControl_MakePool, ASIDPool_Assign, and
 * what deleting a PML4 or a pool does to them. An ASID names an address space: pool index
 * (3 bits) then index in the pool (9 bits). ASID 0 is never handed out, so a mapping or a
 * PML4 cap with ASID 0 is unmapped (cap.h).
 */
#include "arch.h"
#include "invocation.h"
#include "kstring.h"
#include "vspace.h"
#include "x86_internal.h"

static struct asid_pool *asid_table[NUM_ASID_POOLS];

/* Changes whenever an ASID starts or stops naming an address space and whenever a PML4 cap
 * is deleted (cap.c), so that what a thread's VSpace slot resolves to can be cached: thread.c
 * caches each thread's CR3 value, and forgets it when its VSpace slot is written. Starts at
 * 1: a zeroed cache is never current. */
word_t vspace_epoch = 1;

uint64_t *asid_find_vspace(word_t asid)
{
    struct asid_pool *pool = asid_table[(asid / ASIDS_PER_POOL) % NUM_ASID_POOLS];
    return pool ? pool->pml4[asid % ASIDS_PER_POOL] : NULL;
}

struct asid_pool *asid_pool_at(unsigned index) { return asid_table[index % NUM_ASID_POOLS]; }

void asid_boot_assign(struct asid_pool *pool, uint64_t *pml4, word_t asid)
{
    asid_table[asid / ASIDS_PER_POOL] = pool;
    pool->pml4[asid % ASIDS_PER_POOL] = pml4;
    vspace_epoch++;
}

#ifdef HOST_TEST
void asid_forget_all(void)
{
    memset(asid_table, 0, sizeof(asid_table));
    vspace_epoch++;
}
#endif

/* ---- deletion (cap.c) ---- */

void vspace_pml4_cap_deleted(void) { vspace_epoch++; }

/* The final cap of an assigned PML4 is gone: free its ASID. */
void vspace_release_asid(word_t asid, void *pml4)
{
    struct asid_pool *pool = asid_table[(asid / ASIDS_PER_POOL) % NUM_ASID_POOLS];
    if (pool && pool->pml4[asid % ASIDS_PER_POOL] == pml4)
        pool->pml4[asid % ASIDS_PER_POOL] = NULL;
    vspace_epoch++;
    vspace_leave(kptr_to_paddr(pml4));
}

/* The final cap of a pool is gone: its ASIDs stop naming address spaces. PML4 caps that hold
 * one still say so, but every use looks the ASID up (and finds nothing): threads in them run
 * in no address space and fault, Map refuses them with FailedLookup(InvalidRoot). */
void vspace_release_asid_pool(void *pool_ptr)
{
    struct asid_pool *pool = pool_ptr;
    for (unsigned i = 0; i < NUM_ASID_POOLS; i++) {
        if (asid_table[i] != pool)
            continue;
        for (unsigned j = 0; j < ASIDS_PER_POOL; j++)
            if (pool->pml4[j])
                vspace_leave(kptr_to_paddr(pool->pml4[j]));
        asid_table[i] = NULL;
    }
    vspace_epoch++;
}

/* ---- invocations ---- */

static exception_t decode_asid_control(struct invocation *inv)
{
    if (inv->label != X86ASIDControlMakePool) {
        user_error("ASIDControl: illegal operation (label %lu): the only one is MakePool.", inv->label);
        return seL4_IllegalOperation;
    }
    cte_t *untyped = inv_extra_cap(inv, 0), *root = inv_extra_cap(inv, 1);
    if (inv->length < 2 || !untyped || !root) {
        user_error("ASIDControl_MakePool: truncated message (needs 2 words and 2 caps).");
        return seL4_TruncatedMessage;
    }
    unsigned index = 0;
    while (index < NUM_ASID_POOLS && asid_table[index])
        index++;
    if (index == NUM_ASID_POOLS) {
        user_error("ASIDControl_MakePool: all %u ASID pools exist; delete one first.", (unsigned)NUM_ASID_POOLS);
        return seL4_DeleteFirst;
    }
    cap_t u = untyped->cap;
    if (cap_get_type(u) != cap_untyped || cap_untyped_size_bits(u) != seL4_ASIDPoolBits || cap_untyped_is_device(u)) {
        if (cap_get_type(u) != cap_untyped)
            user_error("ASIDControl_MakePool: the first cap must be an untyped (it is %s).", cap_type_name(cap_get_type(u)));
        else
            user_error("ASIDControl_MakePool: the untyped must be RAM of exactly %u bits (it is %s of %u bits).",
                       seL4_ASIDPoolBits, cap_untyped_is_device(u) ? "device memory" : "RAM", cap_untyped_size_bits(u));
        return err_invalid_capability(inv, 1);
    }
    if (cte_has_children(untyped)) {
        user_error("ASIDControl_MakePool: the untyped has children (objects made from it); revoke it first.");
        return seL4_RevokeFirst;
    }
    cte_t *dest;
    exception_t e = lookup_target_slot(inv, false, root->cap, inv_mr(inv, 0), inv_mr(inv, 1), &dest);
    if (e == EXCEPTION_NONE)
        e = ensure_empty_slot(inv, dest);
    if (e != EXCEPTION_NONE)
        return e;

    /* The untyped's page becomes the pool: the untyped is full while the pool exists. */
    paddr_t p = cap_untyped_paddr(u);
    untyped->cap = cap_untyped_new(p, seL4_ASIDPoolBits, false, BIT(seL4_ASIDPoolBits));
    struct asid_pool *pool = paddr_to_kptr(p);
    memset(pool, 0, sizeof(*pool));
    cte_insert(untyped, dest, cap_asid_pool_new(pool, index), false, false);
    asid_table[index] = pool;
    vspace_epoch++;
    return EXCEPTION_NONE;
}

static exception_t decode_asid_pool(struct invocation *inv)
{
    if (inv->label != X86ASIDPoolAssign) {
        user_error("ASIDPool: illegal operation (label %lu): the only one is Assign.", inv->label);
        return seL4_IllegalOperation;
    }
    cte_t *vspace = inv_extra_cap(inv, 0);
    if (!vspace) {
        user_error("ASIDPool_Assign: truncated message (needs the PML4 cap).");
        return seL4_TruncatedMessage;
    }
    cap_t v = vspace->cap;
    if (cap_get_type(v) != cap_pml4 || cap_mapped_asid(v)) {
        user_error("ASIDPool_Assign: the cap must be a PML4 without an ASID (it is %s%s).",
                   cap_type_name(cap_get_type(v)), cap_get_type(v) == cap_pml4 ? ", already assigned" : "");
        return err_invalid_capability(inv, 1);
    }
    unsigned index = cap_asid_pool_index(inv->cap);
    struct asid_pool *pool = asid_table[index];
    if (!pool) {
        user_error("ASIDPool_Assign: pool %u does not exist any more.", index);
        struct lookup_fault lf = { .type = seL4_InvalidRoot };
        return err_failed_lookup(inv, false, &lf);
    }
    if (pool != cap_ptr(inv->cap)) {
        user_error("ASIDPool_Assign: the pool cap does not name the pool registered at index %u.", index);
        return err_invalid_capability(inv, 0);
    }
    word_t base = (word_t)index * ASIDS_PER_POOL, i = 0;
    while (i < ASIDS_PER_POOL && (base + i == 0 || pool->pml4[i]))
        i++;
    if (i == ASIDS_PER_POOL) {
        user_error("ASIDPool_Assign: all ASIDs of pool %u are in use.", index);
        return seL4_DeleteFirst;
    }

    vspace->cap = cap_set_mapping(v, base + i, 0);
    pool->pml4[i] = cap_ptr(v);
    vspace_epoch++;
    return EXCEPTION_NONE;
}

exception_t decode_asid_invocation(struct invocation *inv)
{
    return cap_get_type(inv->cap) == cap_asid_control ? decode_asid_control(inv) : decode_asid_pool(inv);
}
