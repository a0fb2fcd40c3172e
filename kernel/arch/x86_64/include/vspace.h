/*
 * x86_64 user address spaces, inside arch/x86_64 only: the ASID table (asid.c), walking and
 * editing a PML4's four levels of tables (vspace.c), and the TLB hooks (paging.c). The
 * invocations that use them are in mapping.c (frames, tables) and asid.c.
 *
 * Levels are numbered by the table an entry lives in: 0 = PML4, 1 = PDPT, 2 = page
 * directory, 3 = page table. An entry at level l covers 2^(39 - 9l) bytes of address space:
 * 512 GiB, 1 GiB, 2 MiB, 4 KiB.
 */
#pragma once
#include "types.h"
#include "cap.h"
#include "paging.h"
#include "abi.h"
#include "invocation.h"

#define LEVEL_PML4 0u
#define LEVEL_PDPT 1u
#define LEVEL_PD 2u
#define LEVEL_PT 3u
static inline unsigned level_shift(unsigned level) { return 39 - 9 * level; }
static inline unsigned level_index(vaddr_t v, unsigned level) { return (v >> level_shift(level)) & 511; }

/* ---- ASIDs (asid.c): 8 pools of 512; a pool is a 4 KiB object of PML4 pointers ---- */
#define NUM_ASID_POOLS BIT(seL4_NumASIDPoolsBits)
#define ASIDS_PER_POOL BIT(seL4_ASIDPoolIndexBits)
struct asid_pool {
    uint64_t *pml4[ASIDS_PER_POOL];
};
_Static_assert(sizeof(struct asid_pool) == BIT(seL4_ASIDPoolBits), "an ASID pool is one page");

/* The PML4 an ASID is assigned to; NULL if its pool is gone or the ASID is free. */
uint64_t *asid_find_vspace(word_t asid);
extern word_t vspace_epoch; /* changes whenever a thread's VSpace may resolve differently */
void vspace_pml4_cap_deleted(void); /* any PML4 cap, final or not */
/* The pool registered at an index (0..7), or NULL. */
struct asid_pool *asid_pool_at(unsigned index);
/* Boot: register the initial pool as pool 0 and assign an ASID in it. */
void asid_boot_assign(struct asid_pool *pool, uint64_t *pml4, word_t asid);
#ifdef HOST_TEST
void asid_forget_all(void); /* host tests start each world with an empty ASID table */
#endif

/* ---- page tables (vspace.c) ---- */

/* The entry at `level` on the way from pml4 to v. NULL if a table on the way is missing (a
 * large page in its place counts as missing); then *bits_left is what seL4 reports for the
 * first missing table: 39 for a PDPT, 30 for a page directory, 21 for a page table. */
uint64_t *vspace_lookup_entry(uint64_t *pml4, vaddr_t v, unsigned level, word_t *bits_left);
/* Entries the invocations make (abi §12.3): tables are present, writable and user, with the
 * attributes' PWT/PCD only; frames get the rights (0 kernel-only, VM_READ, VM_READ|VM_WRITE)
 * and all three attribute bits, never XD. */
uint64_t vspace_table_entry(paddr_t table, word_t attr);
uint64_t vspace_frame_entry(paddr_t frame, unsigned size_bits, unsigned vm_rights, word_t attr);
/* Store an entry of pml4's tables that covers v; a translation the old entry made is
 * flushed if that address space is loaded. */
void vspace_write_entry(uint64_t *pml4, uint64_t *entry, uint64_t value, vaddr_t v);

/* ---- the TLB (paging.c; no PCIDs, so only the loaded address space can hold stale
 * translations: any other is flushed when CR3 is next written) ---- */
void tlb_flush_page(paddr_t pml4, vaddr_t v);
void tlb_flush_vspace(paddr_t pml4);
/* The address space is going away: if it is loaded, load the kernel's own instead. */
void vspace_leave(paddr_t pml4);

/* ---- invocations (mapping.c, asid.c; dispatched by invocation.c) ---- */
bool mmu_cap_type_invocable(enum cap_type t); /* frames, tables, PML4, ASID control/pools */
exception_t decode_mmu_invocation(struct invocation *inv);
exception_t decode_asid_invocation(struct invocation *inv);
