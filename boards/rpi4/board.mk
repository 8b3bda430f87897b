# Raspberry Pi 4 Model B (BCM2711): what its device tree cannot tell.
# Everything else (RAM, CPUs and their spin-table release addresses, the
# GIC-400, timer PPIs, UARTs, PSCI when a TF-A armstub adds it, the power
# manager) is read from the DTB the firmware (or QEMU -dtb) passes.
# See docs/raspberry-pi-4.md.

# Before the MMU is on, the one "not entered at EL2" message goes to the
# PL011 (UART0) in low-peripheral mode. The mini-UART's baud clock is the
# VPU core clock, which the DT gives no rate for: config.txt pins it at
# 500 MHz (core_freq=500, core_freq_min=500).
BOARD_CFLAGS := -DBOARD_EARLY_UART=0xfe201000 -DBOARD_MINI_UART_CLOCK_HZ=500000000

# The board's own DTB: Debian's linux-image-*-arm64 ships it; guest-assets.sh
# copies it into the cache (the top Makefile's PI_DTB rule). RPI4_CONSOLE picks the UART Tessera prints on:
# "mini" (the DTB as shipped: stdout-path = serial1, the mini-UART on GPIO
# 14/15) or "pl011" (stdout-path rewritten to serial0, the PL011 UART0).
RPI4_CONSOLE ?= mini
RPI4_DTB_SRC := $(CACHE)/guest/bcm2711-rpi-4-b.dtb
RPI4_DTB := $(BUILD)/bcm2711-rpi-4-b-$(RPI4_CONSOLE).dtb
RPI4_STDOUT_mini := serial1:115200n8
RPI4_STDOUT_pl011 := serial0:115200n8
ifeq ($(RPI4_STDOUT_$(RPI4_CONSOLE)),)
$(error RPI4_CONSOLE=$(RPI4_CONSOLE): use mini or pl011)
endif

# QEMU 10's -M raspi4b: BCM2711, 2 GiB, 4 Cortex-A72 started at EL2 with a
# spin-table stub at 0, -kernel loaded at 2 MiB. Its first -serial is the
# PL011, its second the mini-UART. Tessera's power-off through the BCM2835
# watchdog (reset partition 63, "halt") makes QEMU exit with status 0.
RPI4_SERIAL_mini := -serial null -serial mon:stdio
RPI4_SERIAL_pl011 := -serial mon:stdio -serial null
BOARD_QEMU_ARGS = -M raspi4b -dtb $(RPI4_DTB) -display none -monitor none \
	$(RPI4_SERIAL_$(RPI4_CONSOLE))

# make debug: QEMU's raspi4b loads -kernel at 2 MiB (RAM starts at 0).
DEBUG_LOAD := 0x200000

# The firmware loads kernel8.img-style images: Tessera is one (an arm64
# Image header, position-independent).
BOARD_OUTPUTS := $(BUILD)/kernel8.img $(RPI4_DTB)
BOARD_TARGETS := sdcard deploy

$(BUILD)/kernel8.img: $(BUILD)/tessera.bin
	cp $< $@

$(RPI4_DTB): $(RPI4_DTB_SRC) boards/rpi4/board.mk
	@mkdir -p $(dir $@)
	cp $< $@.tmp
	fdtput -t s $@.tmp /chosen stdout-path "$(RPI4_STDOUT_$(RPI4_CONSOLE))"
	mv $@.tmp $@

# make PLATFORM=rpi4 sdcard [RPI_FIRMWARE=<Raspberry Pi OS boot partition>]
.PHONY: sdcard deploy
sdcard: all
	@scripts/rpi4-sdcard.sh --build $(BUILD) --console $(RPI4_CONSOLE) \
		$(if $(RPI_FIRMWARE),--firmware "$(RPI_FIRMWARE)")
# make PLATFORM=rpi4 deploy BOOT=<mounted boot partition>
deploy:
	@[ -n "$(BOOT)" ] || { echo "make deploy: give BOOT=<mounted boot partition>" >&2; exit 2; }
	@$(MAKE) --no-print-directory all
	@scripts/rpi4-sdcard.sh --build $(BUILD) --console $(RPI4_CONSOLE) --deploy "$(BOOT)"
