/*
 * The random CNode/Untyped operation engine and its model (see engine.h).
 *
 * The model. Objects (CNodes with their slots, TCBs, endpoints, untyped regions...) and
 * caps; each cap has a location (a CNode object and a slot index), an MDB parent and the
 * per-type data that results depend on. The rules are those of abi §5.2, §5.4, §8, §9:
 *   - a copy is the child of its source if the source is a revocable parent of it, else its
 *     sibling; retyped caps are revocable children of their untyped; deleting a cap gives
 *     its children to its parent; Revoke deletes the descendants;
 *   - deleting the last cap of a CNode deletes everything in it;
 *   - an untyped cap's free offset; Retype resets an untyped without children; a copy of
 *     an untyped marks the source full.
 * The root task's own caps (the root slots below boot_end) are learnt lazily with
 * DebugCapIdentify the first time an operation names them.
 *
 * Safety. The generator proposes an operation, the model predicts its result, and the
 * operation is only made if a successful outcome would not touch a protected slot: the
 * boot caps, the carved untypeds (they may be revoked, not deleted or moved), the scratch
 * slot, and (outside of their own maintenance) the two CNode handles. Only CNode, untyped
 * and null caps are ever invoked, so no call can block.
 */
#include <stdio.h>
#include <string.h>
#include "engine.h"
#include <sel4/constants.h>
#include <sel4/sel4_arch/constants.h>
#include <sel4/arch/constants.h>
#include <sel4/errors.h>
#include <sel4/objecttype.h>
#include <sel4/sel4_arch/objecttype.h>
#include <sel4/arch/objecttype.h>
#include <sel4/invocation.h>
#include <sel4/bootinfo_types.h>

struct fuzz_stats fuzz_stats;
static struct fuzz_env env;

#define MASKW(b) ((b) >= 64 ? ~0ul : (1ul << (b)) - 1)
#define ROUND_UP_BITS(x, b) (((x) + MASKW(b)) & ~MASKW(b))

/* ---- random numbers (xorshift64) ---- */

static uint64_t rng;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static fz_word pick(fz_word n) { return n ? rnd() % n : 0; }
static bool chance(unsigned percent) { return pick(100) < percent; }

/* ---- cap tags (seL4_DebugCapIdentify, abi §13.1) ---- */

enum {
    T_NULL = 0, T_FRAME = 1, T_UNTYPED = 2, T_PT = 3, T_EP = 4, T_PD = 5, T_NTFN = 6, T_PDPT = 7, T_REPLY = 8,
    T_PML4 = 9, T_CNODE = 10, T_TCB = 12, T_IRQ_CONTROL = 14, T_ZOMBIE = 18, T_SC = 22, T_IO_PORT_CONTROL = 31,
};

static unsigned type_tag(fz_word type)
{
    static const uint8_t tags[seL4_ObjectTypeCount] = {
        [seL4_UntypedObject] = T_UNTYPED, [seL4_TCBObject] = T_TCB, [seL4_EndpointObject] = T_EP,
        [seL4_NotificationObject] = T_NTFN, [seL4_CapTableObject] = T_CNODE, [seL4_SchedContextObject] = T_SC,
        [seL4_ReplyObject] = T_REPLY, [seL4_X86_PDPTObject] = T_PDPT, [seL4_X64_PML4Object] = T_PML4,
        [seL4_X64_HugePageObject] = T_FRAME, [seL4_X86_4K] = T_FRAME, [seL4_X86_LargePageObject] = T_FRAME,
        [seL4_X86_PageTableObject] = T_PT, [seL4_X86_PageDirectoryObject] = T_PD,
    };
    return tags[type];
}

/* Size in bits of one object (abi §4), user_bits being Retype's size_bits. */
static fz_word object_bits(fz_word type, fz_word user_bits)
{
    switch (type) {
    case seL4_UntypedObject: return user_bits;
    case seL4_TCBObject: return seL4_TCBBits;
    case seL4_EndpointObject: return seL4_EndpointBits;
    case seL4_NotificationObject: return seL4_NotificationBits;
    case seL4_CapTableObject: return user_bits + seL4_SlotBits;
    case seL4_SchedContextObject: return user_bits;
    case seL4_ReplyObject: return seL4_ReplyBits;
    case seL4_X64_HugePageObject: return seL4_HugePageBits;
    case seL4_X86_LargePageObject: return seL4_LargePageBits;
    case seL4_X86_4K: return seL4_PageBits;
    default: return seL4_PageTableBits; /* PT, PD, PDPT, PML4: 4 KiB */
    }
}

static bool is_frame_type(fz_word type)
{
    return type == seL4_X86_4K || type == seL4_X86_LargePageObject || type == seL4_X64_HugePageObject;
}

/* ---- the model: objects, caps, and where the caps are ---- */

#define MAX_OBJS 6000
#define MAX_CAPS 6000
#define ROOT_OBJ 0 /* the root CNode */

struct obj {
    uint8_t tag, radix; /* radix: CNodes */
    bool used, mapped;  /* mapped: paging structures of the root task (they can be copied) */
    int32_t refs;       /* live caps to it */
    int32_t next_free;
};

struct mcap {
    int32_t obj, parent; /* parent: MDB parent cap, -1 for none */
    int32_t cnode;       /* location: a CNode object and a slot */
    fz_word index;
    uint8_t tag;
    bool alive, revocable;
    bool nosrc;              /* never copied, never retyped from: the boot untypeds */
    bool device;             /* untyped and frames */
    uint8_t rights;          /* endpoint, notification */
    uint8_t guard_size;      /* CNode */
    uint8_t ut_bits;         /* untyped */
    fz_word badge, guard;    /* endpoint/notification badge, CNode guard */
    fz_word ut_free;         /* untyped: bytes used from its start */
    int32_t next_free;
};

static struct obj objs[MAX_OBJS];
static struct mcap caps[MAX_CAPS];
static int objs_top, caps_top, free_objs = -1, free_caps = -1;
static unsigned long live_caps;
static bool model_full;

static int obj_new(unsigned tag)
{
    int o;
    if (free_objs >= 0) {
        o = free_objs;
        free_objs = objs[o].next_free;
    } else if (objs_top < MAX_OBJS) {
        o = objs_top++;
    } else {
        model_full = true;
        o = MAX_OBJS - 1; /* reported by fuzz_step; the run stops */
    }
    objs[o] = (struct obj){ .tag = (uint8_t)tag, .used = true };
    return o;
}

/* Slot contents: an open-addressing hash map from (CNode object, index) to a cap. */
#define MAP_BITS 14
#define MAP_SIZE (1u << MAP_BITS)
static struct {
    int32_t cnode, cap; /* cap -1: free */
    fz_word index;
} map[MAP_SIZE];

static unsigned map_hash(int cnode, fz_word index)
{
    uint64_t k = ((uint64_t)(uint32_t)cnode << 40 ^ index) * 0x9e3779b97f4a7c15ull;
    return (unsigned)(k >> (64 - MAP_BITS));
}

static int map_get(int cnode, fz_word index)
{
    for (unsigned i = map_hash(cnode, index);; i = (i + 1) & (MAP_SIZE - 1)) {
        if (map[i].cap < 0)
            return -1;
        if (map[i].cnode == cnode && map[i].index == index)
            return map[i].cap;
    }
}

static void map_put(int cnode, fz_word index, int cap)
{
    unsigned i = map_hash(cnode, index);
    while (map[i].cap >= 0)
        i = (i + 1) & (MAP_SIZE - 1);
    map[i].cnode = cnode;
    map[i].index = index;
    map[i].cap = cap;
}

static void map_del(int cnode, fz_word index)
{
    unsigned i = map_hash(cnode, index);
    while (!(map[i].cnode == cnode && map[i].index == index && map[i].cap >= 0))
        i = (i + 1) & (MAP_SIZE - 1);
    /* Backward-shift deletion keeps every probe chain unbroken. */
    for (unsigned j = i;;) {
        map[i].cap = -1;
        for (;;) {
            j = (j + 1) & (MAP_SIZE - 1);
            if (map[j].cap < 0)
                return;
            unsigned k = map_hash(map[j].cnode, map[j].index);
            bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
            if (!stays)
                break;
        }
        map[i] = map[j];
        i = j;
    }
}

struct loc {
    int cnode;
    fz_word index;
};
static bool same_loc(struct loc a, struct loc b) { return a.cnode == b.cnode && a.index == b.index; }

static uint8_t boot_known[65536 / 8]; /* root slots below boot_end that have been identified */

