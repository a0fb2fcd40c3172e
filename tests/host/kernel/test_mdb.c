/*
 * The derivation tree under random sequences of Copy, Mint, Move, Mutate, Rotate, Delete
 * and Revoke (seeded, reproducible), against an independent model: a list of caps, each
 * with its object, badge, rights, guard and parent cap. The model knows nothing of the MDB
 * list; it derives the parent of a new cap from the rules of abi §9.2 ("a derived cap is the
 * source's child if the source is a revocable parent of it, else its sibling"), reparents the
 * children of a deleted cap to its parent, and destroys a CNode's contents with its last
 * cap. After every operation the kernel's slots, error codes and parent relation (computed
 * from the MDB order with is_mdb_parent_of) must equal the model's, and check_invariants()
 * must find nothing. Some runs preempt every 1st, 2nd or 3rd preemption point.
 */
#include "kenv.h"
#include "cap.h"

int host_failures;

/* ---- the world: locations are root slots and the slots of three small CNodes ---- */

#define N_USER 32       /* root slots 16..47 */
#define N_SUB 3         /* CNodes of radix 2, addressed through handle caps in root 200.. */
#define LOC_HANDLE N_USER
#define LOC_UNTYPED (N_USER + N_SUB)
#define LOC_SUB (LOC_UNTYPED + 1)
#define N_LOC (LOC_SUB + 4 * N_SUB)
#define HANDLE_SLOT 200

enum obj_kind { O_UNTYPED, O_ENDPOINT, O_NOTIFICATION, O_CNODE, O_SMALL_UNTYPED };
struct object {
    enum obj_kind kind;
    word_t addr; /* cap_addr() of its caps */
};
#define N_OBJ 10
static struct object objs[N_OBJ];
static cte_t *sub_slots[N_SUB];

struct mcap {
    bool alive;
    int obj, loc, parent;
    bool revocable;
    word_t badge;
    unsigned rights, guard_size;
    word_t guard;
};
#define MAX_MCAPS 20000
static struct mcap mcaps[MAX_MCAPS];
static int n_mcaps;
static int at[N_LOC]; /* model cap in each location, -1 = empty */

static uint64_t rng;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static unsigned pick(unsigned n) { return (unsigned)(rnd() % n); }

static cte_t *loc_slot(int loc)
{
    if (loc < N_USER)
        return kslot(16 + loc);
    if (loc < LOC_UNTYPED)
        return kslot(HANDLE_SLOT + loc - LOC_HANDLE);
    if (loc == LOC_UNTYPED)
        return kslot(KS_UNTYPED);
    return &sub_slots[(loc - LOC_SUB) / 4][(loc - LOC_SUB) % 4];
}
/* Where an operation names the location: the CNode to invoke or pass, the index, the depth. */
static word_t loc_root(int loc) { return loc < LOC_SUB ? KS_CNODE : HANDLE_SLOT + (loc - LOC_SUB) / 4; }
static word_t loc_index(int loc) { return loc < LOC_SUB ? (word_t)(loc_slot(loc) - kroot) : (word_t)(loc - LOC_SUB) % 4; }
static word_t loc_depth(int loc) { return loc < LOC_SUB ? 64 : 2; }
/* Whether the root CNode cap used to name loc is usable (a handle may have been deleted). */
static bool root_ok(int loc) { return loc < LOC_SUB || at[LOC_HANDLE + (loc - LOC_SUB) / 4] >= 0; }

/* ---- the model ---- */

static int model_new(int obj, int loc, int parent, bool revocable, word_t badge, unsigned rights)
{
    if (n_mcaps == MAX_MCAPS) {
        fprintf(stderr, "test_mdb: model full\n");
        abort();
    }
    mcaps[n_mcaps] = (struct mcap){ true, obj, loc, parent, revocable, badge, rights, 0, 0 };
    at[loc] = n_mcaps;
    return n_mcaps++;
}

static bool is_badged_kind(enum obj_kind k) { return k == O_ENDPOINT || k == O_NOTIFICATION; }
static bool is_untyped_kind(enum obj_kind k) { return k == O_UNTYPED || k == O_SMALL_UNTYPED; }

static bool model_has_children(int c)
{
    for (int i = 0; i < n_mcaps; i++)
        if (mcaps[i].alive && mcaps[i].parent == c)
            return true;
    return false;
}

