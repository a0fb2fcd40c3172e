#ifndef _CAIRN_ERRNO_H
#define _CAIRN_ERRNO_H

/* A plain global: Cairn user programs are single-threaded for now. */
extern int errno;

/* Values are the Linux/x86_64 ones so messages and tests line up with
 * what seL4/musl users expect. */
#define EPERM        1
#define ENOENT       2
#define EINTR        4
#define EIO          5
#define E2BIG        7
#define EBADF        9
#define EAGAIN      11
#define EWOULDBLOCK EAGAIN
#define ENOMEM      12
#define EACCES      13
#define EFAULT      14
#define EBUSY       16
#define EEXIST      17
#define ENODEV      19
#define EINVAL      22
#define ENOSPC      28
#define EDOM        33
#define ERANGE      34
#define ENOSYS      38
#define EOVERFLOW   75
#define ENOTSUP     95
#define EOPNOTSUPP  ENOTSUP

#endif