static unsigned identify(fz_word slot)
{
    fuzz_stats.calls++;
    return env.identify(slot);
}

/* A new live cap to obj (its contents are the caller's business). */
static int cap_alloc(int obj)
{
    int c;
    if (free_caps >= 0) {
        c = free_caps;
        free_caps = caps[c].next_free;
    } else if (caps_top < MAX_CAPS) {
        c = caps_top++;
    } else {
        model_full = true; /* reported by fuzz_step; the run stops */
        c = MAX_CAPS - 1;
    }
    objs[obj].refs++;
    if (++live_caps > fuzz_stats.max_live_caps)
        fuzz_stats.max_live_caps = live_caps;
    return c;
}

static int cap_new(int obj, unsigned tag, struct loc l)
{
    int c = cap_alloc(obj);
    caps[c] = (struct mcap){ .obj = obj, .parent = -1, .cnode = l.cnode, .index = l.index, .tag = (uint8_t)tag,
                             .alive = true };
    map_put(l.cnode, l.index, c);
    return c;
}

/* A boot cap seen for the first time: an MDB root (revocable), never destroyed. */
static void learn_boot(fz_word i)
{
    boot_known[i / 8] |= (uint8_t)(1u << (i % 8));
    unsigned t = identify(i);
    if (t == T_NULL)
        return;
    int o = i == seL4_CapInitThreadCNode ? ROOT_OBJ : obj_new(t);
    int c = cap_new(o, t, (struct loc){ ROOT_OBJ, i });
    caps[c].revocable = true;
    if (o == ROOT_OBJ) {
        caps[c].guard_size = (uint8_t)(64 - env.root_radix);
    } else {
        objs[o].mapped = t == T_PT || t == T_PD || t == T_PDPT || t == T_PML4;
        /* Copies of boot untypeds could retype all memory; other boot CNodes have a radix the
         * model does not know. */
        caps[c].nosrc = t == T_UNTYPED || t == T_CNODE;
    }
}

/* The cap in a location, or -1. */
static int at(struct loc l)
{
    if (l.cnode == ROOT_OBJ && l.index < env.boot_end && !(boot_known[l.index / 8] & (1u << (l.index % 8))))
        learn_boot(l.index);
    return map_get(l.cnode, l.index);
}
static int root_at(fz_word slot) { return at((struct loc){ ROOT_OBJ, slot }); }
static unsigned tag_at(struct loc l)
{
    int c = at(l);
    return c < 0 ? T_NULL : caps[c].tag;
}
static fz_word root_slots(void) { return 1ul << env.root_radix; }
static unsigned radix_of(int cap) { return objs[caps[cap].obj].radix; }

static bool is_untyped_slot(fz_word slot)
{
    for (unsigned i = 0; i < env.n_untyped; i++)
        if (env.untyped[i].slot == slot)
            return true;
    return false;
}
static bool is_handle(fz_word slot) { return slot == env.handle[0] || slot == env.handle[1]; }

static bool handles_unlocked; /* while the handles themselves are maintained */

/* Slots whose contents an operation must not change. */
static bool protected_loc(struct loc l)
{
    if (l.cnode != ROOT_OBJ)
        return false;
    if (l.index < env.boot_end || l.index == env.scratch || is_untyped_slot(l.index))
        return true;
    return is_handle(l.index) && !handles_unlocked;
}

static bool has_children(int c)
{
    for (int i = 0; i < caps_top; i++)
        if (caps[i].alive && caps[i].parent == c)
            return true;
    return false;
}

static bool descends(int c, int ancestor)
{
    for (int p = caps[c].parent; p >= 0; p = caps[p].parent)
        if (p == ancestor)
            return true;
    return false;
}

static void model_delete(int c);

static void obj_release(int o)
{
    if (--objs[o].refs > 0)
        return;
    if (objs[o].tag == T_CNODE) { /* the last cap of a CNode: its contents go with it */
        fuzz_stats.cnodes_destroyed++;
        for (int i = 0; i < caps_top; i++)
            if (caps[i].alive && caps[i].cnode == o)
                model_delete(i);
    }
    if (o != ROOT_OBJ) {
        objs[o].used = false;
        objs[o].next_free = free_objs;
        free_objs = o;
    }
}

static void model_delete(int c)
{
    if (!caps[c].alive)
        return;
    caps[c].alive = false;
    live_caps--;
    map_del(caps[c].cnode, caps[c].index);
    for (int i = 0; i < caps_top; i++)
        if (caps[i].alive && caps[i].parent == c)
            caps[i].parent = caps[c].parent;
    obj_release(caps[c].obj);
    caps[c].next_free = free_caps;
    free_caps = c;
}

static int descendants[MAX_CAPS];
static int collect_descendants(int c)
{
    int n = 0;
    for (int i = 0; i < caps_top; i++)
        if (caps[i].alive && descends(i, c))
            descendants[n++] = i;
    return n;
}

static void model_revoke(int c)
{
    int n = collect_descendants(c);
    for (int i = 0; i < n; i++)
        model_delete(descendants[i]); /* those a CNode took with it are already gone */
}

/* updateCapData (abi §9.2) on a model cap; false: the result is a null cap. */
static bool update_data(struct mcap *m, bool preserve, fz_word data)
{
    switch (m->tag) {
    case T_EP:
    case T_NTFN:
        if (preserve || m->badge != 0)
            return false;
        m->badge = data;
        return true;
    case T_CNODE: {
        fz_word size = data & MASKW(seL4_GuardSizeBits);
        if (size + objs[m->obj].radix > seL4_WordBits)
            return false;
        m->guard_size = (uint8_t)size;
        m->guard = (data >> seL4_GuardSizeBits) & MASKW(seL4_GuardBits) & MASKW(size);
        return true;
    }
    default:
        return true;
    }
}

static void mask_rights(struct mcap *m, fz_word rights)
{
    rights &= MASKW(seL4_CapRightsBits);
    if (m->tag == T_EP)
        m->rights &= (uint8_t)rights;
    else if (m->tag == T_NTFN)
        m->rights &= (uint8_t)(rights & 3);
}

/* ---- predicted results ---- */

struct result {
    fz_word err;
    unsigned n_mr; /* error details the kernel must have written (abi §6) */
    fz_word mr[2];
};

static void result_set(struct result *r, fz_word err, unsigned n, fz_word a, fz_word b)
{
    *r = (struct result){ err, n, { a, b } };
}
static void failed_lookup(struct result *r, bool source, fz_word type)
{
    result_set(r, seL4_FailedLookup, 2, source, type);
}

/* Resolve (index, depth) from the cap `root` (-1: a null cap) as a CNode operation's slot
 * argument (abi §8.1); false with the error in r. */
static bool lookup(int root, fz_word index, fz_word depth, bool source, struct loc *out, struct result *r)
{
    if (root < 0 || caps[root].tag != T_CNODE) {
        failed_lookup(r, source, seL4_InvalidRoot);
        return false;
    }
    if (depth < 1 || depth > seL4_WordBits) {
        result_set(r, seL4_RangeError, 2, 1, seL4_WordBits);
        return false;
    }
    fz_word n = depth;
    for (int c = root;;) {
        fz_word g = caps[c].guard_size, level = g + radix_of(c);
        fz_word guard = g && g <= n ? (index >> (n - g)) & MASKW(g) : 0;
        if (g > n || guard != caps[c].guard) {
            failed_lookup(r, source, seL4_GuardMismatch);
            return false;
        }
        if (level > n) {
            failed_lookup(r, source, seL4_DepthMismatch);
            return false;
        }
        struct loc l = { caps[c].obj, (index >> (n - level)) & MASKW(radix_of(c)) };
        n -= level;
        if (n == 0) {
            *out = l;
            return true;
        }
        c = at(l);
        if (c < 0 || caps[c].tag != T_CNODE) { /* bits left over */
            failed_lookup(r, source, seL4_DepthMismatch);
            return false;
        }
    }
}

/* ---- an operation: its arguments, the predicted outcome, its effect ---- */

struct plan {
    enum fuzz_kind kind;
    bool raw;    /* a malformed message (counted apart) */
    bool unsafe; /* it would invoke a cap that might block: never made */
    fz_word service, label, length;
    unsigned ncaps;
    fz_word caps[3], mr[8];
    struct result res; /* predicted */
    bool ok;           /* predicted success */
    struct loc dest, src, pivot;
    struct mcap moved, moved2; /* Copy/Mint/Move/Mutate: the new dest cap; Rotate: dest, pivot */
    int ut;                    /* Retype */
    struct loc rt_first;
    fz_word rt_type, rt_bits, rt_obj_bits, rt_count;
    bool rt_reset;
};