static void model_delete(int c);

/* Destroy the contents of a CNode object whose last cap went. */
static unsigned long cnodes_destroyed;

static void model_destroy(int obj)
{
    if (objs[obj].kind != O_CNODE)
        return;
    cnodes_destroyed++;
    int sub = -1;
    for (int i = 0; i < N_SUB; i++)
        if ((word_t)sub_slots[i] == objs[obj].addr)
            sub = i;
    for (int i = 0; i < 4; i++)
        if (at[LOC_SUB + 4 * sub + i] >= 0)
            model_delete(at[LOC_SUB + 4 * sub + i]);
}

static void model_delete(int c)
{
    if (!mcaps[c].alive)
        return;
    mcaps[c].alive = false;
    at[mcaps[c].loc] = -1;
    for (int i = 0; i < n_mcaps; i++)
        if (mcaps[i].alive && mcaps[i].parent == c)
            mcaps[i].parent = mcaps[c].parent;
    bool last = true;
    for (int i = 0; i < n_mcaps; i++)
        last &= !(mcaps[i].alive && mcaps[i].obj == mcaps[c].obj);
    if (last)
        model_destroy(mcaps[c].obj);
}

static bool model_descends(int c, int ancestor)
{
    for (int p = mcaps[c].parent; p >= 0; p = mcaps[p].parent)
        if (p == ancestor)
            return true;
    return false;
}

static void model_revoke(int c)
{
    for (bool again = true; again && mcaps[c].alive;) {
        again = false;
        for (int i = 0; i < n_mcaps; i++)
            if (mcaps[i].alive && model_descends(i, c)) {
                model_delete(i);
                again = true;
            }
    }
}

/* updateCapData on a model cap (as a copy): false if the result is a null cap. */
static bool model_update(struct mcap *m, bool preserve, word_t data)
{
    enum obj_kind k = objs[m->obj].kind;
    if (is_badged_kind(k)) {
        if (preserve || m->badge)
            return false;
        m->badge = data;
    } else if (k == O_CNODE) {
        unsigned g = data & 63;
        if (g + 2 > 64)
            return false;
        m->guard_size = g;
        m->guard = (data >> 6) & MASK(g);
    }
    return true;
}

static unsigned model_mask(const struct mcap *m, word_t rights)
{
    enum obj_kind k = objs[m->obj].kind;
    return k == O_ENDPOINT ? m->rights & rights & 0xf : k == O_NOTIFICATION ? m->rights & rights & 3 : m->rights;
}

/* The error an operation gives; on success the model is updated. */
static word_t model_copy(word_t label, int dest, int src, word_t rights, word_t data)
{
    if (!root_ok(dest))
        return seL4_InvalidCapability;
    if (at[dest] >= 0)
        return seL4_DeleteFirst;
    if (!root_ok(src) || at[src] < 0)
        return seL4_FailedLookup;
    int s = at[src];
    struct mcap n = mcaps[s];
    enum obj_kind k = objs[n.obj].kind;
    if (label == CNodeMove || label == CNodeMutate) {
        if (label == CNodeMutate && !model_update(&n, true, data))
            return seL4_IllegalOperation;
        n.loc = dest;
        mcaps[s] = n;
        at[src] = -1;
        at[dest] = s;
        return seL4_NoError;
    }
    n.rights = model_mask(&n, rights);
    if (label == CNodeMint && !model_update(&n, false, data))
        return seL4_IllegalOperation;
    if (is_untyped_kind(k) && model_has_children(s))
        return seL4_RevokeFirst;
    bool revocable = is_untyped_kind(k) || (is_badged_kind(k) && n.badge != mcaps[s].badge);
    /* The source is the parent when it is a revocable parent of the new cap (a badged
     * source only of copies with its badge, which a Mint cannot change); else a sibling. */
    bool child = mcaps[s].revocable && (!is_badged_kind(k) || mcaps[s].badge == 0 || !revocable);
    int c = model_new(n.obj, dest, child ? s : mcaps[s].parent, revocable, n.badge, n.rights);
    mcaps[c].guard = n.guard;
    mcaps[c].guard_size = n.guard_size;
    return seL4_NoError;
}

