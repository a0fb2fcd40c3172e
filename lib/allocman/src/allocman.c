/*
 * allocman: slots of a single-level CSpace and buddy-split untyped memory.
 *
 * Slots: a bitmap over the managed range [slot_start, slot_end) of the root CNode.
 *
 * Memory: every untyped handed to the allocman is the root of a binary tree of blocks. A block
 * is an untyped cap of 2^n bytes in a slot of our own and is in one of three states:
 *   FREE   on the free list for its size (and device flag); it has no children in the kernel,
 *          so a Retype from it starts at its offset 0;
 *   SPLIT  retyped into two untypeds of 2^(n-1) bytes (its "kids", the low and high halves);
 *   USED   an object was retyped from it; the block is the allocation's cookie.
 * An object of 2^n bytes comes from the smallest free block of at least 2^n bytes, split in
 * halves down to 2^n. Freeing a block merges it with its buddy while that one is free too
 * (both kid caps deleted, their slots and records released), so after everything is freed the
 * allocman and the kernel are exactly as at the start.
 *
 * Bookkeeping: the allocman's state, the slot bitmap and the block records come from the
 * caller's static pool, then from frames the allocman maps for itself into the virtual pool.
 * Before each allocation it makes sure it holds enough spare records for the worst case of
 * the operation plus one growth step, so it never runs out half way through.
 */
#include <autoconf.h>
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include <utils/util.h>
#include <vka/object.h>
#include <simple/simple_helpers.h>
#include <allocman/allocman.h>
#include <allocman/bootstrap.h>
#include <allocman/vka.h>

#define PAGE_BYTES BIT(seL4_PageBits)
#define NODE_MAGIC 0xb10c5a1du

enum { NODE_FREE = 1, NODE_SPLIT, NODE_USED };

struct ut_node {
    uint32_t magic;    /* NODE_MAGIC while the record describes a block */
    uint8_t size_bits; /* the block is 2^size_bits bytes */
    uint8_t state;     /* NODE_FREE, NODE_SPLIT or NODE_USED */
    uint8_t device;    /* from a device untyped */
    uint8_t is_root;   /* an untyped we were given (never deleted) */
    seL4_CPtr cap;     /* untyped cap of the block, in the allocman's CNode */
    uintptr_t paddr;
    struct ut_node *parent;
    union {
        struct {
            struct ut_node *next, *prev;
        } link; /* FREE: free list; spare records: next only */
        struct {
            struct ut_node *lo, *hi;
        } kids; /* SPLIT */
    };
};

struct root_ref {
    struct ut_node *node;
    struct root_ref *next;
};

struct allocman {
    /* CSpace */
    seL4_CPtr cnode;
    seL4_Word slot_start, slot_end; /* managed slots [slot_start, slot_end) */
    uint64_t *slot_map;             /* bit set = slot allocated */
    size_t slot_words, slot_hint, free_slots;

    /* Untyped memory */
    struct root_ref *roots;
    struct ut_node *free_list[2][seL4_WordBits]; /* [device][size_bits] */
    size_t free_ram_bytes;
    unsigned max_ram_bits, max_bits; /* largest RAM untyped, largest of all */

    /* Bookkeeping memory: a bump region, plus spare block records */
    uintptr_t pool_start, pool_end; /* the static pool */
    uintptr_t bump, bump_end;
    struct ut_node *spare;
    size_t num_spare;
    bool have_vpool, growing;
    uintptr_t vpool_start, vpool_mapped, vpool_end;
    seL4_CPtr vpool_pd;
};

/* ---------------------------------------------------------------- slots */

static void slot_mark(allocman_t *a, seL4_Word slot, bool used)
{
    seL4_Word i = slot - a->slot_start;
    if (used) {
        a->slot_map[i / 64] |= 1ull << (i % 64);
        a->free_slots--;
    } else {
        a->slot_map[i / 64] &= ~(1ull << (i % 64));
        a->free_slots++;
    }
}

static bool slot_is_used(allocman_t *a, seL4_Word slot)
{
    seL4_Word i = slot - a->slot_start;
    return (a->slot_map[i / 64] >> (i % 64)) & 1;
}

/* A free slot, or 0 (never a managed slot: slot 0 is seL4_CapNull). */
static seL4_CPtr slot_alloc(allocman_t *a)
{
    if (a->free_slots == 0) {
        return 0;
    }
    for (size_t n = 0; n < a->slot_words; n++) {
        size_t w = (a->slot_hint + n) % a->slot_words;
        uint64_t bits = a->slot_map[w];
        if (bits == ~0ull) {
            continue;
        }
        seL4_Word slot = a->slot_start + w * 64 + __builtin_ctzll(~bits);
        if (slot >= a->slot_end) {
            continue; /* the padding bits of the last word */
        }
        a->slot_hint = w;
        slot_mark(a, slot, true);
        return slot;
    }
    return 0;
}

static void slot_free(allocman_t *a, seL4_CPtr slot)
{
    slot_mark(a, slot, false);
}

static cspacepath_t make_path(allocman_t *a, seL4_CPtr slot)
{
    /* The root CNode resolves a cptr with all seL4_WordBits bits; a Retype into it names the
     * CNode itself (depth 0) and the slot as the offset. */
    return (cspacepath_t){
        .capPtr = slot,
        .capDepth = seL4_WordBits,
        .root = a->cnode,
        .dest = 0,
        .destDepth = 0,
        .offset = slot,
        .window = 1,
    };
}

