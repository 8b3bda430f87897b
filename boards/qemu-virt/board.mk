# QEMU virt: everything Tessera needs comes from the DTB QEMU generates.
BOARD_QEMU_MACHINE := virt,virtualization=on