static enum fuzz_kind kind_of_label(fz_word label)
{
    switch (label) {
    case UntypedRetype: return FZ_RETYPE;
    case CNodeCopy: return FZ_COPY;
    case CNodeMint: return FZ_MINT;
    case CNodeMove: return FZ_MOVE;
    case CNodeMutate: return FZ_MUTATE;
    case CNodeRotate: return FZ_ROTATE;
    case CNodeDelete: return FZ_DELETE;
    case CNodeRevoke: return FZ_REVOKE;
    case CNodeCancelBadgedSends: return FZ_CANCEL;
    default: return FZ_RAW;
    }
}

/* deriveCap (abi §9.2) of the cap in slot s, already masked/updated into *m. */
static bool derive(struct plan *p, int s, struct mcap *m)
{
    switch (m->tag) {
    case T_UNTYPED:
        if (has_children(s)) {
            result_set(&p->res, seL4_RevokeFirst, 0, 0, 0);
            return false;
        }
        return true;
    case T_PT:
    case T_PD:
    case T_PDPT:
    case T_PML4:
        if (!objs[m->obj].mapped) {
            result_set(&p->res, seL4_IllegalOperation, 0, 0, 0);
            return false;
        }
        return true;
    case T_ZOMBIE:
    case T_IRQ_CONTROL:
    case T_IO_PORT_CONTROL:
        result_set(&p->res, seL4_IllegalOperation, 0, 0, 0);
        return false;
    default:
        return true;
    }
}

/* CNode invocations, checks in the order of abi §5.4. True if it succeeds. */
static bool predict_cnode(struct plan *p, int service)
{
    const fz_word *mr = p->mr;
    struct result *r = &p->res;
    if (p->label < CNodeRevoke || p->label > CNodeRotate) {
        result_set(r, seL4_IllegalOperation, 0, 0, 0);
        return false;
    }
    if (p->length < 2) {
        result_set(r, seL4_TruncatedMessage, 0, 0, 0);
        return false;
    }
    if (!lookup(service, mr[0], mr[1], false, &p->dest, r))
        return false;
    int d = at(p->dest);

    switch (p->label) {
    case CNodeRevoke:
    case CNodeDelete:
        return true;
    case CNodeCancelBadgedSends:
        if (d < 0 || caps[d].tag != T_EP || caps[d].rights != MASKW(seL4_CapRightsBits)) {
            result_set(r, seL4_IllegalOperation, 0, 0, 0);
            return false;
        }
        return true;
    case CNodeRotate: {
        if (p->length < 8 || p->ncaps < 2) {
            result_set(r, seL4_TruncatedMessage, 0, 0, 0);
            return false;
        }
        if (!lookup(root_at(p->caps[1]), mr[6], mr[7], true, &p->src, r) ||
            !lookup(root_at(p->caps[0]), mr[3], mr[4], true, &p->pivot, r))
            return false;
        if (same_loc(p->pivot, p->src) || same_loc(p->pivot, p->dest)) {
            result_set(r, seL4_IllegalOperation, 0, 0, 0);
            return false;
        }
        if (!same_loc(p->src, p->dest) && d >= 0) {
            result_set(r, seL4_DeleteFirst, 0, 0, 0);
            return false;
        }
        int s = at(p->src), pv = at(p->pivot);
        if (s < 0 || pv < 0) { /* an empty pivot is reported as not a source (abi §5.4) */
            failed_lookup(r, s < 0, seL4_MissingCapability);
            return false;
        }
        p->moved = caps[pv];  /* to the destination */
        p->moved2 = caps[s];  /* to the pivot */
        if (!update_data(&p->moved2, true, mr[5]) || !update_data(&p->moved, true, mr[2])) {
            result_set(r, seL4_IllegalOperation, 0, 0, 0);
            return false;
        }
        return true;
    }
    default:
        break;
    }

    /* Copy, Mint, Move, Mutate */
    if (p->length < 4 || p->ncaps < 1) {
        result_set(r, seL4_TruncatedMessage, 0, 0, 0);
        return false;
    }
    if (d >= 0) {
        result_set(r, seL4_DeleteFirst, 0, 0, 0);
        return false;
    }
    if (!lookup(root_at(p->caps[0]), mr[2], mr[3], true, &p->src, r))
        return false;
    int s = at(p->src);
    if (s < 0) {
        failed_lookup(r, true, seL4_MissingCapability);
        return false;
    }
    p->moved = caps[s];
    switch (p->label) {
    case CNodeCopy:
        if (p->length < 5) {
            result_set(r, seL4_TruncatedMessage, 0, 0, 0);
            return false;
        }
        mask_rights(&p->moved, mr[4]);
        return derive(p, s, &p->moved);
    case CNodeMint:
        if (p->length < 6) {
            result_set(r, seL4_TruncatedMessage, 0, 0, 0);
            return false;
        }
        mask_rights(&p->moved, mr[4]);
        if (!update_data(&p->moved, false, mr[5])) {
            result_set(r, seL4_IllegalOperation, 0, 0, 0);
            return false;
        }
        return derive(p, s, &p->moved);
    case CNodeMove:
        return true;
    default: /* Mutate */
        if (p->length < 5) {
            result_set(r, seL4_TruncatedMessage, 0, 0, 0);
            return false;
        }
        if (!update_data(&p->moved, true, mr[4])) {
            result_set(r, seL4_IllegalOperation, 0, 0, 0);
            return false;
        }
        return true;
    }
}

/* Untyped_Retype, checks in the order of abi §5.2. */
static bool predict_retype(struct plan *p, int ut)
{
    const fz_word *mr = p->mr;
    struct result *r = &p->res;
    if (p->label != UntypedRetype) {
        result_set(r, seL4_IllegalOperation, 0, 0, 0);
        return false;
    }
    if (p->length < 6 || p->ncaps < 1) {
        result_set(r, seL4_TruncatedMessage, 0, 0, 0);
        return false;
    }
    fz_word type = mr[0], bits = mr[1], depth = mr[3], offset = mr[4], count = mr[5];
    if (type >= seL4_ObjectTypeCount) {
        result_set(r, seL4_InvalidArgument, 1, 0, 0);
        return false;
    }
    fz_word obj_bits = object_bits(type, bits);
    if (bits >= seL4_WordBits || obj_bits > seL4_MaxUntypedBits) {
        result_set(r, seL4_RangeError, 2, 0, seL4_MaxUntypedBits);
        return false;
    }
    if ((type == seL4_CapTableObject && bits == 0) || (type == seL4_UntypedObject && bits < seL4_MinUntypedBits) ||
        (type == seL4_SchedContextObject && bits < seL4_MinSchedContextBits)) {
        result_set(r, seL4_InvalidArgument, 1, 1, 0);
        return false;
    }
    int cnode = root_at(p->caps[0]);
    if (depth != 0) {
        struct loc l;
        if (!lookup(cnode, mr[2], depth, false, &l, r))
            return false;
        cnode = at(l);
    }
    if (cnode < 0 || caps[cnode].tag != T_CNODE) {
        failed_lookup(r, false, seL4_MissingCapability);
        return false;
    }
    fz_word slots = 1ul << radix_of(cnode);
    if (offset > slots - 1) {
        result_set(r, seL4_RangeError, 2, 0, slots - 1);
        return false;
    }
    if (count < 1 || count > CONFIG_RETYPE_FAN_OUT_LIMIT) {
        result_set(r, seL4_RangeError, 2, 1, CONFIG_RETYPE_FAN_OUT_LIMIT);
        return false;
    }
    if (count > slots - offset) {
        result_set(r, seL4_RangeError, 2, 1, slots - offset);
        return false;
    }
    p->rt_first = (struct loc){ caps[cnode].obj, offset };
    for (fz_word i = 0; i < count; i++)
        if (at((struct loc){ caps[cnode].obj, offset + i }) >= 0) {
            result_set(r, seL4_DeleteFirst, 0, 0, 0);
            return false;
        }
    const struct mcap *u = &caps[ut];
    bool reset = !has_children(ut);
    fz_word free_bytes = (1ul << u->ut_bits) - (reset ? 0 : u->ut_free);
    if ((free_bytes >> obj_bits) < count) {
        result_set(r, seL4_NotEnoughMemory, 1, free_bytes, 0);
        return false;
    }
    if (u->device && !is_frame_type(type) && type != seL4_UntypedObject) {
        result_set(r, seL4_InvalidArgument, 1, 1, 0);
        return false;
    }
    p->ut = ut;
    p->rt_type = type;
    p->rt_bits = bits;
    p->rt_obj_bits = obj_bits;
    p->rt_count = count;
    p->rt_reset = reset;
    return true;
}

