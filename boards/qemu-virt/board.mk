# QEMU virt: everything Tessera needs comes from the DTB QEMU generates.
BOARD_QEMU_MACHINE := virt,virtualization=on
# The PL011 used for the one message printed before the DTB can be read
# ("not entered at EL2"); everything else comes from the DTB.
BOARD_CFLAGS := -DBOARD_EARLY_UART=0x09000000

# The demo's disks (boards/qemu-virt/demo.dts): one virtio-blk each on
# virtio-mmio transports 0 and 8, which sit on different 4 KiB pages.
DEMO_DISKS := $(BUILD)/demo/linux0.img $(BUILD)/demo/linux1.img
DEMO_QEMU_ARGS := \
	-drive if=none,file=$(BUILD)/demo/linux0.img,format=raw,id=disk0 \
	-device virtio-blk-device,drive=disk0,bus=virtio-mmio-bus.0 \
	-drive if=none,file=$(BUILD)/demo/linux1.img,format=raw,id=disk1 \
	-device virtio-blk-device,drive=disk1,bus=virtio-mmio-bus.8
