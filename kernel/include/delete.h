/* Deleting capabilities and revoking their descendants (abi §9.2); see delete.c. */
#pragma once
#include "cap.h"
#include "invocation.h"

/* Delete the cap in slot (nothing if it is empty). The final cap of an object destroys the
 * object. Preemptible: EXCEPTION_PREEMPTED means "call again to continue". */
exception_t cte_delete(cte_t *slot);
/* Delete every MDB descendant of the cap in slot. Preemptible like cte_delete. */
exception_t cte_revoke(cte_t *slot);
/* Delete the cap in slot at once (nothing if it is empty): for caps whose deletion is never
 * long-running (not the final cap of a CNode or TCB, not a zombie), such as the notification
 * caps the kernel keeps for IRQs. The final cap of an object destroys the object. */
void cte_delete_one(cte_t *slot);
