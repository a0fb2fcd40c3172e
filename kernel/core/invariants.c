/*
 * The kernel's invariants, checked on demand: a debug aid (command line check_invariants),
 * built to be driven by randomized tests. Debug quality: fixed-size static tables, quadratic
 * in places; it says so when a table is too small instead of guessing.
 *
 * 1. Collect: every slot reachable from the root task's CNode, from the five slots of every
 *    TCB and from the kernel's IRQ slots, following CNode caps, TCB caps and the live slots
 *    of zombies.
 * 2. Check each slot: an empty slot has no MDB links; a full one's neighbours are full and
 *    point back at it.
 * 3. Untyped runs: the caps of objects inside an untyped are exactly the MDB descendants of
 *    its cap (the run that follows it), so no child precedes its parent or sits in another
 *    list; each of them lies below the untyped's watermark (free offset).
 * 4. Each object lies inside some untyped or in memory the kernel kept at boot.
 * 5. No two distinct objects overlap.
 * 6. The arch's own structures refer only to live objects (arch_check_invariants; x86: what
 *    every address space with an ASID maps).
 *
 * Cost. It runs after every syscall in randomized tests (tests/system/fuzz_caps: 45,000 checks
 * under QEMU's emulation), so it is kept roughly linear in the number of caps: empty slots are
 * skipped with one test, reachable slots go into a hash set, the caps are sorted once (merge
 * sort of indices, by object), and the untypeds, sorted by base, answer "which untyped holds
 * this object" by binary search. The remaining full scan is the root CNode's slots.
 */
#include "invariants.h"
#include "tcb.h"
#include "boot.h"
#include "arch.h"
#include "irq.h"
#include "printk.h"
#include "kstring.h"
#include "abi.h"

bool invariants_enabled;
cap_t invariants_root;

#define MAX_ARRAYS 1024 /* slot arrays: CNodes, TCB slots, zombies */
#define MAX_CAPS 8192
#define MAX_UNTYPEDS 1024
#define MAX_RUN (1ul << 22) /* longer MDB walks are taken to be loops */

struct slot_array {
    cte_t *slots;
    word_t n;
};
struct cap_ref {
    cte_t *slot;
    enum cap_type type;
    paddr_t base, end; /* end = 0: no memory (IRQ, domain, IO ports...) */
};

static struct slot_array arrays[MAX_ARRAYS];
static struct cap_ref caps[MAX_CAPS];
static unsigned untypeds[MAX_UNTYPEDS]; /* indices into caps[] */
static unsigned n_arrays, n_caps, n_untypeds, violations;
static bool incomplete;
static unsigned long checks; /* how many times check_invariants() ran */

/* The reachable non-empty slots: a hash set of (index into caps[]) + 1, 0 = free. */
#define SLOT_SET_BITS 14
_Static_assert(MAX_CAPS < BIT(SLOT_SET_BITS) && MAX_CAPS <= 0xffff, "the slot set holds every cap");
static uint16_t slot_set[BIT(SLOT_SET_BITS)];

/* caps[] indices in object order (base, end, type), and merge sort scratch. */
static uint16_t by_object[MAX_CAPS], sort_tmp[MAX_CAPS];

/* The untyped caps' ranges by base, each with the furthest end of it and those before it. */
static struct {
    paddr_t base, reach;
} ut_ranges[MAX_UNTYPEDS];

static void vviolation(const char *fmt, va_list ap)
{
    kprintf("invariant violated: ");
    vkprintf(fmt, ap);
    kprintf("\n");
    violations++;
}
static void violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void violation(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vviolation(fmt, ap);
    va_end(ap);
}
void invariants_violation(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vviolation(fmt, ap);
    va_end(ap);
}

static void too_many(const char *what)
{
    if (!incomplete)
        kprintf("invariants: more %s than the checker's tables hold; some checks skipped\n", what);
    incomplete = true;
}

static void add_array(cte_t *slots, word_t n)
{
    for (unsigned i = 0; i < n_arrays; i++)
        if (arrays[i].slots == slots)
            return;
    if (n_arrays == MAX_ARRAYS)
        return too_many("CNodes");
    arrays[n_arrays++] = (struct slot_array){ slots, n };
}

static bool bad_ptr(const cte_t *p) { return (word_t)p & MASK(seL4_SlotBits); }

