# QEMU virt: everything Tessera needs comes from the DTB QEMU generates.
BOARD_QEMU_MACHINE := virt,virtualization=on
# The PL011 used for the one message printed before the DTB can be read
# ("not entered at EL2"); everything else comes from the DTB.
BOARD_CFLAGS := -DBOARD_EARLY_UART=0x09000000
