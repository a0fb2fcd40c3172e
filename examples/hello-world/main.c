/* The seL4 "hello-world" tutorial in completed form (both of its tasks): the smallest
 * root task, printing through the C library. */
#include <stdio.h>

int main(int argc, char *argv[]) {
    printf("Hello, World!\n");

    printf("Second hello\n");
    return 0;
}