static void predict(struct plan *p)
{
    p->kind = p->raw ? FZ_RAW : kind_of_label(p->label);
    p->res = (struct result){ 0 };
    p->ok = false;
    int svc = root_at(p->service);
    if (svc < 0)
        result_set(&p->res, seL4_InvalidCapability, 1, 0, 0);
    else if (caps[svc].tag == T_CNODE && !caps[svc].nosrc)
        p->ok = predict_cnode(p, svc);
    else if (caps[svc].tag == T_UNTYPED && !(caps[svc].nosrc && p->label == UntypedRetype))
        p->ok = predict_retype(p, svc);
    else
        p->unsafe = true;
}

/* ---- effects on the model ---- */

static struct loc strays[1024]; /* root slots outside the working set that were filled */
static unsigned n_strays;

static void note_filled(struct loc l)
{
    if (l.cnode != ROOT_OBJ || (l.index >= env.ws_base && l.index < env.ws_base + env.ws_count) ||
        protected_loc(l) || is_handle(l.index))
        return;
    for (unsigned i = 0; i < n_strays; i++)
        if (same_loc(strays[i], l))
            return;
    if (n_strays < sizeof(strays) / sizeof(strays[0]))
        strays[n_strays++] = l;
}

/* Put the cap m (a copy of a model cap with new data) in an empty location. */
static void place(int c, const struct mcap *m, struct loc l)
{
    int32_t next = caps[c].next_free;
    caps[c] = *m;
    caps[c].next_free = next;
    caps[c].cnode = l.cnode;
    caps[c].index = l.index;
    map_put(l.cnode, l.index, c);
    note_filled(l);
}

static void apply_copy(struct plan *p)
{
    int s = at(p->src);
    struct mcap m = p->moved;
    bool badged = m.tag == T_EP || m.tag == T_NTFN;
    m.revocable = m.tag == T_UNTYPED || (badged && m.badge != caps[s].badge);
    /* The source is the parent when it is a revocable parent of the new cap (a badged source
     * only of copies with its badge, and a Mint cannot change a badge); else a sibling. */
    bool child = caps[s].revocable && (!badged || caps[s].badge == 0 || !m.revocable);
    m.parent = child ? s : caps[s].parent;
    m.nosrc = false;
    place(cap_alloc(m.obj), &m, p->dest);
    if (m.tag == T_UNTYPED) /* a copy of a whole untyped: the source may not retype */
        caps[s].ut_free = 1ul << caps[s].ut_bits;
}

static void relocate(int c, const struct mcap *m, struct loc to)
{
    map_del(caps[c].cnode, caps[c].index);
    place(c, m, to);
}

static void apply_retype(struct plan *p)
{
    struct mcap *u = &caps[p->ut];
    if (p->rt_reset) {
        if (u->ut_free)
            fuzz_stats.untyped_resets++;
        u->ut_free = 0;
    }
    fz_word start = ROUND_UP_BITS(u->ut_free, p->rt_obj_bits);
    u->ut_free = start + (p->rt_count << p->rt_obj_bits);
    unsigned tag = type_tag(p->rt_type);
    for (fz_word i = 0; i < p->rt_count; i++) {
        int o = obj_new(tag);
        struct loc l = { p->rt_first.cnode, p->rt_first.index + i };
        int c = cap_new(o, tag, l);
        struct mcap *m = &caps[c];
        m->parent = p->ut;
        m->revocable = true;
        m->device = caps[p->ut].device;
        if (tag == T_EP)
            m->rights = 0xf;
        else if (tag == T_NTFN)
            m->rights = 3;
        else if (tag == T_CNODE)
            objs[o].radix = (uint8_t)p->rt_bits;
        else if (tag == T_UNTYPED)
            m->ut_bits = (uint8_t)p->rt_bits;
        note_filled(l);
    }
}

static void apply(struct plan *p)
{
    switch (p->label) {
    case CNodeCopy:
    case CNodeMint:
        apply_copy(p);
        break;
    case CNodeMove:
    case CNodeMutate:
        relocate(at(p->src), &p->moved, p->dest);
        break;
    case CNodeRotate: {
        int s = at(p->src), pv = at(p->pivot);
        map_del(p->src.cnode, p->src.index);
        map_del(p->pivot.cnode, p->pivot.index);
        place(pv, &p->moved, p->dest);
        place(s, &p->moved2, p->pivot);
        break;
    }
    case CNodeDelete:
        if (at(p->dest) >= 0)
            model_delete(at(p->dest));
        break;
    case CNodeRevoke:
        if (at(p->dest) >= 0)
            model_revoke(at(p->dest));
        break;
    case UntypedRetype:
        apply_retype(p);
        break;
    default: /* CancelBadgedSends: no queued senders to cancel */
        break;
    }
}

/* Whether the operation may be made: a success must leave the protected slots alone, and a
 * Revoke must not delete the cap it is invoked through (a preempted one could not restart). */
static bool allowed(struct plan *p)
{
    if (p->unsafe)
        return false;
    bool copy_like = p->label >= CNodeCopy && p->label <= CNodeMutate;
    if ((copy_like || p->label == CNodeRotate) && p->src.cnode >= 0) {
        int s = at(p->src);
        if (s >= 0 && caps[s].nosrc)
            return false;
    }
    if (!p->ok)
        return true;
    switch (p->label) {
    case CNodeCopy:
    case CNodeMint:
        return !protected_loc(p->dest);
    case CNodeMove:
    case CNodeMutate:
        return !protected_loc(p->dest) && !protected_loc(p->src);
    case CNodeRotate:
        return !protected_loc(p->dest) && !protected_loc(p->src) && !protected_loc(p->pivot);
    case CNodeDelete:
        return at(p->dest) < 0 || !protected_loc(p->dest);
    case CNodeRevoke: {
        int d = at(p->dest);
        if (d < 0)
            return true;
        if (protected_loc(p->dest) && !(p->dest.cnode == ROOT_OBJ && is_untyped_slot(p->dest.index)))
            return false;
        /* Outside the root CNode, the CNode holding the target could die with a descendant
         * and end the Revoke early, leaving the other descendants: the model does not
         * follow the kernel's order of deletion, so no CNode caps among them there. */
        int n = collect_descendants(d), svc = root_at(p->service);
        for (int i = 0; i < n; i++) {
            const struct mcap *c = &caps[descendants[i]];
            if (descendants[i] == svc || (protected_loc((struct loc){ c->cnode, c->index }) && !is_handle(c->index)) ||
                (p->dest.cnode != ROOT_OBJ && c->tag == T_CNODE))
                return false;
        }
        return true;
    }
    case UntypedRetype:
        for (fz_word i = 0; i < p->rt_count; i++)
            if (protected_loc((struct loc){ p->rt_first.cnode, p->rt_first.index + i }))
                return false;
        return true;
    default:
        return true;
    }
}

/* ---- observing the kernel ---- */

static fz_word call(fz_word service, fz_word label, fz_word length, unsigned ncaps, const fz_word *cps,
                    const fz_word *mr, fz_word *out)
{
    fuzz_stats.calls++;
    return env.invoke(service, label, length, ncaps, cps, mr, out);
}

/* A root slot holding a CNode cap to the object (and how to name a slot through it). */
static bool address_of(int cnode, fz_word *root_slot, fz_word *guard, fz_word *depth)
{
    for (fz_word i = 0; i < 2 + env.ws_count; i++) { /* the handles, then the working set */
        fz_word slot = i < 2 ? env.handle[i] : env.ws_base + i - 2;
        int c = root_at(slot);
        if (c >= 0 && caps[c].tag == T_CNODE && caps[c].obj == cnode) {
            *root_slot = slot;
            *guard = caps[c].guard << radix_of(c);
            *depth = caps[c].guard_size + radix_of(c);
            return true;
        }
    }
    return false;
}

#define UNOBSERVABLE (-1)
#define PROBE_FAILED (-2)

/* The tag of the cap in a location as the kernel has it: DebugCapIdentify for root slots;
 * for other CNodes a Move into the location from the empty scratch slot (DeleteFirst: it is
 * full), then the cap is moved to the scratch slot, identified and moved back. */