/* Empty a slot of our own (errors are logged: they mean a broken invariant). */
static void slot_delete(allocman_t *a, seL4_CPtr slot)
{
    seL4_Error err = seL4_CNode_Delete(a->cnode, slot, seL4_WordBits);
    if (err != seL4_NoError) {
        ZF_LOGE("deleting our cap in slot %lu failed: error %d", (unsigned long)slot, (int)err);
    }
}

/* ---------------------------------------------------------------- bookkeeping memory */

static void *bump_alloc(allocman_t *a, size_t bytes)
{
    uintptr_t p = ROUND_UP(a->bump, (uintptr_t)16);
    if (p > a->bump_end || a->bump_end - p < bytes) {
        return NULL;
    }
    a->bump = p + bytes;
    return (void *)p;
}

static bool grow_bookkeeping(allocman_t *a, bool loud);

/* Make sure at least want spare records exist, growing into the virtual pool if needed
 * (loud: log why that was impossible). */
static bool reserve_nodes(allocman_t *a, size_t want, bool loud)
{
    while (a->num_spare < want) {
        struct ut_node *n = bump_alloc(a, sizeof(*n));
        if (n == NULL) {
            if (a->growing || !grow_bookkeeping(a, loud)) {
                return false;
            }
            continue;
        }
        n->magic = 0;
        n->link.next = a->spare;
        a->spare = n;
        a->num_spare++;
    }
    return true;
}

static struct ut_node *take_node(allocman_t *a)
{
    struct ut_node *n = a->spare;
    if (n != NULL) {
        a->spare = n->link.next;
        a->num_spare--;
        memset(n, 0, sizeof(*n));
    }
    return n;
}

static void release_node(allocman_t *a, struct ut_node *n)
{
    n->magic = 0;
    n->state = 0;
    n->link.next = a->spare;
    a->spare = n;
    a->num_spare++;
}

/* Records needed by a worst-case growth step: a frame split off the largest RAM block, plus
 * a few paging structures (which find free buddies left by that split). */
static size_t growth_reserve(allocman_t *a)
{
    size_t levels = a->max_ram_bits > seL4_PageBits ? a->max_ram_bits - seL4_PageBits : 0;
    return 2 * levels + 8;
}

/* ---------------------------------------------------------------- block tree */

static void list_push(allocman_t *a, struct ut_node *n)
{
    struct ut_node **head = &a->free_list[n->device][n->size_bits];
    n->state = NODE_FREE;
    n->link.prev = NULL;
    n->link.next = *head;
    if (*head != NULL) {
        (*head)->link.prev = n;
    }
    *head = n;
    if (!n->device) {
        a->free_ram_bytes += BIT(n->size_bits);
    }
}

static void list_remove(allocman_t *a, struct ut_node *n)
{
    struct ut_node **head = &a->free_list[n->device][n->size_bits];
    if (n->link.prev != NULL) {
        n->link.prev->link.next = n->link.next;
    } else {
        *head = n->link.next;
    }
    if (n->link.next != NULL) {
        n->link.next->link.prev = n->link.prev;
    }
    n->link.next = n->link.prev = NULL;
    n->state = 0;
    if (!n->device) {
        a->free_ram_bytes -= BIT(n->size_bits);
    }
}

/* Split the free block n into two free halves. The caller checked that two spare records and
 * two free slots exist. 0 or the seL4_Error of the Retype. */
static int split(allocman_t *a, struct ut_node *n)
{
    unsigned half = n->size_bits - 1;
    seL4_CPtr lo_slot = slot_alloc(a);
    seL4_CPtr hi_slot = slot_alloc(a);
    /* n has no children, so the first Retype starts at its offset 0 and the second follows. */
    seL4_Error err = seL4_Untyped_Retype(n->cap, seL4_UntypedObject, half, a->cnode, 0, 0,
                                         lo_slot, 1);
    if (err == seL4_NoError) {
        err = seL4_Untyped_Retype(n->cap, seL4_UntypedObject, half, a->cnode, 0, 0, hi_slot, 1);
        if (err != seL4_NoError) {
            slot_delete(a, lo_slot);
        }
    }
    if (err != seL4_NoError) {
        ZF_LOGE("splitting untyped %lu (2^%u bytes at %p) failed: error %d",
                (unsigned long)n->cap, n->size_bits, (void *)n->paddr, (int)err);
        slot_free(a, lo_slot);
        slot_free(a, hi_slot);
        return err;
    }
    struct ut_node *kid[2] = { take_node(a), take_node(a) };
    for (int i = 0; i < 2; i++) {
        kid[i]->magic = NODE_MAGIC;
        kid[i]->size_bits = half;
        kid[i]->device = n->device;
        kid[i]->cap = i == 0 ? lo_slot : hi_slot;
        kid[i]->paddr = n->paddr + (i == 0 ? 0 : BIT(half));
        kid[i]->parent = n;
    }
    list_remove(a, n);
    n->state = NODE_SPLIT;
    n->kids.lo = kid[0];
    n->kids.hi = kid[1];
    list_push(a, kid[1]);
    list_push(a, kid[0]);
    return 0;
}