static word_t model_rotate(int dest, word_t dest_data, int pivot, word_t pivot_data, int src)
{
    if (!root_ok(dest))
        return seL4_InvalidCapability;
    if (!root_ok(src) || !root_ok(pivot))
        return seL4_FailedLookup;
    if (pivot == src || pivot == dest)
        return seL4_IllegalOperation;
    if (src != dest && at[dest] >= 0)
        return seL4_DeleteFirst;
    if (at[src] < 0 || at[pivot] < 0)
        return seL4_FailedLookup;
    struct mcap ns = mcaps[at[src]], np = mcaps[at[pivot]];
    if (!model_update(&ns, true, pivot_data) || !model_update(&np, true, dest_data))
        return seL4_IllegalOperation;
    int s = at[src], p = at[pivot];
    mcaps[s] = ns;
    mcaps[p] = np;
    at[src] = at[pivot] = -1;
    mcaps[p].loc = dest;
    at[dest] = p;
    mcaps[s].loc = pivot;
    at[pivot] = s;
    return seL4_NoError;
}

/* ---- comparing kernel and model ---- */

/* The kernel's parent of the cap in x: the closest earlier cap whose run of children
 * (the caps after it for which is_mdb_parent_of holds) reaches x. */
static cte_t *kernel_parent(cte_t *x)
{
    for (cte_t *p = mdb_prev(x); p; p = mdb_prev(p)) {
        if (!is_mdb_parent_of(p, x))
            continue;
        cte_t *q = mdb_next(p);
        while (q != x && is_mdb_parent_of(p, q))
            q = mdb_next(q);
        if (q == x)
            return p;
    }
    return NULL;
}

static char why[256];

static bool same_state(void)
{
    for (int loc = 0; loc < N_LOC; loc++) {
        cte_t *s = loc_slot(loc);
        int m = at[loc];
        if (m < 0) {
            if (!cap_is_null(s->cap)) {
                snprintf(why, sizeof(why), "location %d: kernel has a %s cap, model none", loc,
                         cap_type_name(cap_get_type(s->cap)));
                return false;
            }
            continue;
        }
        const struct mcap *c = &mcaps[m];
        const struct object *o = &objs[c->obj];
        cap_t k = s->cap;
        static const enum cap_type types[] = { cap_untyped, cap_endpoint, cap_notification, cap_cnode, cap_untyped };
        word_t addr = cap_get_type(k) == cap_untyped ? cap_untyped_paddr(k) : cap_addr(k);
        bool ok = cap_get_type(k) == types[o->kind] && addr == o->addr;
        if (ok && is_badged_kind(o->kind))
            ok = cap_badge(k) == c->badge && cap_rights(k) == c->rights;
        if (ok && o->kind == O_CNODE)
            ok = cap_cnode_guard(k) == c->guard && cap_cnode_guard_size(k) == c->guard_size;
        if (!ok) {
            snprintf(why, sizeof(why), "location %d: kernel cap %s/%lx differs from model (kind %d, badge %lu)", loc,
                     cap_type_name(cap_get_type(k)), (unsigned long)addr, o->kind, (unsigned long)c->badge);
            return false;
        }
        if (mdb_revocable(s) != c->revocable) {
            snprintf(why, sizeof(why), "location %d: revocable %d, model %d", loc, mdb_revocable(s), c->revocable);
            return false;
        }
        cte_t *want = c->parent < 0 ? NULL : loc_slot(mcaps[c->parent].loc), *got = kernel_parent(s);
        if (got != want) {
            snprintf(why, sizeof(why), "location %d: kernel parent %p, model parent %p (location %d)", loc,
                     (void *)got, (void *)want, c->parent < 0 ? -1 : mcaps[c->parent].loc);
            return false;
        }
    }
    return true;
}

/* ---- one run ---- */