static int observe(struct loc l)
{
    if (l.cnode == ROOT_OBJ)
        return (int)identify(l.index);
    fz_word r, guard, depth, out[4];
    if (!address_of(l.cnode, &r, &guard, &depth))
        return UNOBSERVABLE;
    fuzz_stats.probes++;
    const fz_word root = seL4_CapInitThreadCNode, idx = guard | l.index;
    const fz_word in[4] = { idx, depth, env.scratch, seL4_WordBits };
    fz_word e = call(r, CNodeMove, 4, 1, &root, in, out);
    if (e == seL4_FailedLookup)
        return T_NULL;
    if (e != seL4_DeleteFirst)
        return PROBE_FAILED;
    const fz_word outm[4] = { env.scratch, seL4_WordBits, idx, depth };
    if (call(root, CNodeMove, 4, 1, &r, outm, out) != seL4_NoError)
        return PROBE_FAILED;
    int t = (int)identify(env.scratch);
    if (call(r, CNodeMove, 4, 1, &root, in, out) != seL4_NoError)
        return PROBE_FAILED;
    return t;
}

static unsigned reports; /* disagreements printed so far (the first few are) */

/* The kernel's cap in l has the model's tag; counts into *checked and *bad. */
static bool check_loc(const char *what, struct loc l, unsigned long *checked, unsigned long *bad)
{
    int want = (int)tag_at(l), got = observe(l);
    if (got == UNOBSERVABLE)
        return true;
    (*checked)++;
    if (got == want)
        return true;
    (*bad)++;
    if (reports++ < 8)
        printf("fuzz: %s: slot %lu of CNode #%d holds cap type %d in the model, %d in the kernel\n", what,
               (unsigned long)l.index, l.cnode, want, got);
    return false;
}

static unsigned long op_number;

static void print_plan(const struct plan *p, fz_word got, const fz_word *out)
{
    printf("fuzz: operation %lu (%s): cap %lu label %lu length %lu caps [%lu %lu] mr [%lx %lx %lx %lx %lx %lx %lx "
           "%lx]\n",
           op_number, fuzz_kind_name(p->kind), (unsigned long)p->service, (unsigned long)p->label,
           (unsigned long)p->length, (unsigned long)p->caps[0], (unsigned long)p->caps[1], (unsigned long)p->mr[0],
           (unsigned long)p->mr[1], (unsigned long)p->mr[2], (unsigned long)p->mr[3], (unsigned long)p->mr[4],
           (unsigned long)p->mr[5], (unsigned long)p->mr[6], (unsigned long)p->mr[7]);
    printf("fuzz:   model: error %lu details [%lx %lx] (%u); kernel: error %lu details [%lx %lx]\n",
           (unsigned long)p->res.err, (unsigned long)p->res.mr[0], (unsigned long)p->res.mr[1], p->res.n_mr,
           (unsigned long)got, (unsigned long)out[0], (unsigned long)out[1]);
}

/* Make the operation, compare, update the model, check the slots it touched. */
static bool run(struct plan *p)
{
    fz_word out[4] = { 0 };
    fz_word got = call(p->service, p->label, p->length, p->ncaps, p->caps, p->mr, out);
    fuzz_stats.ops++;
    fuzz_stats.by_kind[p->kind][got < FZ_RESULTS - 1 ? got : FZ_RESULTS - 1]++;
    if (got >= seL4_NumErrors)
        fuzz_stats.bad_error++;
    bool same = got == p->res.err;
    for (unsigned i = 0; same && i < p->res.n_mr; i++)
        same = out[i] == p->res.mr[i];
    if (!same) {
        fuzz_stats.mismatches++;
        if (reports++ < 8)
            print_plan(p, got, out);
        return false;
    }

    if (!p->ok)
        return true;
    int before = p->label == CNodeRevoke ? (int)tag_at(p->dest) : 0;
    apply(p);

    bool good = true;
    struct fuzz_stats *s = &fuzz_stats;
    switch (p->label) {
    case CNodeCopy:
    case CNodeMint:
        good = check_loc("Copy/Mint destination", p->dest, &s->dest_checked, &s->dest_bad);
        break;
    case CNodeMove:
    case CNodeMutate:
        good = check_loc("Move/Mutate destination", p->dest, &s->dest_checked, &s->dest_bad) &
               check_loc("Move/Mutate source", p->src, &s->src_checked, &s->src_bad);
        break;
    case CNodeRotate:
        good = check_loc("Rotate destination", p->dest, &s->dest_checked, &s->dest_bad) &
               check_loc("Rotate pivot", p->pivot, &s->dest_checked, &s->dest_bad);
        if (!same_loc(p->src, p->dest))
            good &= check_loc("Rotate source", p->src, &s->src_checked, &s->src_bad);
        break;
    case CNodeDelete:
        good = check_loc("Delete", p->dest, &s->deleted_checked, &s->deleted_bad);
        break;
    case CNodeRevoke:
        good = check_loc("Revoke", p->dest, &s->revoked_checked, &s->revoked_bad) && (int)tag_at(p->dest) == before;
        break;
    case UntypedRetype: {
        /* Exactly the requested slots: each new cap, and the slots on either side as they were. */
        fz_word slots = 1ul << objs[p->rt_first.cnode].radix;
        for (fz_word i = p->rt_first.index ? p->rt_first.index - 1 : 0;
             i <= p->rt_first.index + p->rt_count && i < slots; i++) {
            struct loc l = { p->rt_first.cnode, i };
            bool mine = i >= p->rt_first.index && i < p->rt_first.index + p->rt_count;
            good &= check_loc("Retype", l, &s->retyped_checked, &s->retyped_bad) &&
                    (!mine || tag_at(l) == type_tag(p->rt_type));
        }
        break;
    }
    default:
        break;
    }
    if (!good && reports <= 8)
        print_plan(p, got, out);
    return good;
}

/* ---- generating operations ---- */

static fz_word ws_slot(void) { return env.ws_base + pick(env.ws_count); }

/* A root slot: mostly the working set, sometimes anything. */
static fz_word pick_root_slot(void)
{
    unsigned r = (unsigned)pick(100);
    if (r < 80)
        return ws_slot();
    if (r < 86 && n_strays)
        return strays[pick(n_strays)].index;
    if (r < 89) {
        fz_word special[3 + FUZZ_MAX_UNTYPEDS] = { env.handle[0], env.handle[1], env.scratch };
        unsigned n = 3;
        for (unsigned i = 0; i < env.n_untyped; i++)
            special[n++] = env.untyped[i].slot;
        return special[pick(n)];
    }
    if (r < 93)
        return pick(env.boot_end);
    if (r < 97)
        return pick(root_slots());
    return ws_slot();
}

/* A slot of CNode object obj holding a cap (of the given tag, if not T_NULL), found by
 * sampling the model's caps; the root task's own caps only now and then. */
static bool sample_occupied(int obj, unsigned tag, fz_word *slot)
{
    for (int tries = 0; tries < 32; tries++) {
        int c = (int)pick((fz_word)caps_top);
        if (!caps[c].alive || caps[c].cnode != obj || (tag != T_NULL && caps[c].tag != tag))
            continue;
        if (obj == ROOT_OBJ && caps[c].index < env.boot_end && chance(80))
            continue;
        *slot = caps[c].index;
        return true;
    }
    return false;
}

/* A slot of the CNode the cap `root` refers to; `occupied` (1 full, 0 empty, -1 either)
 * is a preference. */
static fz_word pick_slot(int root, int occupied)
{
    bool in_root = root < 0 || caps[root].tag != T_CNODE || caps[root].obj == ROOT_OBJ;
    fz_word slot = 0;
    if (occupied == 1 && root >= 0 && caps[root].tag == T_CNODE && chance(80) &&
        sample_occupied(caps[root].obj, T_NULL, &slot))
        return slot;
    for (int tries = 0; tries < 6; tries++) {
        slot = in_root ? pick_root_slot() : pick(1ul << radix_of(root));
        if (occupied < 0 || root < 0 || caps[root].tag != T_CNODE)
            break;
        if ((at((struct loc){ caps[root].obj, slot }) >= 0) == (occupied == 1))
            break;
    }
    return slot;
}

/* (index, depth) naming `slot` through the cap `root`: usually right, sometimes a random
 * depth or an index out of range. */
