/*
 * The kernel's invariants, checked on demand: a debug aid (command line check_invariants),
 * built to be driven by randomized tests. Debug quality: fixed-size static tables, quadratic
 * in places; it says so when a table is too small instead of guessing.
 *
 * 1. Collect: every slot reachable from the root task's CNode and from the five slots of
 *    every TCB, following CNode caps, TCB caps and the live slots of zombies.
 * 2. Check each slot: an empty slot has no MDB links; a full one's neighbours are full and
 *    point back at it.
 * 3. Untyped runs: the caps of objects inside an untyped are exactly the MDB descendants of
 *    its cap (the run that follows it), so no child precedes its parent or sits in another
 *    list; each of them lies below the untyped's watermark (free offset).
 * 4. Each object lies inside some untyped or in memory the kernel kept at boot.
 * 5. No two distinct objects overlap.
 */
#include "invariants.h"
#include "tcb.h"
#include "boot.h"
#include "arch.h"
#include "printk.h"
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

static void violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void violation(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kprintf("invariant violated: ");
    vkprintf(fmt, ap);
    kprintf("\n");
    va_end(ap);
    violations++;
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

/* Shell sort of caps[] by a key. */
static void sort_caps(bool (*less)(const struct cap_ref *, const struct cap_ref *))
{
    for (unsigned gap = n_caps / 2; gap > 0; gap /= 2)
        for (unsigned i = gap; i < n_caps; i++) {
            struct cap_ref t = caps[i];
            unsigned j = i;
            for (; j >= gap && less(&t, &caps[j - gap]); j -= gap)
                caps[j] = caps[j - gap];
            caps[j] = t;
        }
}
static bool slot_less(const struct cap_ref *a, const struct cap_ref *b) { return a->slot < b->slot; }
static bool object_less(const struct cap_ref *a, const struct cap_ref *b)
{
    if (a->base != b->base)
        return a->base < b->base;
    if (a->end != b->end)
        return a->end < b->end;
    return a->type < b->type;
}

static bool reachable(const cte_t *s) /* caps[] sorted by slot */
{
    unsigned lo = 0, hi = n_caps;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (caps[mid].slot == s)
            return true;
        if (caps[mid].slot < s)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
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

/* Step 3 for the untyped cap caps[ui] (caps[] sorted by slot). */
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
    for (unsigned i = 0; i < n_caps; i++)
        if (caps[i].slot != us && caps[i].end && inside(u, caps[i].base, caps[i].end) &&
            !same_untyped_range(u, &caps[i]))
            contained++;
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

/* Step 4. */
static void check_owned(const struct cap_ref *c)
{
    if (!c->end || c->type == cap_untyped)
        return;
    for (unsigned i = 0; i < n_untypeds; i++)
        if (inside(&caps[untypeds[i]], c->base, c->end))
            return;
    if (!boot_mem_is_reserved(c->base, c->end))
        violation("%s cap in slot %p: its object [0x%lx, 0x%lx) is neither in an untyped nor boot memory",
                  cap_type_name(c->type), (void *)c->slot, c->base, c->end);
}

/* Step 5 (caps[] sorted by object). */
static void check_overlaps(void)
{
    const struct cap_ref *widest = NULL; /* the object reaching furthest so far */
    for (unsigned i = 0; i < n_caps; i++) {
        const struct cap_ref *c = &caps[i];
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
    if (cap_get_type(invariants_root) == cap_cnode)
        add_array(cap_cnode_slots(invariants_root), BIT(cap_cnode_radix(invariants_root)));
    for (tcb_t *t = tcb_first(); t; t = t->debug_next)
        add_array(t->cnode, tcb_slot_count);
    for (unsigned a = 0; a < n_arrays; a++)
        for (word_t i = 0; i < arrays[a].n; i++)
            visit(&arrays[a].slots[i]);

    for (unsigned i = 0; i < n_caps; i++)
        check_owned(&caps[i]);
    if (!incomplete) {
        sort_caps(slot_less);
        for (unsigned i = 0; i < n_caps; i++)
            if (caps[i].type == cap_untyped)
                check_untyped_run(&caps[i]);
    }
    sort_caps(object_less);
    check_overlaps();
    static bool reported;
    if (!reported) /* once, to show the checker at work */
        kprintf("invariants: first check: %u caps in %u slot arrays, %u untypeds, %u violations\n", n_caps, n_arrays,
                n_untypeds, violations);
    reported = true;
    return violations;
}