/* n just became free (it is on no list): merge it with its buddy while that is free too, then
 * put the result on its free list. */
static void merge_up(allocman_t *a, struct ut_node *n)
{
    while (n->parent != NULL) {
        struct ut_node *p = n->parent;
        struct ut_node *buddy = p->kids.lo == n ? p->kids.hi : p->kids.lo;
        if (buddy->state != NODE_FREE) {
            break;
        }
        list_remove(a, buddy);
        slot_delete(a, n->cap);
        slot_delete(a, buddy->cap);
        slot_free(a, n->cap);
        slot_free(a, buddy->cap);
        release_node(a, n);
        release_node(a, buddy);
        p->kids.lo = p->kids.hi = NULL;
        n = p;
    }
    list_push(a, n);
}

/* Is the object (type, 2^mem_bits bytes) allowed and consistent? Sets *retype_arg to the size
 * argument of Untyped_Retype. Logs and returns false otherwise. */
static bool object_size_ok(seL4_Word type, size_t mem_bits, seL4_Word *retype_arg)
{
    size_t fixed = 0;
    *retype_arg = 0;
    switch (type) {
    case seL4_UntypedObject:
        if (mem_bits < seL4_MinUntypedBits || mem_bits > seL4_MaxUntypedBits) {
            ZF_LOGE("untyped size_bits %zu outside [%d, %d]", mem_bits, seL4_MinUntypedBits,
                    seL4_MaxUntypedBits);
            return false;
        }
        *retype_arg = mem_bits;
        return true;
    case seL4_SchedContextObject:
        if (mem_bits < seL4_MinSchedContextBits || mem_bits > seL4_MaxUntypedBits) {
            ZF_LOGE("sched context size_bits %zu outside [%d, %d]", mem_bits,
                    seL4_MinSchedContextBits, seL4_MaxUntypedBits);
            return false;
        }
        *retype_arg = mem_bits;
        return true;
    case seL4_CapTableObject:
        if (mem_bits < seL4_SlotBits + 1 || mem_bits > seL4_MaxUntypedBits) {
            ZF_LOGE("CNode memory size_bits %zu outside [%d, %d]", mem_bits, seL4_SlotBits + 1,
                    seL4_MaxUntypedBits);
            return false;
        }
        *retype_arg = mem_bits - seL4_SlotBits;
        return true;
    case seL4_TCBObject: fixed = seL4_TCBBits; break;
    case seL4_EndpointObject: fixed = seL4_EndpointBits; break;
    case seL4_NotificationObject: fixed = seL4_NotificationBits; break;
    case seL4_ReplyObject: fixed = seL4_ReplyBits; break;
    case seL4_X86_4K: fixed = seL4_PageBits; break;
    case seL4_X86_LargePageObject: fixed = seL4_LargePageBits; break;
    case seL4_X64_HugePageObject: fixed = seL4_HugePageBits; break;
    case seL4_X86_PageTableObject: fixed = seL4_PageTableBits; break;
    case seL4_X86_PageDirectoryObject: fixed = seL4_PageDirBits; break;
    case seL4_X86_PDPTObject: fixed = seL4_PDPTBits; break;
    case seL4_X64_PML4Object: fixed = seL4_PML4Bits; break;
    default:
        ZF_LOGE("unknown object type %lu", (unsigned long)type);
        return false;
    }
    if (mem_bits != fixed) {
        ZF_LOGE("object type %lu is 2^%zu bytes, not 2^%zu", (unsigned long)type, fixed, mem_bits);
        return false;
    }
    return true;
}

static bool device_ok(seL4_Word type)
{
    return type == seL4_UntypedObject || type == seL4_X86_4K || type == seL4_X86_LargePageObject ||
           type == seL4_X64_HugePageObject;
}

/* The smallest free block of at least 2^bits bytes (RAM, or device memory if dev). */
static struct ut_node *smallest_free(allocman_t *a, int dev, size_t bits)
{
    for (size_t s = bits; s < seL4_WordBits; s++) {
        if (a->free_list[dev][s] != NULL) {
            return a->free_list[dev][s];
        }
    }
    return NULL;
}

/* Resources for splitting a 2^from block down to 2^to: two records and two slots a level. */
static bool have_split_resources(allocman_t *a, size_t from, size_t to)
{
    size_t need = 2 * (from - to);
    if (a->num_spare < need) {
        ZF_LOGE("out of bookkeeping memory: %zu block records needed, %zu left (static pool "
                "used up; %s)", need, a->num_spare,
                a->have_vpool ? "virtual pool full or no memory to map it"
                              : "no virtual pool configured");
        return false;
    }
    if (a->free_slots < need) {
        ZF_LOGE("out of slots: %zu needed to split untyped memory, %zu left", need,
                a->free_slots);
        return false;
    }
    return true;
}