static void name_slot(int root, fz_word slot, fz_word *index, fz_word *depth)
{
    *index = slot;
    *depth = seL4_WordBits;
    if (root >= 0 && caps[root].tag == T_CNODE) {
        *index = caps[root].guard << radix_of(root) | slot;
        *depth = caps[root].guard_size + radix_of(root);
    }
    unsigned r = (unsigned)pick(100);
    if (r < 6)
        *depth = pick(71);
    else if (r < 7)
        *depth = rnd();
    else if (r < 10)
        *index += (1 + pick(1000)) << (root >= 0 && caps[root].tag == T_CNODE ? radix_of(root) : 16);
    else if (r < 11)
        *index = rnd();
}

/* A CNode cap to use as a root: the root CNode, a handle, sometimes something else. An
 * invoked one must be a CNode, untyped or null cap (no other invocation is safe to make). */
static fz_word pick_cnode_slot(bool invoked)
{
    unsigned r = (unsigned)pick(100);
    fz_word s = seL4_CapInitThreadCNode;
    if (r < 66)
        s = seL4_CapInitThreadCNode;
    else if (r < 90)
        s = env.handle[pick(2)];
    else if (r < 96) {
        for (int tries = 0; tries < 8; tries++) {
            fz_word w = ws_slot();
            if (tag_at((struct loc){ ROOT_OBJ, w }) == T_CNODE) {
                s = w;
                break;
            }
        }
    } else {
        s = pick_root_slot();
    }
    int c = root_at(s);
    if (c >= 0 && (caps[c].nosrc || (invoked && caps[c].tag != T_CNODE && caps[c].tag != T_UNTYPED)))
        s = seL4_CapInitThreadCNode;
    return s;
}

/* The cap (index, depth) names from the cap in root slot `root`, or -1. */
static int quiet_lookup(fz_word root, fz_word index, fz_word depth)
{
    struct result ignored;
    struct loc l;
    return lookup(root_at(root), index, depth, true, &l, &ignored) ? at(l) : -1;
}

static fz_word random_rights(void) { return chance(60) ? 0xf : chance(90) ? pick(16) : rnd(); }

static fz_word random_data(int cap)
{
    unsigned r = (unsigned)pick(100);
    if (r < 35)
        return 0;
    if (r < 60)
        return 1 + pick(8);
    if (r < 75) /* a guard of a few bits */
        return pick(16) << seL4_GuardSizeBits | pick(9);
    if (r < 85 && cap >= 0 && caps[cap].tag == T_CNODE) /* guard size + radix = 64 */
        return seL4_WordBits - radix_of(cap);
    return rnd();
}

static void gen_cnode(struct plan *p, fz_word label)
{
    *p = (struct plan){ .label = label, .dest = { -1, 0 }, .src = { -1, 0 }, .pivot = { -1, 0 } };
    p->service = pick_cnode_slot(true);
    int root = root_at(p->service);
    bool fills = label >= CNodeCopy && label <= CNodeRotate;
    bool swap = label == CNodeRotate && chance(33); /* a Rotate whose source is its destination */
    fz_word slot = pick_slot(root, fills && !swap ? (chance(85) ? 0 : 1) : (chance(80) ? 1 : -1));
    if (label == CNodeCancelBadgedSends && root >= 0 && caps[root].tag == T_CNODE && chance(60))
        sample_occupied(caps[root].obj, T_EP, &slot);
    if (label == CNodeRevoke && chance(4)) { /* revoke a carved untyped: everything from it goes */
        p->service = seL4_CapInitThreadCNode;
        root = root_at(p->service);
        slot = env.untyped[pick(env.n_untyped)].slot;
    }
    name_slot(root, slot, &p->mr[0], &p->mr[1]);
    p->length = 2;
    if (!fills)
        return;

    fz_word src_root = pick_cnode_slot(false);
    int sr = root_at(src_root);
    name_slot(sr, pick_slot(sr, chance(90) ? 1 : -1), &p->mr[2], &p->mr[3]);
    p->ncaps = 1;
    p->caps[0] = src_root;
    int src_cap = quiet_lookup(src_root, p->mr[2], p->mr[3]);
    switch (label) {
    case CNodeCopy:
        p->mr[4] = random_rights();
        p->length = 5;
        break;
    case CNodeMint:
        p->mr[4] = random_rights();
        p->mr[5] = random_data(src_cap);
        p->length = 6;
        break;
    case CNodeMove:
        p->length = 4;
        break;
    case CNodeMutate:
        p->mr[4] = random_data(src_cap);
        p->length = 5;
        break;
    default: { /* Rotate: MR2 dest data, MR3/4 pivot, MR5 pivot data, MR6/7 source */
        fz_word src_index = p->mr[2], src_depth = p->mr[3];
        fz_word pivot_root = pick_cnode_slot(false);
        int pr = root_at(pivot_root);
        name_slot(pr, pick_slot(pr, chance(85) ? 1 : -1), &p->mr[3], &p->mr[4]);
        p->mr[2] = random_data(quiet_lookup(pivot_root, p->mr[3], p->mr[4]));
        p->mr[5] = random_data(src_cap);
        if (swap) {
            src_root = p->service;
            src_index = p->mr[0];
            src_depth = p->mr[1];
        }
        p->mr[6] = src_index;
        p->mr[7] = src_depth;
        p->caps[0] = pivot_root;
        p->caps[1] = src_root;
        p->ncaps = 2;
        p->length = 8;
        break;
    }
    }
}

/* An untyped to retype from: mostly a carved one, sometimes one made by Retype. */
static fz_word pick_untyped_slot(void)
{
    unsigned r = (unsigned)pick(100);
    if (r >= 55 && r < 95) {
        for (int tries = 0; tries < 10; tries++) {
            fz_word s = chance(85) || !n_strays ? ws_slot() : strays[pick(n_strays)].index;
            int c = root_at(s);
            if (c >= 0 && caps[c].tag == T_UNTYPED && !caps[c].nosrc)
                return s;
        }
    } else if (r >= 95) {
        fz_word s = pick_root_slot();
        int c = root_at(s);
        if (c < 0 || (caps[c].tag == T_CNODE) || (caps[c].tag == T_UNTYPED && !caps[c].nosrc))
            return s;
    }
    return env.untyped[pick(env.n_untyped)].slot;
}

static fz_word random_type(void)
{
    static const uint8_t common[] = { seL4_UntypedObject, seL4_UntypedObject, seL4_TCBObject, seL4_EndpointObject,
                                      seL4_EndpointObject, seL4_EndpointObject, seL4_NotificationObject,
                                      seL4_NotificationObject, seL4_CapTableObject, seL4_CapTableObject,
                                      seL4_CapTableObject, seL4_SchedContextObject, seL4_ReplyObject,
                                      seL4_X86_PDPTObject, seL4_X64_PML4Object, seL4_X64_HugePageObject,
                                      seL4_X86_4K, seL4_X86_4K, seL4_X86_LargePageObject, seL4_X86_PageTableObject,
                                      seL4_X86_PageDirectoryObject };
    unsigned r = (unsigned)pick(100);
    if (r < 96)
        return common[pick(sizeof(common))];
    if (r < 98)
        return seL4_ObjectTypeCount + pick(3);
    return chance(50) ? 0xffffff : rnd();
}

static fz_word random_size(fz_word type)
{
    unsigned r = (unsigned)pick(100);
    if (r >= 95)
        return chance(80) ? pick(71) : rnd();
    switch (type) {
    case seL4_UntypedObject: return r < 82 ? seL4_MinUntypedBits + pick(11) : pick(seL4_MinUntypedBits);
    case seL4_CapTableObject: return r < 84 ? 1 + pick(6) : 0;
    case seL4_SchedContextObject: return r < 82 ? seL4_MinSchedContextBits + pick(4) : pick(7);
    default: return r < 80 ? 0 : pick(64);
    }
}

static fz_word random_count(void)
{
    unsigned r = (unsigned)pick(100);
    if (r < 40)
        return 1;
    if (r < 70)
        return 2 + pick(3);
    if (r < 90)
        return 5 + pick(12);
    if (r < 96)
        return 17 + pick(48);
    if (r < 98)
        return 0;
    return chance(70) ? CONFIG_RETYPE_FAN_OUT_LIMIT + 1 + pick(50) : rnd();
}