static unsigned slot_hash(const cte_t *s)
{
    return (unsigned)((((word_t)s >> seL4_SlotBits) * 0x9e3779b97f4a7c15ull) >> (64 - SLOT_SET_BITS));
}

static void remember_slot(unsigned cap)
{
    unsigned h = slot_hash(caps[cap].slot);
    while (slot_set[h])
        h = (h + 1) & MASK(SLOT_SET_BITS);
    slot_set[h] = (uint16_t)(cap + 1);
}

/* Whether s is one of the slots collected in step 1. */
static bool reachable(const cte_t *s)
{
    for (unsigned h = slot_hash(s); slot_set[h]; h = (h + 1) & MASK(SLOT_SET_BITS))
        if (caps[slot_set[h] - 1].slot == s)
            return true;
    return false;
}

/* Step 2 for one slot, and the arrays its cap leads to. */
static void visit(cte_t *s)
{
    cap_t c = s->cap;
    if (cap_is_null(c)) {
        if (s->mdb.prev || s->mdb.next)
            violation("empty slot %p has MDB links (prev %p, next %p)", (void *)s, (void *)s->mdb.prev,
                      (void *)s->mdb.next);
        return;
    }
    cte_t *prev = mdb_prev(s), *next = mdb_next(s);
    if (prev && (bad_ptr(prev) || prev == s || mdb_next(prev) != s || cap_is_null(prev->cap)))
        violation("%s cap in slot %p: its MDB predecessor %p does not link back to it or is empty",
                  cap_type_name(cap_get_type(c)), (void *)s, (void *)prev);
    if (next && (bad_ptr(next) || next == s || mdb_prev(next) != s || cap_is_null(next->cap)))
        violation("%s cap in slot %p: its MDB successor %p does not link back to it or is empty",
                  cap_type_name(cap_get_type(c)), (void *)s, (void *)next);

    if (n_caps == MAX_CAPS)
        return too_many("caps");
    struct cap_ref *r = &caps[n_caps++];
    *r = (struct cap_ref){ .slot = s, .type = cap_get_type(c) };
    remember_slot(n_caps - 1);
    word_t bits;
    if (cap_object_region(c, &r->base, &bits))
        r->end = r->base + BIT(bits);
    if (r->type == cap_untyped) {
        if (n_untypeds == MAX_UNTYPEDS)
            too_many("untyped caps");
        else
            untypeds[n_untypeds++] = n_caps - 1;
    }

    switch (r->type) {
    case cap_cnode:
        add_array(cap_cnode_slots(c), BIT(cap_cnode_radix(c)));
        break;
    case cap_thread:
        add_array(((tcb_t *)cap_ptr(c))->cnode, tcb_slot_count);
        break;
    case cap_zombie: /* the dying object's slots that may still hold caps */
        add_array(cap_zombie_slots(c), cap_zombie_remaining(c));
        break;
    default:
        break;
    }
}

/* Step 1 for one slot array: an empty slot without MDB links needs no more thought. */
static bool slot_blank(const cte_t *s) { return !(s->cap.w0 | s->mdb.prev | s->mdb.next); }
static void visit_array(cte_t *slots, word_t n)
{
    cte_t *s = slots, *end = slots + n;
    for (; end - s >= 4; s += 4) /* four at a time: most of a big CNode is blank */
        if (!(slot_blank(s) & slot_blank(s + 1) & slot_blank(s + 2) & slot_blank(s + 3)))
            for (unsigned i = 0; i < 4; i++)
                if (!slot_blank(&s[i]))
                    visit(&s[i]);
    for (; s < end; s++)
        if (!slot_blank(s))
            visit(s);
}

static bool object_less(unsigned i, unsigned j)
{
    const struct cap_ref *a = &caps[i], *b = &caps[j];
    if (a->base != b->base)
        return a->base < b->base;
    if (a->end != b->end)
        return a->end < b->end;
    return a->type < b->type;
}

/* by_object[] = the indices of caps[] in object order: a natural merge sort. The caps come
 * in slot order, which has long runs in object order (a root task's frames, untypeds). */