/* The core of every allocation. paddr is ALLOCMAN_NO_PADDR or the wanted physical address. */
static struct ut_node *ut_alloc(allocman_t *a, size_t bits, seL4_Word type, seL4_Word retype_arg,
                                const cspacepath_t *dest, uintptr_t paddr, bool can_use_dev,
                                int *error)
{
    struct ut_node *n = NULL;
    *error = -1;

    /* Best effort: enough records for this operation and a later growth step. */
    if (!a->growing) {
        unsigned top = (paddr != ALLOCMAN_NO_PADDR || can_use_dev) ? a->max_bits : a->max_ram_bits;
        reserve_nodes(a, (top > bits ? 2 * (top - bits) : 0) + growth_reserve(a), false);
    }

    if (paddr == ALLOCMAN_NO_PADDR) {
        n = smallest_free(a, 0, bits);
        if (n == NULL && can_use_dev && device_ok(type)) {
            n = smallest_free(a, 1, bits);
        }
        if (n == NULL) {
            ZF_LOGE("out of untyped memory: no free block of 2^%zu bytes%s", bits,
                    can_use_dev ? " (RAM or device)" : "");
            return NULL;
        }
        if (!have_split_resources(a, n->size_bits, bits)) {
            return NULL;
        }
        while (n->size_bits > bits) {
            int err = split(a, n);
            if (err != 0) {
                *error = err;
                return NULL;
            }
            n = n->kids.lo;
        }
    } else {
        if (paddr & (BIT(bits) - 1)) {
            ZF_LOGE("paddr %p is not aligned to the object size 2^%zu", (void *)paddr, bits);
            return NULL;
        }
        struct root_ref *r = a->roots;
        for (; r != NULL; r = r->next) {
            struct ut_node *root = r->node;
            if (paddr >= root->paddr && paddr - root->paddr < BIT(root->size_bits) &&
                root->size_bits >= bits) {
                break;
            }
        }
        if (r == NULL) {
            ZF_LOGE("no untyped of the allocator covers paddr %p (2^%zu bytes)", (void *)paddr,
                    bits);
            return NULL;
        }
        n = r->node;
        while (n->state == NODE_SPLIT && n->size_bits > bits) {
            n = paddr < n->kids.hi->paddr ? n->kids.lo : n->kids.hi;
        }
        if (n->state != NODE_FREE) {
            ZF_LOGE("memory at paddr %p (2^%zu bytes) is already in use", (void *)paddr, bits);
            return NULL;
        }
        if (n->device && !device_ok(type)) {
            ZF_LOGE("paddr %p is device memory: only frames and untypeds can be made there, not "
                    "type %lu", (void *)paddr, (unsigned long)type);
            return NULL;
        }
        if (!have_split_resources(a, n->size_bits, bits)) {
            return NULL;
        }
        while (n->size_bits > bits) {
            int err = split(a, n);
            if (err != 0) {
                *error = err;
                return NULL;
            }
            n = paddr < n->kids.hi->paddr ? n->kids.lo : n->kids.hi;
        }
    }

    /* n is a free block of exactly 2^bits bytes. */
    list_remove(a, n);
    seL4_Error err = seL4_Untyped_Retype(n->cap, type, retype_arg, dest->root, dest->dest,
                                         dest->destDepth, dest->offset, 1);
    if (err != seL4_NoError) {
        ZF_LOGE("Retype of type %lu (2^%zu bytes) into slot %lu failed: error %d",
                (unsigned long)type, bits, (unsigned long)dest->offset, (int)err);
        merge_up(a, n);
        *error = err;
        return NULL;
    }
    n->state = NODE_USED;
    *error = 0;
    return n;
}

/* The block behind a cookie, or NULL (logged) if it is not a live allocation. */
static struct ut_node *cookie_node(allocman_t *a, seL4_Word cookie)
{
    uintptr_t p = cookie, size = sizeof(struct ut_node);
    bool inside = (p >= a->pool_start && p <= a->pool_end - size) ||
                  (a->have_vpool && p >= a->vpool_start && p + size <= a->vpool_mapped);
    if (!inside || (p & 7) != 0 || ((struct ut_node *)p)->magic != NODE_MAGIC ||
        ((struct ut_node *)p)->state != NODE_USED) {
        ZF_LOGE("invalid allocation cookie 0x%lx (not a live allocation of this allocman)",
                (unsigned long)cookie);
        return NULL;
    }
    return (struct ut_node *)p;
}

static void ut_free(allocman_t *a, struct ut_node *n)
{
    /* Whatever the caller left behind (derived caps, copies) goes now. */
    seL4_Error err = seL4_CNode_Revoke(a->cnode, n->cap, seL4_WordBits);
    if (err != seL4_NoError) {
        ZF_LOGE("revoking untyped %lu failed: error %d", (unsigned long)n->cap, (int)err);
    }
    n->state = 0;
    merge_up(a, n);
}