static void gen_retype(struct plan *p)
{
    *p = (struct plan){ .label = UntypedRetype, .length = 6, .ncaps = 1, .dest = { -1, 0 }, .src = { -1, 0 },
                        .pivot = { -1, 0 } };
    p->service = pick_untyped_slot();
    p->mr[0] = random_type();
    p->mr[1] = random_size(p->mr[0]);
    unsigned r = (unsigned)pick(100);
    p->caps[0] = r < 85 ? seL4_CapInitThreadCNode : r < 95 ? env.handle[pick(2)] : pick_root_slot();
    int root = root_at(p->caps[0]);
    /* The destination CNode: the root argument itself (depth 0) or a CNode cap in it. */
    int dest = root;
    r = (unsigned)pick(100);
    if (r < 65) {
        p->mr[2] = pick(4) ? 0 : rnd();
        p->mr[3] = 0;
    } else if (r < 94) {
        fz_word slot = chance(60) ? env.handle[pick(2)] : pick_slot(root, 1);
        if (chance(50) && root >= 0 && caps[root].tag == T_CNODE)
            sample_occupied(caps[root].obj, T_CNODE, &slot);
        if (root >= 0 && caps[root].tag == T_CNODE && caps[root].obj != ROOT_OBJ)
            slot = pick(1ul << radix_of(root));
        name_slot(root, slot, &p->mr[2], &p->mr[3]);
        struct result ignored;
        struct loc l;
        dest = lookup(root, p->mr[2], p->mr[3], false, &l, &ignored) ? at(l) : -1;
    } else {
        p->mr[2] = chance(50) ? pick(root_slots()) : rnd();
        p->mr[3] = pick(71);
    }
    p->mr[5] = random_count();
    /* Where in it: the working set for the root CNode, anywhere for the others. */
    r = (unsigned)pick(100);
    bool dest_root = dest < 0 || caps[dest].tag != T_CNODE || caps[dest].obj == ROOT_OBJ;
    fz_word slots = dest >= 0 && caps[dest].tag == T_CNODE ? 1ul << radix_of(dest) : root_slots();
    if (r < 94) {
        fz_word n = p->mr[5] >= 1 && p->mr[5] <= 64 ? p->mr[5] : 1;
        fz_word span = dest_root ? env.ws_count : slots;
        fz_word base = dest_root ? env.ws_base : 0;
        /* Mostly a run of empty slots (a few tries), else wherever. */
        for (int tries = chance(75) ? 8 : 1; tries > 0; tries--) {
            p->mr[4] = base + (span > n ? pick(span - n + 1) : 0);
            bool empty = true;
            for (fz_word i = 0; dest >= 0 && caps[dest].tag == T_CNODE && i < n && empty; i++)
                empty = at((struct loc){ caps[dest].obj, p->mr[4] + i }) < 0;
            if (empty)
                break;
        }
        if (chance(5))
            p->mr[4] = base + pick(span);
    } else if (r < 97) {
        p->mr[4] = pick(slots);
    } else {
        p->mr[4] = chance(50) ? slots + pick(10) : rnd();
    }
}

/* Wrong labels, short messages, missing extra caps. */
static void gen_raw(struct plan *p)
{
    static const fz_word labels[] = { UntypedRetype, CNodeRevoke, CNodeDelete, CNodeCancelBadgedSends, CNodeCopy,
                                      CNodeMint, CNodeMove, CNodeMutate, CNodeRotate, CNodeRevoke - 1,
                                      CNodeRotate + 1, 0 };
    if (chance(30)) {
        gen_retype(p);
        p->label = chance(50) ? UntypedRetype : labels[pick(sizeof(labels) / sizeof(labels[0]))];
    } else {
        gen_cnode(p, labels[1 + pick(8)]);
        p->label = chance(70) ? p->label : labels[pick(sizeof(labels) / sizeof(labels[0]))];
    }
    p->raw = true;
    p->length = pick(9);
    p->ncaps = (unsigned)pick(3);
    if (p->ncaps > 0 && p->caps[0] == 0)
        p->caps[0] = pick_cnode_slot(false);
    if (p->ncaps > 1 && p->caps[1] == 0)
        p->caps[1] = pick_cnode_slot(false);
}

/* ---- the CNode handles ---- */

/* handle 0: a CNode of 2^5 slots with a guard making depth 64 right (like the root CNode);
 * handle 1: 2^6 slots, no guard, depth 6. Both are made from the carved untypeds, so a
 * Revoke of one of those takes a handle's CNode with all its contents. */
static const unsigned handle_radix[2] = { 5, 6 };

static bool handle_ok(int k)
{
    int c = root_at(env.handle[k]);
    return c >= 0 && caps[c].tag == T_CNODE && radix_of(c) == handle_radix[k] &&
           caps[c].guard_size + handle_radix[k] == (k == 0 ? seL4_WordBits : handle_radix[k]);
}

static fz_word ram_untyped_slot(void)
{
    for (int tries = 0; tries < 16; tries++) {
        unsigned i = (unsigned)pick(env.n_untyped);
        if (!env.untyped[i].device)
            return env.untyped[i].slot;
    }
    return env.untyped[0].slot;
}

/* The next step towards a working handle k: delete what is there, make the CNode (handle 1
 * directly; handle 0 in the working set, then Mutate it into place with its guard). */
static void gen_handle_step(struct plan *p, int k)
{
    int c = root_at(env.handle[k]);
    if (c >= 0 || handle_ok(k)) {
        gen_cnode(p, CNodeDelete);
        p->service = seL4_CapInitThreadCNode;
        p->mr[0] = env.handle[k];
        p->mr[1] = seL4_WordBits;
        return;
    }
    fz_word ready = 0;
    for (fz_word i = 0; i < env.ws_count && k == 0 && !ready; i++) {
        int w = root_at(env.ws_base + i);
        if (w >= 0 && caps[w].tag == T_CNODE && radix_of(w) == handle_radix[0] && caps[w].obj != ROOT_OBJ)
            ready = env.ws_base + i;
    }
    if (ready) {
        gen_cnode(p, CNodeMutate);
        p->service = seL4_CapInitThreadCNode;
        p->caps[0] = seL4_CapInitThreadCNode;
        p->mr[0] = env.handle[0];
        p->mr[1] = seL4_WordBits;
        p->mr[2] = ready;
        p->mr[3] = seL4_WordBits;
        p->mr[4] = seL4_WordBits - handle_radix[0];
        return;
    }
    gen_retype(p);
    p->service = ram_untyped_slot();
    p->mr[0] = seL4_CapTableObject;
    p->mr[1] = handle_radix[k];
    p->caps[0] = seL4_CapInitThreadCNode;
    p->mr[2] = p->mr[3] = 0;
    p->mr[5] = 1;
    p->mr[4] = k == 1 ? env.handle[1] : ws_slot();
}

/* ---- the engine's entry points ---- */

bool fuzz_setup(const struct fuzz_env *e, uint64_t seed)
{
    /* A fresh model (the host test runs several seeds in one program). */
    env = *e;
    rng = seed * 0x9e3779b97f4a7c15ull + 1;
    memset(&fuzz_stats, 0, sizeof(fuzz_stats));
    memset(boot_known, 0, sizeof(boot_known));
    objs_top = 1; /* objs[ROOT_OBJ] */
    caps_top = 0;
    free_objs = free_caps = -1;
    live_caps = 0;
    n_strays = reports = 0;
    model_full = handles_unlocked = false;
    for (unsigned i = 0; i < MAP_SIZE; i++)
        map[i].cap = -1;
    objs[ROOT_OBJ] = (struct obj){ .tag = T_CNODE, .radix = (uint8_t)env.root_radix, .used = true };
    (void)root_at(seL4_CapInitThreadCNode);

    /* The untypeds everything is made from, carved from boot untypeds. */
    for (unsigned i = 0; i < env.n_untyped; i++) {
        int parent = root_at(env.untyped[i].parent);
        fz_word out[4];
        const fz_word mr[6] = { seL4_UntypedObject, env.untyped[i].bits, 0, 0, env.untyped[i].slot, 1 };
        const fz_word root = seL4_CapInitThreadCNode;
        fz_word e = call(env.untyped[i].parent, UntypedRetype, 6, 1, &root, mr, out);
        if (parent < 0 || caps[parent].tag != T_UNTYPED || e != seL4_NoError) {
            printf("fuzz: carving an untyped of 2^%u from slot %lu: error %lu\n", env.untyped[i].bits,
                   (unsigned long)env.untyped[i].parent, (unsigned long)e);
            return false;
        }
        int c = cap_new(obj_new(T_UNTYPED), T_UNTYPED, (struct loc){ ROOT_OBJ, env.untyped[i].slot });
        caps[c].parent = parent;
        caps[c].revocable = true;
        caps[c].ut_bits = (uint8_t)env.untyped[i].bits;
        caps[c].device = env.untyped[i].device;
    }

    /* The two CNode handles. */
    handles_unlocked = true;
    for (int k = 0; k < 2; k++)
        for (int step = 0; step < 3 && !handle_ok(k); step++) {
            struct plan p;
            gen_handle_step(&p, k);
            predict(&p);
            if (!p.ok || !run(&p)) {
                printf("fuzz: making CNode handle %d failed (error %lu)\n", k, (unsigned long)p.res.err);
                handles_unlocked = false;
                return false;
            }
        }
    handles_unlocked = false;
    fuzz_stats.ops = 0;
    memset(fuzz_stats.by_kind, 0, sizeof(fuzz_stats.by_kind));
    return fuzz_sweep();
}