static void sort_by_object(void)
{
    static uint16_t bounds[MAX_CAPS + 1]; /* run i is [bounds[i], bounds[i + 1]) */
    uint16_t *from = by_object, *to = sort_tmp;
    unsigned runs = 0;
    bounds[0] = 0;
    for (unsigned i = 0; i < n_caps; i++) {
        from[i] = (uint16_t)i;
        if (i + 1 == n_caps || object_less(i + 1, i))
            bounds[++runs] = (uint16_t)(i + 1);
    }
    while (runs > 1) {
        unsigned merged = 0, r = 0;
        for (; r < runs; r += 2) {
            unsigned lo = bounds[r], mid = bounds[r + 1], hi = r + 2 <= runs ? bounds[r + 2] : mid;
            unsigned a = lo, b = mid, k = lo;
            while (a < mid && b < hi)
                to[k++] = object_less(from[b], from[a]) ? from[b++] : from[a++];
            while (a < mid)
                to[k++] = from[a++];
            while (b < hi)
                to[k++] = from[b++];
            bounds[merged++] = (uint16_t)lo;
        }
        bounds[merged] = (uint16_t)n_caps;
        runs = merged;
        uint16_t *t = from;
        from = to;
        to = t;
    }
    if (from != by_object)
        memcpy(by_object, from, n_caps * sizeof(by_object[0]));
}