static void setup(void)
{
    kenv_init();
    n_mcaps = 0;
    for (int i = 0; i < N_LOC; i++)
        at[i] = -1;
    objs[0] = (struct object){ O_UNTYPED, cap_untyped_paddr(kcap(KS_UNTYPED)) };
    int ut = model_new(0, LOC_UNTYPED, -1, true, 0, 0);
    static const enum obj_kind kinds[N_OBJ] = { O_UNTYPED, O_ENDPOINT, O_ENDPOINT, O_ENDPOINT, O_NOTIFICATION,
                                                O_NOTIFICATION, O_CNODE, O_CNODE, O_CNODE, O_SMALL_UNTYPED };
    int sub = 0;
    for (int o = 1; o < N_OBJ; o++) {
        cte_t *s = NULL;
        switch (kinds[o]) {
        case O_ENDPOINT: s = new_endpoint(16 + o); break;
        case O_NOTIFICATION: s = new_notification(16 + o); break;
        case O_CNODE: s = new_cnode(16 + o, 2); break;
        default: s = new_untyped(16 + o, 12); break;
        }
        objs[o] = (struct object){ kinds[o], kinds[o] == O_SMALL_UNTYPED ? cap_untyped_paddr(s->cap) : cap_addr(s->cap) };
        model_new(o, o, ut, true, 0, kinds[o] == O_ENDPOINT ? 0xf : kinds[o] == O_NOTIFICATION ? 3 : 0);
        if (kinds[o] == O_CNODE) {
            sub_slots[sub] = cap_cnode_slots(s->cap);
            cn_copy(HANDLE_SLOT + sub, 16 + o, 0xf);
            model_copy(CNodeCopy, LOC_HANDLE + sub, o, 0xf, 0);
            sub++;
        }
    }
}

static int random_loc(void) { return pick(4) ? (int)pick(N_USER) : LOC_SUB + (int)pick(4 * N_SUB); }
static word_t random_data(void)
{
    static const word_t d[] = { 0, 0, 1, 3, 5, 63, (1 << 6) | 2, (7 << 6) | 3 };
    return d[pick(8)];
}

static word_t do_op(char *desc, size_t len, word_t *model_result)
{
    unsigned op = pick(100);
    int a = random_loc(), b = random_loc(), c = random_loc();
    word_t rights = pick(3) ? 0xf : pick(16), data = random_data(), data2 = random_data();
    if (op < 20) {
        snprintf(desc, len, "Copy %d <- %d rights %lx", a, b, (unsigned long)rights);
        *model_result = model_copy(CNodeCopy, a, b, rights, 0);
        const word_t mr[5] = { loc_index(a), loc_depth(a), loc_index(b), loc_depth(b), rights }, caps[1] = { loc_root(b) };
        return kcall(loc_root(a), CNodeCopy, 5, 1, caps, mr);
    }
    if (op < 35) {
        snprintf(desc, len, "Mint %d <- %d rights %lx data %lx", a, b, (unsigned long)rights, (unsigned long)data);
        *model_result = model_copy(CNodeMint, a, b, rights, data);
        const word_t mr[6] = { loc_index(a), loc_depth(a), loc_index(b), loc_depth(b), rights, data },
                     caps[1] = { loc_root(b) };
        return kcall(loc_root(a), CNodeMint, 6, 1, caps, mr);
    }
    if (op < 50) {
        snprintf(desc, len, "Move %d <- %d", a, b);
        *model_result = model_copy(CNodeMove, a, b, 0, 0);
        const word_t mr[4] = { loc_index(a), loc_depth(a), loc_index(b), loc_depth(b) }, caps[1] = { loc_root(b) };
        return kcall(loc_root(a), CNodeMove, 4, 1, caps, mr);
    }
    if (op < 60) {
        snprintf(desc, len, "Mutate %d <- %d data %lx", a, b, (unsigned long)data);
        *model_result = model_copy(CNodeMutate, a, b, 0, data);
        const word_t mr[5] = { loc_index(a), loc_depth(a), loc_index(b), loc_depth(b), data }, caps[1] = { loc_root(b) };
        return kcall(loc_root(a), CNodeMutate, 5, 1, caps, mr);
    }
    if (op < 70) {
        if (pick(3) == 0)
            c = a; /* a swap */
        snprintf(desc, len, "Rotate dest %d pivot %d src %d", a, b, c);
        *model_result = model_rotate(a, data, b, data2, c);
        const word_t mr[8] = { loc_index(a), loc_depth(a), data, loc_index(b), loc_depth(b), data2, loc_index(c),
                               loc_depth(c) },
                     caps[2] = { loc_root(b), loc_root(c) };
        return kcall(loc_root(a), CNodeRotate, 8, 2, caps, mr);
    }
    word_t label = op < 85 ? CNodeDelete : CNodeRevoke;
    if (pick(20) == 0) /* now and then a handle goes, so that its CNode can die */
        a = LOC_HANDLE + (int)pick(N_SUB);
    /* A preempted Revoke that deletes the handle it was invoked through fails when it is
     * re-executed (as in seL4); the model does not follow such half-done revokes. */
    if (label == CNodeRevoke && preempt_test_every && a >= LOC_SUB && at[a] >= 0 &&
        objs[mcaps[at[a]].obj].addr == (word_t)sub_slots[(a - LOC_SUB) / 4])
        a = (int)pick(N_USER);
    snprintf(desc, len, "%s %d", label == CNodeDelete ? "Delete" : "Revoke", a);
    if (!root_ok(a))
        *model_result = seL4_InvalidCapability;
    else {
        *model_result = seL4_NoError;
        if (at[a] >= 0) {
            if (label == CNodeDelete)
                model_delete(at[a]);
            else
                model_revoke(at[a]);
        }
    }
    const word_t mr[2] = { loc_index(a), loc_depth(a) };
    return kcall(loc_root(a), label, 2, 0, NULL, mr);
}