static unsigned occupancy(void) /* percent of the working set in use */
{
    unsigned n = 0;
    for (fz_word i = 0; i < env.ws_count; i++)
        n += root_at(env.ws_base + i) >= 0;
    return (unsigned)(n * 100 / env.ws_count);
}

bool fuzz_step(void)
{
    static unsigned fill;
    if (fuzz_stats.ops % 64 == 0) {
        fill = occupancy();
        fuzz_stats.fill_sum += fill;
        fuzz_stats.fill_samples++;
    }
    op_number = fuzz_stats.ops;
    struct plan p;

    /* Now and then a handle is dropped; a missing one is rebuilt over a few operations. */
    for (int k = 0; k < 2; k++) {
        if ((handle_ok(k) && chance(1) && chance(30)) || (!handle_ok(k) && chance(8))) {
            handles_unlocked = true;
            gen_handle_step(&p, k);
            predict(&p);
            bool ok = !allowed(&p) || run(&p);
            handles_unlocked = false;
            fuzz_stats.handle_ops++;
            return ok && !model_full;
        }
    }

    for (int tries = 0;; tries++) {
        unsigned r = (unsigned)pick(1000);
        /* Keep the working set between full and empty. */
        if (fill > 70 && r < 220 && chance(50))
            r = 800;
        else if (fill < 40 && r >= 710 && r < 940 && chance(40))
            r = 0;
        if (r < 220)
            gen_retype(&p);
        else if (r < 340)
            gen_cnode(&p, CNodeCopy);
        else if (r < 450)
            gen_cnode(&p, CNodeMint);
        else if (r < 550)
            gen_cnode(&p, CNodeMove);
        else if (r < 630)
            gen_cnode(&p, CNodeMutate);
        else if (r < 710)
            gen_cnode(&p, CNodeRotate);
        else if (r < 860)
            gen_cnode(&p, CNodeDelete);
        else if (r < 940)
            gen_cnode(&p, CNodeRevoke);
        else if (r < 970)
            gen_cnode(&p, CNodeCancelBadgedSends);
        else
            gen_raw(&p);
        predict(&p);
        if (allowed(&p))
            break;
        if (tries == 50)
            return true; /* nothing safe came up: skip */
    }
    bool ok = run(&p);
    if (model_full) {
        printf("fuzz: the model's tables are full (%d objects, %d caps)\n", MAX_OBJS, MAX_CAPS);
        return false;
    }
    return ok;
}

bool fuzz_sweep(void)
{
    struct fuzz_stats *s = &fuzz_stats;
    unsigned long bad = s->sweep_bad;
    s->sweeps++;
    for (fz_word i = 0; i < env.ws_count; i++)
        check_loc("sweep", (struct loc){ ROOT_OBJ, env.ws_base + i }, &s->swept, &s->sweep_bad);
    for (unsigned i = 0; i < n_strays; i++)
        check_loc("sweep", strays[i], &s->swept, &s->sweep_bad);
    const fz_word own[] = { env.handle[0], env.handle[1], env.scratch };
    for (unsigned i = 0; i < 3; i++)
        check_loc("sweep", (struct loc){ ROOT_OBJ, own[i] }, &s->swept, &s->sweep_bad);
    for (unsigned i = 0; i < env.n_untyped; i++)
        check_loc("sweep", (struct loc){ ROOT_OBJ, env.untyped[i].slot }, &s->swept, &s->sweep_bad);
    /* The handles' CNodes, slot by slot. */
    for (int k = 0; k < 2; k++) {
        int c = root_at(env.handle[k]);
        if (c < 0 || caps[c].tag != T_CNODE || radix_of(c) > 6 || caps[c].obj == ROOT_OBJ)
            continue;
        for (fz_word i = 0; i < (1ul << radix_of(c)); i++)
            check_loc("sweep", (struct loc){ caps[c].obj, i }, &s->swept, &s->sweep_bad);
    }
    return s->sweep_bad == bad;
}

bool fuzz_finish(void)
{
    bool ok = true;
    struct plan p;
    handles_unlocked = true;
    /* Revoke the carved untypeds: every object made in the run goes, with the handles'
     * CNodes and whatever they held. */
    for (unsigned i = 0; i < env.n_untyped && ok; i++) {
        gen_cnode(&p, CNodeRevoke);
        p.service = seL4_CapInitThreadCNode;
        p.mr[0] = env.untyped[i].slot;
        p.mr[1] = seL4_WordBits;
        predict(&p);
        ok = p.ok && run(&p);
    }
    /* Copies of the root task's own caps are all that may be left, wherever in the root
     * CNode they went. */
    for (int i = 0; i < caps_top && ok; i++) {
        if (!caps[i].alive || caps[i].cnode != ROOT_OBJ || caps[i].index < env.boot_end ||
            is_untyped_slot(caps[i].index))
            continue;
        gen_cnode(&p, CNodeDelete);
        p.service = seL4_CapInitThreadCNode;
        p.mr[0] = caps[i].index;
        p.mr[1] = seL4_WordBits;
        predict(&p);
        ok = p.ok && run(&p);
    }
    handles_unlocked = false;
    ok = ok && fuzz_sweep();
    /* The model agrees: only the root task's caps and the carved untypeds are left. */
    for (int i = 0; i < caps_top && ok; i++)
        if (caps[i].alive && !(caps[i].cnode == ROOT_OBJ &&
                               (caps[i].index < env.boot_end || is_untyped_slot(caps[i].index)))) {
            printf("fuzz: a cap of type %u is left in slot %d:%lu\n", caps[i].tag, caps[i].cnode,
                   (unsigned long)caps[i].index);
            ok = false;
        }
    /* Each carved untyped is whole again: a Retype would find all of it free. */
    for (unsigned i = 0; i < env.n_untyped && ok; i++) {
        fz_word out[4];
        const fz_word mr[6] = { seL4_UntypedObject, seL4_MaxUntypedBits, 0, 0, env.scratch, 1 };
        const fz_word root = seL4_CapInitThreadCNode;
        fz_word e = call(env.untyped[i].slot, UntypedRetype, 6, 1, &root, mr, out);
        if (e != seL4_NotEnoughMemory || out[0] != 1ul << env.untyped[i].bits) {
            printf("fuzz: untyped %lu: %lu bytes free after the final Revoke, expected %lu\n",
                   (unsigned long)env.untyped[i].slot, (unsigned long)out[0], 1ul << env.untyped[i].bits);
            ok = false;
        }
    }
    return ok;
}

const char *fuzz_kind_name(enum fuzz_kind k)
{
    static const char *const names[FZ_KINDS] = { "Retype", "Copy", "Mint", "Move", "Mutate", "Rotate", "Delete",
                                                 "Revoke", "CancelBadgedSends", "malformed" };
    return names[k];
}

void fuzz_print_summary(void)
{
    static const char *const errs[FZ_RESULTS] = { "ok", "InvArg", "InvCap", "IllOp", "Range", "Align", "Lookup",
                                                  "Trunc", "DelFirst", "RevFirst", "NoMem", "other" };
    printf("%-18s %6s", "operation", "total");
    for (int e = 0; e < FZ_RESULTS; e++)
        printf(" %8s", errs[e]);
    printf("\n");
    unsigned long total[FZ_RESULTS] = { 0 };
    for (int k = 0; k < FZ_KINDS; k++) {
        unsigned long n = 0;
        for (int e = 0; e < FZ_RESULTS; e++)
            n += fuzz_stats.by_kind[k][e];
        printf("%-18s %6lu", fuzz_kind_name((enum fuzz_kind)k), n);
        for (int e = 0; e < FZ_RESULTS; e++) {
            printf(" %8lu", fuzz_stats.by_kind[k][e]);
            total[e] += fuzz_stats.by_kind[k][e];
        }
        printf("\n");
    }
    printf("%-18s %6lu", "all", fuzz_stats.ops);
    for (int e = 0; e < FZ_RESULTS; e++)
        printf(" %8lu", total[e]);
    printf("\n");
}
