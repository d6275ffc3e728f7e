/* A real static riscv64 program, whose truncated copy is one of the bad inputs. */
#include <stdio.h>

int main(void)
{
    puts("hello");
    return 0;
}