/* Map one more page of the virtual pool and make it the bump region. */
static bool grow_bookkeeping(allocman_t *a, bool loud)
{
    if (!a->have_vpool || a->vpool_end - a->vpool_mapped < PAGE_BYTES) {
        if (loud) {
            ZF_LOGE("out of bookkeeping memory: static pool used up and %s",
                    a->have_vpool ? "virtual pool full" : "no virtual pool configured");
        }
        return false;
    }
    a->growing = true;
    uintptr_t vaddr = a->vpool_mapped;
    int error;
    seL4_CPtr frame = slot_alloc(a);
    struct ut_node *fnode = NULL;
    if (frame != 0) {
        cspacepath_t path = make_path(a, frame);
        fnode = ut_alloc(a, seL4_PageBits, seL4_X86_4K, 0, &path, ALLOCMAN_NO_PADDR, false,
                         &error);
    }
    if (fnode == NULL) {
        ZF_LOGE("no frame for bookkeeping memory");
        if (frame != 0) {
            slot_free(a, frame);
        }
        a->growing = false;
        return false;
    }
    seL4_Error err;
    for (int tries = 0;; tries++) {
        err = seL4_X86_Page_Map(frame, a->vpool_pd, vaddr, seL4_AllRights,
                                seL4_X86_Default_VMAttributes);
        if (err != seL4_FailedLookup || tries == 3) {
            break;
        }
        /* A paging structure is missing: make it and map it, then retry. */
        seL4_Word level = seL4_MappingFailedLookupLevel();
        seL4_Word type = level == SEL4_MAPPING_LOOKUP_NO_PT     ? seL4_X86_PageTableObject
                         : level == SEL4_MAPPING_LOOKUP_NO_PD   ? seL4_X86_PageDirectoryObject
                         : level == SEL4_MAPPING_LOOKUP_NO_PDPT ? seL4_X86_PDPTObject
                                                                : 0;
        seL4_CPtr pt = type != 0 ? slot_alloc(a) : 0;
        struct ut_node *ptnode = NULL;
        if (pt != 0) {
            cspacepath_t path = make_path(a, pt);
            ptnode = ut_alloc(a, seL4_PageBits, type, 0, &path, ALLOCMAN_NO_PADDR, false, &error);
        }
        if (ptnode == NULL) {
            if (pt != 0) {
                slot_free(a, pt);
            }
            break;
        }
        seL4_Error perr =
            type == seL4_X86_PageTableObject
                ? seL4_X86_PageTable_Map(pt, a->vpool_pd, vaddr, seL4_X86_Default_VMAttributes)
            : type == seL4_X86_PageDirectoryObject
                ? seL4_X86_PageDirectory_Map(pt, a->vpool_pd, vaddr, seL4_X86_Default_VMAttributes)
                : seL4_X86_PDPT_Map(pt, a->vpool_pd, vaddr, seL4_X86_Default_VMAttributes);
        if (perr != seL4_NoError) {
            ZF_LOGE("mapping a paging structure at %p failed: error %d", (void *)vaddr, (int)perr);
            slot_delete(a, pt);
            slot_free(a, pt);
            ut_free(a, ptnode);
            break;
        }
        /* The paging structure stays for good (it may serve later pages too). */
    }
    if (err != seL4_NoError) {
        ZF_LOGE("mapping bookkeeping frame at %p failed: error %d", (void *)vaddr, (int)err);
        slot_delete(a, frame);
        slot_free(a, frame);
        ut_free(a, fnode);
        a->growing = false;
        return false;
    }
    a->vpool_mapped += PAGE_BYTES;
    a->bump = vaddr;
    a->bump_end = vaddr + PAGE_BYTES;
    a->growing = false;
    return true;
}

/* ---------------------------------------------------------------- public: allocman_* */

int allocman_cspace_alloc(allocman_t *alloc, cspacepath_t *slot)
{
    if (alloc == NULL || slot == NULL) {
        ZF_LOGE("%s is NULL", alloc == NULL ? "alloc" : "slot");
        return -1;
    }
    seL4_CPtr s = slot_alloc(alloc);
    if (s == 0) {
        ZF_LOGE("out of slots: all %lu slots [%lu, %lu) are allocated",
                (unsigned long)(alloc->slot_end - alloc->slot_start),
                (unsigned long)alloc->slot_start, (unsigned long)alloc->slot_end);
        return -1;
    }
    *slot = make_path(alloc, s);
    return 0;
}

static void cspace_free_slot(allocman_t *a, seL4_CPtr s)
{
    if (s < a->slot_start || s >= a->slot_end) {
        ZF_LOGE("slot %lu was not allocated by this allocman (its slots are [%lu, %lu))",
                (unsigned long)s, (unsigned long)a->slot_start, (unsigned long)a->slot_end);
        return;
    }
    if (!slot_is_used(a, s)) {
        ZF_LOGE("slot %lu is already free", (unsigned long)s);
        return;
    }
    slot_free(a, s);
}

void allocman_cspace_free(allocman_t *alloc, const cspacepath_t *slot)
{
    if (alloc == NULL || slot == NULL) {
        ZF_LOGE("%s is NULL", alloc == NULL ? "alloc" : "slot");
        return;
    }
    cspace_free_slot(alloc, slot->capPtr);
}

cspacepath_t allocman_cspace_make_path(allocman_t *alloc, seL4_CPtr slot)
{
    if (alloc == NULL) {
        ZF_LOGE("alloc is NULL");
        return (cspacepath_t){0};
    }
    return make_path(alloc, slot);
}

seL4_Word allocman_utspace_alloc_at(allocman_t *alloc, size_t size_bits, seL4_Word type,
                                    const cspacepath_t *path, uintptr_t paddr, bool canBeDev,
                                    int *_error)
{
    int dummy;
    int *error = _error != NULL ? _error : &dummy;
    seL4_Word retype_arg;
    *error = -1;
    if (alloc == NULL || path == NULL) {
        ZF_LOGE("%s is NULL", alloc == NULL ? "alloc" : "path");
        return 0;
    }
    if (!object_size_ok(type, size_bits, &retype_arg)) {
        return 0;
    }
    struct ut_node *n = ut_alloc(alloc, size_bits, type, retype_arg, path, paddr, canBeDev, error);
    return (seL4_Word)n;
}

