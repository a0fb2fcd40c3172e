/*
 * Deleting capabilities and revoking (abi §9.2).
 *
 * Deleting the final cap of an object destroys the object (the table in abi §9.2). Most
 * objects go at once. CNodes and TCBs hold caps themselves, and those may be the final caps
 * of further CNodes and TCBs, to any depth and even in cycles. Their deletion must be
 * preemptible and restartable, with no kernel heap and no recursion in the kernel.
 *
 * Zombies. When the final cap of a CNode or TCB is deleted, the object is finalised (a TCB
 * is stopped) and the cap is replaced, in its slot and MDB position, by a Zombie cap: "the
 * object with these slots is dying; its first n slots may still hold caps". Keeping the MDB
 * position keeps the memory owned by its untyped until the zombie is gone. All progress is
 * stored in zombies, so when a long deletion is preempted the thread re-executes its syscall
 * and the new Delete (or Revoke) finds the zombie in the slot it names and goes on.
 *
 * The work. The slot being deleted ("top") holds a zombie; the last slot that its object may
 * still use (index n - 1) may hold another zombie or the final cap of another CNode or TCB,
 * whose object's last slot may hold another, and so on. Each step walks this chain from top
 * to its end (a loop, not recursion) and does one bounded unit of work there:
 *   - a plain cap: finalise its object if the cap is final, empty the slot;
 *   - the final cap of a CNode or TCB: finalise the object, the cap becomes its zombie;
 *   - a zombie whose last slot is empty: n - 1; whose last slot holds a plain cap: delete
 *     that cap, n - 1; with n = 0: the object is dead, empty the zombie's slot;
 * with a preemption point between steps. The whole object tree under top is destroyed.
 *
 * Cycles. The walk can only come back to top: every slot below top on the chain is the last
 * slot of the object of the zombie above it, and an object has one zombie at most (zombies
 * are final and cannot be copied). So there are two cases:
 *   - top's zombie is for the object that contains top (a CNode holding its own last cap):
 *     top is skipped (n - 1), the object is emptied around it, and top goes last;
 *   - a deeper zombie's object contains top (a ring of objects holding each other's last
 *     caps: reached through Revoke, or by a thread that dropped its CSpace root deleting its
 *     own TCB). Top dies with its container C, so C must go last: the ring is turned into a
 *     chain. Top takes C's zombie (first case); top's old zombie is parked in the slot of C
 *     that the zombie reaches next, and that slot's old cap goes to the deeper zombie's
 *     slot, where it is deleted in its turn. Caps keep their MDB positions throughout.
 *     That keeps top the way in to the work, as a restarted Delete (it names top) needs.
 *     A restarted Revoke finds its work through the MDB instead: its child's zombie, which
 *     parking would hide in C's slots with C's zombie in top, a zombie outside the revoked
 *     subtree that the restarted Revoke never meets (it stayed half-destroyed, keeping its
 *     untyped from resetting). So when the ring is met deleting a child for Revoke, top's
 *     zombie moves into a slot of its own object that is not the next one to empty, and top
 *     takes that slot's cap: the ring is open, and the whole work hangs off the child's
 *     zombie, wherever the restart meets it.
 *
 * Difference from seL4, as far as its public source shows: seL4 does not descend. A nested
 * dying object's zombie is parked in the object's own first slot ("cyclic zombie") and the
 * rest of its contents waits for a later Revoke of its untyped. Cairn destroys the whole
 * tree in the one Delete, as abi §9.2 describes ("all its slots are deleted recursively").
 *
 * Costs: a step is O(1) plus the walk, which is as long as the chain of nested objects being
 * destroyed (usually 1 or 2).
 *
 * Revoke deletes the caps that follow the slot in the MDB while they are its children, one
 * cte_delete each, with a preemption point between them. A child whose deletion is preempted
 * holds a zombie in the same MDB position, so the restarted Revoke meets it again.
 *
 * The running thread may destroy its own TCB: it becomes Inactive and leaves the ready
 * queue, so after the syscall the scheduler runs someone else (or idles). If that deletion is
 * preempted, the thread never restarts it; the zombie stays until somebody deletes it.
 */
#include "delete.h"
#include "arch.h"
#include "tcb.h"
#include "endpoint.h"
#include "notification.h"
#include "reply.h"
#include "schedcontext.h"
#include "irq.h"
#include "preempt.h"
#include "printk.h"

/* Whether deleting the cap in s must empty the slots of its object first. */
static bool deletes_contents(const cte_t *s)
{
    enum cap_type t = cap_get_type(s->cap);
    return (t == cap_cnode || t == cap_thread) && is_final_cap(s);
}

/* Finalise the object of a cap being deleted (final: it is the object's last cap). Returns
 * the zombie that replaces the cap of a CNode or TCB, else a null cap. */