static unsigned long op_results[16]; /* how often each error code came back */
static unsigned long destroyed_mid_run;

static bool run(uint64_t seed, unsigned ops)
{
    rng = seed * 0x9e3779b97f4a7c15ull + 1;
    setup();
    unsigned long destroyed_before = cnodes_destroyed;
    if (!same_state()) {
        printf("seed %lu: after setup: %s\n", (unsigned long)seed, why);
        return false;
    }
    for (unsigned i = 0; i < ops; i++) {
        char desc[128];
        word_t want;
        preempt_test_every = seed % 4 == 0 ? 0 : seed % 4; /* runs that preempt */
        word_t got = do_op(desc, sizeof(desc), &want);
        preempt_test_every = 0;
        op_results[got < 16 ? got : 15]++;
        if (got != want) {
            printf("seed %lu op %u (%s): kernel error %lu, model %lu\n", (unsigned long)seed, i, desc,
                   (unsigned long)got, (unsigned long)want);
            return false;
        }
        if (!same_state()) {
            printf("seed %lu op %u (%s): %s\n", (unsigned long)seed, i, desc, why);
            return false;
        }
        if (kinvariants() != 0) {
            printf("seed %lu op %u (%s): invariants violated\n", (unsigned long)seed, i, desc);
            return false;
        }
    }
    destroyed_mid_run += cnodes_destroyed - destroyed_before;
    /* Revoke of the untyped destroys everything. */
    model_revoke(at[LOC_UNTYPED]);
    if (cn_revoke(KS_UNTYPED) != 0 || !same_state() || kinvariants() != 0) {
        printf("seed %lu: final revoke of the untyped: %s\n", (unsigned long)seed, why);
        return false;
    }
    for (int loc = 0; loc < N_LOC; loc++)
        if (loc != LOC_UNTYPED && at[loc] >= 0)
            return false;
    return true;
}

int main(int argc, char **argv)
{
    unsigned seeds = argc > 1 ? (unsigned)atoi(argv[1]) : 64, ops = argc > 2 ? (unsigned)atoi(argv[2]) : 300;
    unsigned failed = 0;
    fake_quiet = true;
    for (unsigned seed = 1; seed <= seeds; seed++)
        if (!run(seed, ops)) {
            char name[64];
            snprintf(name, sizeof(name), "random CNode operations, seed %u", seed);
            HCHECK(name, false);
            if (++failed == 3)
                break;
        }
    printf("results: %lu succeeded; refused: %lu InvalidCapability, %lu IllegalOperation, %lu FailedLookup, "
           "%lu DeleteFirst, %lu RevokeFirst; %lu CNodes destroyed with their contents (%lu before the final Revoke)\n", op_results[0], op_results[seL4_InvalidCapability],
           op_results[seL4_IllegalOperation], op_results[seL4_FailedLookup], op_results[seL4_DeleteFirst],
           op_results[seL4_RevokeFirst], cnodes_destroyed, destroyed_mid_run);
    char name[96];
    snprintf(name, sizeof(name), "%u seeded runs of %u random CNode operations match the model", seeds, ops);
    HCHECK(name, failed == 0);
    return host_failures ? 1 : 0;
}