void allocman_utspace_free(allocman_t *alloc, seL4_Word cookie, size_t size_bits)
{
    if (alloc == NULL) {
        ZF_LOGE("alloc is NULL");
        return;
    }
    struct ut_node *n = cookie_node(alloc, cookie);
    if (n == NULL) {
        return;
    }
    if (n->size_bits != size_bits) {
        ZF_LOGE("allocation 0x%lx is 2^%u bytes, not 2^%zu: not freed", (unsigned long)cookie,
                n->size_bits, size_bits);
        return;
    }
    ut_free(alloc, n);
}

uintptr_t allocman_utspace_paddr(allocman_t *alloc, seL4_Word cookie, size_t size_bits)
{
    (void)size_bits;
    if (alloc == NULL) {
        ZF_LOGE("alloc is NULL");
        return ALLOCMAN_NO_PADDR;
    }
    struct ut_node *n = cookie_node(alloc, cookie);
    return n != NULL ? n->paddr : ALLOCMAN_NO_PADDR;
}

static int add_root(allocman_t *a, seL4_CPtr cap, size_t bits, uintptr_t paddr, bool device)
{
    if (bits < seL4_MinUntypedBits || bits > seL4_MaxUntypedBits ||
        (paddr & (BIT(bits) - 1)) != 0) {
        ZF_LOGE("untyped %lu: bad size 2^%zu or misaligned paddr %p", (unsigned long)cap, bits,
                (void *)paddr);
        return -1;
    }
    struct root_ref *ref = bump_alloc(a, sizeof(*ref));
    if (ref == NULL && grow_bookkeeping(a, true)) {
        ref = bump_alloc(a, sizeof(*ref));
    }
    if (ref == NULL || !reserve_nodes(a, 1, true)) {
        ZF_LOGE("out of bookkeeping memory while adding untyped %lu", (unsigned long)cap);
        return -1;
    }
    struct ut_node *n = take_node(a);
    n->magic = NODE_MAGIC;
    n->size_bits = bits;
    n->device = device;
    n->is_root = 1;
    n->cap = cap;
    n->paddr = paddr;
    ref->node = n;
    ref->next = a->roots;
    a->roots = ref;
    list_push(a, n);
    if (!device && bits > a->max_ram_bits) {
        a->max_ram_bits = bits;
    }
    if (bits > a->max_bits) {
        a->max_bits = bits;
    }
    return 0;
}

int allocman_utspace_add_uts(allocman_t *alloc, size_t num, const cspacepath_t *uts,
                             size_t *size_bits, uintptr_t *paddr, int utType)
{
    if (alloc == NULL || (num > 0 && (uts == NULL || size_bits == NULL || paddr == NULL))) {
        ZF_LOGE("NULL argument");
        return -1;
    }
    if (utType != ALLOCMAN_UT_KERNEL && utType != ALLOCMAN_UT_DEV &&
        utType != ALLOCMAN_UT_DEV_MEM) {
        ZF_LOGE("unknown untyped kind %d", utType);
        return -1;
    }
    for (size_t i = 0; i < num; i++) {
        if (add_root(alloc, uts[i].capPtr, size_bits[i], paddr[i], utType != ALLOCMAN_UT_KERNEL)) {
            return -1;
        }
    }
    return 0;
}

int allocman_stats(allocman_t *alloc, size_t *free_slots, size_t *free_bytes)
{
    if (alloc == NULL) {
        ZF_LOGE("alloc is NULL");
        return -1;
    }
    if (free_slots != NULL) {
        *free_slots = alloc->free_slots;
    }
    if (free_bytes != NULL) {
        *free_bytes = alloc->free_ram_bytes;
    }
    return 0;
}

/* ---------------------------------------------------------------- bootstrap */

allocman_t *bootstrap_use_current_1level(seL4_CPtr root_cnode, size_t cnode_size,
                                         seL4_CPtr start_slot, seL4_CPtr end_slot,
                                         size_t pool_size, void *pool)
{
    if (pool == NULL) {
        ZF_LOGE("pool is NULL");
        return NULL;
    }
    if (cnode_size == 0 || cnode_size >= seL4_WordBits || start_slot == 0 ||
        start_slot >= end_slot || end_slot > BIT(cnode_size)) {
        ZF_LOGE("bad CSpace description: slots [%lu, %lu) of a CNode of 2^%zu slots",
                (unsigned long)start_slot, (unsigned long)end_slot, cnode_size);
        return NULL;
    }
    uintptr_t start = ROUND_UP((uintptr_t)pool, (uintptr_t)16);
    uintptr_t end = (uintptr_t)pool + pool_size;
    if (end < start || end - start < sizeof(allocman_t) + 64 * sizeof(struct ut_node)) {
        ZF_LOGE("static pool of %zu bytes is too small (at least %zu needed)", pool_size,
                sizeof(allocman_t) + 64 * sizeof(struct ut_node) + 16);
        return NULL;
    }
    allocman_t *a = (allocman_t *)start;
    memset(a, 0, sizeof(*a));
    a->cnode = root_cnode;
    a->pool_start = start;
    a->pool_end = end;
    a->bump = start + sizeof(*a);
    a->bump_end = end;

    /* The slot bitmap takes at most half of what is left; slots beyond that are not used. */
    size_t slots = end_slot - start_slot;
    size_t max_words = (a->bump_end - a->bump) / 2 / sizeof(uint64_t);
    size_t words = (slots + 63) / 64;
    if (words > max_words) {
        ZF_LOGW("static pool too small for a bitmap of %zu slots: managing only %zu", slots,
                max_words * 64);
        words = max_words;
        slots = words * 64;
    }
    a->slot_map = bump_alloc(a, words * sizeof(uint64_t));
    memset(a->slot_map, 0, words * sizeof(uint64_t));
    if (slots % 64 != 0) {
        a->slot_map[words - 1] = ~0ull << (slots % 64); /* bits past the end: never free */
    }
    a->slot_words = words;
    a->slot_start = start_slot;
    a->slot_end = start_slot + slots;
    a->free_slots = slots;
    return a;
}

