# Runtime for the bare-metal tests: stack, M-mode trap entry that saves all
# registers in a frame and calls the C handler, S-mode trap entry likewise,
# and enter_mode() to run a function in a lower privilege mode until it makes
# the "exit" ecall (a7 = 93), which returns its a0 to the caller in M-mode.

#define FRAME 256
.macro SAVE_ALL
  addi sp, sp, -FRAME
  .irp n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    sd x\n, (\n*8)(sp)
  .endr
  addi t0, sp, FRAME
  sd t0, 16(sp)          # the interrupted sp
.endm
.macro RESTORE_ALL
  .irp n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    ld x\n, (\n*8)(sp)
  .endr
  addi sp, sp, FRAME
.endm

  .section .text.init
  .globl _start
_start:
  la sp, _stack_top
  la t0, m_trap_entry
  csrw mtvec, t0
  li t0, (1 << 13)       # mstatus.FS = Initial: the FPU is usable
  csrs mstatus, t0
  call main
  call finish            # never returns
1: j 1b

  .align 4
  .globl m_trap_entry
m_trap_entry:
  SAVE_ALL
  csrr a0, mcause
  csrr a1, mepc
  csrr a2, mtval
  mv a3, sp
  call m_trap            # returns the pc to resume at
  csrw mepc, a0
  RESTORE_ALL
  mret

  .align 4
  .globl s_trap_entry
s_trap_entry:
  SAVE_ALL
  csrr a0, scause
  csrr a1, sepc
  csrr a2, stval
  mv a3, sp
  call s_trap
  csrw sepc, a0
  RESTORE_ALL
  sret

# uint64_t enter_mode(uint64_t mpp, uint64_t (*fn)(uint64_t), uint64_t arg)
  .globl enter_mode
enter_mode:
  la t0, saved_context
  sd ra, 0(t0)
  sd sp, 8(t0)
  .irp n, 0,1,2,3,4,5,6,7,8,9,10,11
    sd s\n, (16 + \n*8)(t0)
  .endr
  li t1, (3 << 11)
  csrc mstatus, t1
  slli a0, a0, 11
  csrs mstatus, a0
  csrw mepc, a1
  la ra, exit_ecall      # fn returning normally makes the exit ecall
  mv a0, a2
  mret
exit_ecall:
  li a7, 93
  ecall
1: j 1b

  .globl resume_machine
resume_machine:          # reached via mret from m_trap after the exit ecall
  la t0, saved_context
  ld ra, 0(t0)
  ld sp, 8(t0)
  .irp n, 0,1,2,3,4,5,6,7,8,9,10,11
    ld s\n, (16 + \n*8)(t0)
  .endr
  ret

  .bss
  .align 3
saved_context: .space 16 + 12*8