static cap_t finalise_cap(cap_t c, bool final)
{
    if (cap_is_arch(c)) {
        arch_finalise_cap(c, final);
        return cap_null_cap();
    }
    if (!final)
        return cap_null_cap();
    switch (cap_get_type(c)) {
    case cap_endpoint:
        endpoint_finalise(cap_ptr(c));
        break;
    case cap_notification:
        notification_finalise(cap_ptr(c));
        break;
    case cap_reply:
        reply_finalise(cap_ptr(c));
        break;
    case cap_sched_context:
        sched_context_finalise(cap_ptr(c));
        break;
    case cap_cnode:
        return cap_zombie_new(cap_cnode_slots(c), cap_cnode_radix(c), BIT(cap_cnode_radix(c)));
    case cap_thread: {
        tcb_t *t = cap_ptr(c);
        tcb_finalise(t);
        return cap_zombie_new(t->cnode, ZOMBIE_TCB, tcb_slot_count);
    }
    case cap_zombie:
        return c;
    case cap_irq_handler:
        irq_handler_finalise(cap_irq_handler_irq(c));
        break;
    default: /* untyped, domain, IRQ control, sched control: nothing to destroy */
        break;
    }
    return cap_null_cap();
}

void cte_delete_one(cte_t *slot)
{
    if (cap_is_null(slot->cap))
        return;
    kassert(cap_get_type(slot->cap) != cap_zombie && !deletes_contents(slot));
    cap_t rest = finalise_cap(slot->cap, is_final_cap(slot));
    kassert(cap_is_null(rest));
    cte_remove(slot);
}

/* The end of the chain of pending work that starts at top (see the top of the file). */
static cte_t *chain_end(cte_t *top)
{
    cte_t *s = top;
    for (;;) {
        if (cap_get_type(s->cap) != cap_zombie || cap_zombie_remaining(s->cap) == 0)
            return s;
        cte_t *last = &cap_zombie_slots(s->cap)[cap_zombie_remaining(s->cap) - 1];
        if (last == top || (cap_get_type(last->cap) != cap_zombie && !deletes_contents(last)))
            return s;
        s = last;
    }
}

/* A ring through top: s holds the zombie of the object C that contains top, which is C's
 * last slot still to empty (see the top of the file). */
static void break_ring(cte_t *top, cte_t *s)
{
    cte_t *slots = cap_zombie_slots(s->cap);
    word_t i = (word_t)(top - slots), j = i > 0 ? i - 1 : 1; /* C has two slots at least */
    if (j >= cap_zombie_remaining(s->cap))
        s->cap = cap_zombie_set_remaining(s->cap, j + 1);
    cte_swap(top, top->cap, s, s->cap);             /* top: C's zombie; s: top's old zombie */
    cte_swap(s, s->cap, &slots[j], slots[j].cap);   /* slot j: top's old zombie; s: j's cap */
}

/* A ring through top met while deleting a child for Revoke (see the top of the file): top's
 * zombie becomes self-contained, in a slot of its object other than the last one to empty
 * (that one leads into the ring), and top takes that slot's cap. */
static void contain_top(cte_t *top)
{
    cte_t *slots = cap_zombie_slots(top->cap);
    word_t k = 0;
    if (cap_zombie_remaining(top->cap) == 1) { /* slot 0 leads on: use slot 1 (objects have two at least) */
        k = 1;
        top->cap = cap_zombie_set_remaining(top->cap, 2);
    }
    cte_swap(top, top->cap, &slots[k], slots[k].cap);
}

/* One unit of work; true once top is empty. for_revoke: top is a child being revoked. */
static bool delete_step(cte_t *top, bool for_revoke)
{
    cte_t *s = chain_end(top);
    cap_t c = s->cap;
    if (cap_is_null(c))
        return true;
    if (cap_get_type(c) != cap_zombie) {
        cap_t zombie = finalise_cap(c, is_final_cap(s));
        if (!cap_is_null(zombie)) {
            s->cap = zombie;
            return false;
        }
        cte_remove(s);
        return s == top;
    }
    word_t n = cap_zombie_remaining(c);
    if (n == 0) { /* every slot of the object is empty: it is dead */
        cte_remove(s);
        return s == top;
    }
    cte_t *last = &cap_zombie_slots(c)[n - 1];
    if (last == top && s != top) {
        if (for_revoke)
            contain_top(top);
        else
            break_ring(top, s);
        return false;
    }
    if (last != s && !cap_is_null(last->cap)) { /* a plain cap (chain_end went past others) */
        cap_t rest = finalise_cap(last->cap, is_final_cap(last));
        kassert(cap_is_null(rest));
        cte_remove(last);
    }
    s->cap = cap_zombie_set_remaining(c, n - 1); /* last == s: the zombie's own slot goes last */
    return false;
}

static exception_t delete_slot(cte_t *slot, bool for_revoke)
{
    while (!delete_step(slot, for_revoke))
        if (preemption_point())
            return EXCEPTION_PREEMPTED;
    return EXCEPTION_NONE;
}

exception_t cte_delete(cte_t *slot) { return delete_slot(slot, false); }

exception_t cte_revoke(cte_t *slot)
{
    for (cte_t *child = mdb_next(slot); child && is_mdb_parent_of(slot, child); child = mdb_next(slot)) {
        exception_t e = delete_slot(child, true);
        if (e != EXCEPTION_NONE)
            return e;
        if (preemption_point())
            return EXCEPTION_PREEMPTED;
    }
    return EXCEPTION_NONE;
}