/* After the untypeds are in: the static pool must still hold the records of one growth step
 * into the virtual pool, or the allocman could never get more bookkeeping memory. */
static allocman_t *check_reserve(allocman_t *a, size_t pool_size)
{
    if (!reserve_nodes(a, growth_reserve(a), true)) {
        ZF_LOGE("static pool of %zu bytes is too small: %zu more bytes needed", pool_size,
                (growth_reserve(a) - a->num_spare) * sizeof(struct ut_node));
        return NULL;
    }
    return a;
}

int allocman_add_simple_untypeds(allocman_t *alloc, simple_t *simple)
{
    if (alloc == NULL || simple == NULL) {
        ZF_LOGE("%s is NULL", alloc == NULL ? "alloc" : "simple");
        return -1;
    }
    int n = simple_get_untyped_count(simple);
    for (int i = 0; i < n; i++) {
        size_t bits = 0;
        uintptr_t paddr = 0;
        bool device = false;
        seL4_CPtr cap = simple_get_nth_untyped(simple, i, &bits, &paddr, &device);
        if (cap == seL4_CapNull || add_root(alloc, cap, bits, paddr, device) != 0) {
            return -1;
        }
    }
    return 0;
}

allocman_t *bootstrap_use_current_simple(simple_t *simple, size_t pool_size, void *pool)
{
    if (simple == NULL) {
        ZF_LOGE("simple is NULL");
        return NULL;
    }
    int bits = simple_get_cnode_size_bits(simple);
    if (bits <= 0) {
        ZF_LOGE("simple gives no CNode size");
        return NULL;
    }
    allocman_t *a = bootstrap_use_current_1level(simple_get_cnode(simple), bits,
                                                 simple_last_valid_cap(simple) + 1, BIT(bits),
                                                 pool_size, pool);
    if (a == NULL) {
        return NULL;
    }
    if (allocman_add_simple_untypeds(a, simple) != 0) {
        ZF_LOGE("could not take over the untypeds: static pool too small?");
        return NULL;
    }
    return check_reserve(a, pool_size);
}

allocman_t *bootstrap_use_bootinfo(seL4_BootInfo *bi, size_t pool_size, void *pool)
{
    if (bi == NULL) {
        ZF_LOGE("bi is NULL");
        return NULL;
    }
    allocman_t *a = bootstrap_use_current_1level(seL4_CapInitThreadCNode,
                                                 bi->initThreadCNodeSizeBits, bi->empty.start,
                                                 bi->empty.end, pool_size, pool);
    if (a == NULL) {
        return NULL;
    }
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        seL4_UntypedDesc *u = &bi->untypedList[i];
        if (add_root(a, bi->untyped.start + i, u->sizeBits, u->paddr, u->isDevice) != 0) {
            ZF_LOGE("could not take over the untypeds: static pool too small?");
            return NULL;
        }
    }
    return check_reserve(a, pool_size);
}

int bootstrap_configure_virtual_pool(allocman_t *alloc, void *vstart, size_t vsize,
                                     seL4_CPtr pd)
{
    uintptr_t v = (uintptr_t)vstart;
    if (alloc == NULL) {
        ZF_LOGE("alloc is NULL");
        return -1;
    }
    if (alloc->have_vpool) {
        ZF_LOGE("the virtual pool is already configured");
        return -1;
    }
    if (v == 0 || (v & (PAGE_BYTES - 1)) != 0 || vsize < PAGE_BYTES || v + vsize < v) {
        ZF_LOGE("bad virtual pool [%p, +0x%zx): it must be page aligned and at least a page",
                vstart, vsize);
        return -1;
    }
    if (pd == seL4_CapNull) {
        ZF_LOGE("pd is seL4_CapNull");
        return -1;
    }
    alloc->have_vpool = true;
    alloc->vpool_start = v;
    alloc->vpool_mapped = v;
    alloc->vpool_end = v + ROUND_DOWN(vsize, (size_t)PAGE_BYTES);
    alloc->vpool_pd = pd;
    return 0;
}

/* ---------------------------------------------------------------- vka interface */