/* The first position in by_object[] whose object starts at or above base. */
static unsigned first_object_from(paddr_t base)
{
    unsigned lo = 0, hi = n_caps;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (caps[by_object[mid]].base < base)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool inside(const struct cap_ref *outer, paddr_t base, paddr_t end)
{
    return base >= outer->base && end <= outer->end;
}
/* Copies of an untyped cover the same range; they are not counted as its contents. */
static bool same_untyped_range(const struct cap_ref *u, const struct cap_ref *c)
{
    return c->type == cap_untyped && c->base == u->base && c->end == u->end;
}

/* Step 3 for one untyped cap (by_object[] sorted). */
static void check_untyped_run(const struct cap_ref *u)
{
    const cte_t *us = u->slot;
    paddr_t watermark = u->base + cap_untyped_free_offset(us->cap);
    word_t in_run = 0, steps = 0;
    for (const cte_t *x = mdb_next(us); x && !bad_ptr(x) && is_mdb_parent_of(us, x); x = mdb_next(x)) {
        if (++steps > MAX_RUN) {
            violation("the MDB after untyped slot %p does not end (a loop?)", (void *)us);
            return;
        }
        paddr_t base;
        word_t bits;
        cap_object_region(x->cap, &base, &bits);
        if (base + BIT(bits) > watermark)
            violation("%s cap in slot %p: its object [0x%lx, 0x%lx) lies above the watermark 0x%lx of untyped "
                      "slot %p", cap_type_name(cap_get_type(x->cap)), (void *)x, base, (word_t)(base + BIT(bits)), watermark,
                      (void *)us);
        struct cap_ref xr = { .type = cap_get_type(x->cap), .base = base, .end = base + BIT(bits) };
        if (reachable(x) && !same_untyped_range(u, &xr))
            in_run++;
    }
    word_t contained = 0;
    for (unsigned k = first_object_from(u->base); k < n_caps && caps[by_object[k]].base < u->end; k++) {
        const struct cap_ref *c = &caps[by_object[k]];
        if (c->slot != us && c->end && inside(u, c->base, c->end) && !same_untyped_range(u, c))
            contained++;
    }
    if (contained == in_run)
        return;
    /* Name the caps that are not in the run: walking back from them does not reach u. */
    for (unsigned i = 0; i < n_caps; i++) {
        const struct cap_ref *c = &caps[i];
        if (c->slot == us || !c->end || !inside(u, c->base, c->end) || same_untyped_range(u, c))
            continue;
        const cte_t *p = mdb_prev(c->slot);
        for (word_t n = 0; p && p != us && n < MAX_RUN && !bad_ptr(p); n++, p = mdb_prev(p)) {
            paddr_t base;
            word_t bits;
            if (!cap_object_region(p->cap, &base, &bits) || !inside(u, base, base + BIT(bits)))
                break;
        }
        if (p != us)
            violation("%s cap in slot %p: its object [0x%lx, 0x%lx) lies in untyped slot %p [0x%lx, 0x%lx) but "
                      "is not an MDB descendant of it", cap_type_name(c->type), (void *)c->slot, c->base, c->end,
                      (void *)us, u->base, u->end);
    }
}

/* ut_ranges[] from the untyped caps: insertion sort by base (there are few), then the
 * furthest end reached so far. */
static void sort_untyped_ranges(void)
{
    for (unsigned i = 0; i < n_untypeds; i++) {
        const struct cap_ref *u = &caps[untypeds[i]];
        unsigned j = i;
        for (; j > 0 && ut_ranges[j - 1].base > u->base; j--)
            ut_ranges[j] = ut_ranges[j - 1];
        ut_ranges[j].base = u->base;
        ut_ranges[j].reach = u->end;
    }
    for (unsigned i = 1; i < n_untypeds; i++)
        ut_ranges[i].reach = MAX(ut_ranges[i].reach, ut_ranges[i - 1].reach);
}

/* Whether some untyped holds [base, end): the last untyped starting at or below base, or
 * one before it, reaches end. */
static bool in_some_untyped(paddr_t base, paddr_t end)
{
    unsigned lo = 0, hi = n_untypeds;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (ut_ranges[mid].base <= base)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && ut_ranges[lo - 1].reach >= end;
}

/* Step 4. */
static void check_owned(const struct cap_ref *c)
{
    if (!c->end || c->type == cap_untyped || in_some_untyped(c->base, c->end))
        return;
    if (!boot_mem_is_reserved(c->base, c->end))
        violation("%s cap in slot %p: its object [0x%lx, 0x%lx) is neither in an untyped nor boot memory",
                  cap_type_name(c->type), (void *)c->slot, c->base, c->end);
}

/* For step 6, the arch's (by_object[] sorted): whether a reachable cap of this type refers
 * to an object at exactly [base, base + 2^size_bits). */
bool invariants_object_live(enum cap_type type, paddr_t base, word_t size_bits)
{
    for (unsigned k = first_object_from(base); k < n_caps && caps[by_object[k]].base == base; k++)
        if (caps[by_object[k]].type == type && caps[by_object[k]].end == base + BIT(size_bits))
            return true;
    return false;
}

/* Step 5 (by_object[] sorted). */
static void check_overlaps(void)
{
    const struct cap_ref *widest = NULL; /* the object reaching furthest so far */
    for (unsigned i = 0; i < n_caps; i++) {
        const struct cap_ref *c = &caps[by_object[i]];
        if (!c->end || c->type == cap_untyped)
            continue;
        if (widest && c->base < widest->end &&
            !(c->base == widest->base && c->end == widest->end && c->type == widest->type))
            violation("objects overlap: %s [0x%lx, 0x%lx) (slot %p) and %s [0x%lx, 0x%lx) (slot %p)",
                      cap_type_name(widest->type), widest->base, widest->end, (void *)widest->slot,
                      cap_type_name(c->type), c->base, c->end, (void *)c->slot);
        if (!widest || c->end > widest->end)
            widest = c;
    }
}

unsigned check_invariants(void)
{
    n_arrays = n_caps = n_untypeds = violations = 0;
    incomplete = false;
    memset(slot_set, 0, sizeof(slot_set));
    if (cap_get_type(invariants_root) == cap_cnode)
        add_array(cap_cnode_slots(invariants_root), BIT(cap_cnode_radix(invariants_root)));
    for (tcb_t *t = tcb_first(); t; t = t->debug_next)
        add_array(t->cnode, tcb_slot_count);
    add_array(irq_node_slots(), ARCH_NUM_IRQS); /* the notification caps bound to IRQs */
    for (unsigned a = 0; a < n_arrays; a++)
        visit_array(arrays[a].slots, arrays[a].n);

    sort_untyped_ranges();
    for (unsigned i = 0; i < n_caps; i++)
        check_owned(&caps[i]);
    sort_by_object();
    if (!incomplete)
        for (unsigned i = 0; i < n_untypeds; i++)
            check_untyped_run(&caps[untypeds[i]]);
    check_overlaps();
    if (!incomplete)
        arch_check_invariants();
    /* Once to show the checker at work, then at each power of two from 2^12 checks on (a
     * randomized test's count shows without a line per syscall). */
    checks++;
    if (checks == 1)
        kprintf("invariants: first check: %u caps in %u slot arrays, %u untypeds, %u violations\n", n_caps, n_arrays,
                n_untypeds, violations);
    else if (checks >= BIT(12) && !(checks & (checks - 1)))
        kprintf("invariants: %lu checks so far (this one: %u caps in %u slot arrays, %u untypeds, %u violations)\n",
                checks, n_caps, n_arrays, n_untypeds, violations);
    return violations;
}