/* vka passes Untyped_Retype size arguments; the allocman wants memory sizes. */
static int vka_mem_bits(seL4_Word type, seL4_Word size_bits, size_t *mem_bits)
{
    switch (type) {
    case seL4_UntypedObject:
    case seL4_SchedContextObject:
        *mem_bits = size_bits;
        return 0;
    case seL4_CapTableObject:
        if (size_bits == 0 || size_bits > seL4_MaxUntypedBits) {
            ZF_LOGE("CNode of 2^%lu slots refused", (unsigned long)size_bits);
            return -1;
        }
        *mem_bits = size_bits + seL4_SlotBits;
        return 0;
    case seL4_TCBObject: *mem_bits = seL4_TCBBits; return 0;
    case seL4_EndpointObject: *mem_bits = seL4_EndpointBits; return 0;
    case seL4_NotificationObject: *mem_bits = seL4_NotificationBits; return 0;
    case seL4_ReplyObject: *mem_bits = seL4_ReplyBits; return 0;
    case seL4_X86_4K: *mem_bits = seL4_PageBits; return 0;
    case seL4_X86_LargePageObject: *mem_bits = seL4_LargePageBits; return 0;
    case seL4_X64_HugePageObject: *mem_bits = seL4_HugePageBits; return 0;
    case seL4_X86_PageTableObject: *mem_bits = seL4_PageTableBits; return 0;
    case seL4_X86_PageDirectoryObject: *mem_bits = seL4_PageDirBits; return 0;
    case seL4_X86_PDPTObject: *mem_bits = seL4_PDPTBits; return 0;
    case seL4_X64_PML4Object: *mem_bits = seL4_PML4Bits; return 0;
    default:
        ZF_LOGE("unknown object type %lu", (unsigned long)type);
        return -1;
    }
}

static int am_cspace_alloc(void *data, seL4_CPtr *res)
{
    cspacepath_t path;
    int err = allocman_cspace_alloc(data, &path);
    if (err == 0) {
        *res = path.capPtr;
    }
    return err;
}

static void am_cspace_make_path(void *data, seL4_CPtr slot, cspacepath_t *res)
{
    *res = allocman_cspace_make_path(data, slot);
}

static void am_cspace_free(void *data, seL4_CPtr slot)
{
    if (data == NULL) {
        ZF_LOGE("alloc is NULL");
        return;
    }
    cspace_free_slot(data, slot);
}

static int am_utspace_alloc_at_maybe_dev(void *data, const cspacepath_t *dest, seL4_Word type,
                                         seL4_Word size_bits, uintptr_t paddr, bool can_use_dev,
                                         seL4_Word *res)
{
    size_t mem_bits;
    if (vka_mem_bits(type, size_bits, &mem_bits) != 0) {
        return -1;
    }
    int error;
    seL4_Word cookie =
        allocman_utspace_alloc_at(data, mem_bits, type, dest, paddr, can_use_dev, &error);
    if (error == 0) {
        *res = cookie;
    }
    return error;
}

static int am_utspace_alloc(void *data, const cspacepath_t *dest, seL4_Word type,
                            seL4_Word size_bits, seL4_Word *res)
{
    return am_utspace_alloc_at_maybe_dev(data, dest, type, size_bits, ALLOCMAN_NO_PADDR, false,
                                         res);
}

static int am_utspace_alloc_maybe_device(void *data, const cspacepath_t *dest, seL4_Word type,
                                         seL4_Word size_bits, bool can_use_dev, seL4_Word *res)
{
    return am_utspace_alloc_at_maybe_dev(data, dest, type, size_bits, ALLOCMAN_NO_PADDR,
                                         can_use_dev, res);
}

static int am_utspace_alloc_at(void *data, const cspacepath_t *dest, seL4_Word type,
                               seL4_Word size_bits, uintptr_t paddr, seL4_Word *cookie)
{
    if (paddr == ALLOCMAN_NO_PADDR) {
        ZF_LOGE("utspace_alloc_at needs a physical address");
        return -1;
    }
    return am_utspace_alloc_at_maybe_dev(data, dest, type, size_bits, paddr, false, cookie);
}

static void am_utspace_free(void *data, seL4_Word type, seL4_Word size_bits, seL4_Word target)
{
    size_t mem_bits;
    if (vka_mem_bits(type, size_bits, &mem_bits) != 0) {
        return;
    }
    allocman_utspace_free(data, target, mem_bits);
}

static uintptr_t am_utspace_paddr(void *data, seL4_Word target, seL4_Word type,
                                  seL4_Word size_bits)
{
    size_t mem_bits;
    if (vka_mem_bits(type, size_bits, &mem_bits) != 0) {
        return VKA_NO_PADDR;
    }
    return allocman_utspace_paddr(data, target, mem_bits);
}

void allocman_make_vka(vka_t *vka, allocman_t *alloc)
{
    if (vka == NULL || alloc == NULL) {
        ZF_LOGE("%s is NULL", vka == NULL ? "vka" : "alloc");
        return;
    }
    *vka = (vka_t){
        .data = alloc,
        .cspace_alloc = am_cspace_alloc,
        .cspace_make_path = am_cspace_make_path,
        .utspace_alloc = am_utspace_alloc,
        .utspace_alloc_maybe_device = am_utspace_alloc_maybe_device,
        .utspace_alloc_at = am_utspace_alloc_at,
        .cspace_free = am_cspace_free,
        .utspace_free = am_utspace_free,
        .utspace_paddr = am_utspace_paddr,
    };
}
