# Tessera: ARM64 static-partitioning hypervisor. See README.md and docs/.
#
#   make [PLATFORM=qemu-virt|rpi4] [CONFIG=file.dts]   build build/<platform>/tessera.bin (+ .elf)
#   make run     boot it in QEMU (GIC=2|3 SMP=n MEM=2G CPU=max QEMU_EXTRA=...)
#   make PLATFORM=rpi4 sdcard|deploy   Raspberry Pi 4 boot files (docs/raspberry-pi-4.md)
#   make test    unit + integration tests
#   make debug   like run, with a gdb stub on :1234, CPUs halted
#   make deps    install the Debian packages (idempotent)

PLATFORM ?= qemu-virt
VERSION := 0.1.0
BUILD := build/$(PLATFORM)
CACHE := .cache

CROSS ?= aarch64-linux-gnu-
CC := $(CROSS)gcc
LD := $(CROSS)ld
OBJCOPY := $(CROSS)objcopy
HOSTCC ?= gcc
PYTHON ?= python3

include boards/$(PLATFORM)/board.mk

# The VM configuration bundled into tessera.bin (docs/configuration.md).
CONFIG ?= boards/$(PLATFORM)/demo.dts

# Debian's libfdt-dev:arm64, unpacked into the cache (it conflicts with the
# host libfdt-dev, so it cannot be installed side by side).
LIBFDT := $(CACHE)/libfdt-arm64
LIBFDT_A := $(LIBFDT)/usr/lib/aarch64-linux-gnu/libfdt.a

.PHONY: all deps run debug test unit clean guest-assets test-images FORCE
# BOARD_OUTPUTS: what a board adds (rpi4: kernel8.img and its DTB).
all: $(BUILD)/tessera.bin $(BOARD_OUTPUTS)

# Bare-metal test guests (tests/guests/*): built into build/guests/.
include tests/guests/guests.mk

# --- target build -----------------------------------------------------------
# core/, mm/ and vgic/ are portable: the same sources build for the host tests.
PORTABLE_SRCS := $(sort $(wildcard core/*.c mm/*.c vgic/*.c))
TARGET_SRCS := $(PORTABLE_SRCS) core/libc/string.c $(wildcard arch/arm64/*.c) \
	$(filter-out arch/arm64/config_blob.S,$(wildcard arch/arm64/*.S))
OBJS := $(patsubst %,$(BUILD)/%.o,$(TARGET_SRCS))

WARN := -Wall -Wextra -Werror
CFLAGS := -std=gnu11 -O2 -g $(WARN) -ffreestanding -fpie -fno-plt \
	-mgeneral-regs-only -mstrict-align -mno-outline-atomics \
	-fno-tree-loop-distribute-patterns -fno-stack-protector -fno-common \
	-I. -Icore/libc -Iarch/arm64/include -I$(LIBFDT)/usr/include \
	-DTESSERA_VERSION=\"$(VERSION)\" -DTESSERA_PLATFORM=\"$(PLATFORM)\" -MMD -MP \
	$(BOARD_CFLAGS)
LDFLAGS := -pie --no-dynamic-linker -nostdlib -z norelro -z noexecstack \
	--build-id=none --no-warn-rwx-segments -T arch/arm64/tessera.ld

$(LIBFDT_A):
	@scripts/fetch-deb.sh libfdt-dev:arm64 $(LIBFDT)

$(BUILD)/%.c.o: %.c | $(LIBFDT_A)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

# Linux guest assets (Debian's kernel, the busybox initramfs): configs /incbin/ them.
GUEST_ASSETS := $(CACHE)/guest/Image $(CACHE)/guest/initramfs.cpio.gz
$(GUEST_ASSETS) &: scripts/guest-assets.sh scripts/mkinitramfs.sh tests/guests/linux/init
	@scripts/guest-assets.sh
	@touch $(GUEST_ASSETS)
# The Raspberry Pi 4's DTB, from the same Debian kernel package (rpi4 board, test_rpi4).
PI_DTB := $(CACHE)/guest/bcm2711-rpi-4-b.dtb
$(PI_DTB):
	@scripts/guest-assets.sh

# One Tessera image per configuration: the objects are shared, only the
# bundled config blob differs. $(1): config .dts (empty: no VMs), $(2): dir.
# dtc -d lists the /incbin/ files, so changing a guest image relinks.
define tessera_image
ifneq ($(1),)
$(2)/config.dtb: $(1) $(2)/config.path $(patsubst %,$(GUEST_OUT)/%.bin,$(GUEST_NAMES)) \
		$(GUEST_ASSETS)
	@mkdir -p $(2)
	dtc -q -I dts -O dtb -d $(2)/config.d -i $(dir $(1)) -i $(GUEST_OUT) -i $(CACHE)/guest \
		-o $$@ $(1)
$(2)/config_blob.o: arch/arm64/config_blob.S $(2)/config.dtb
	$(CC) $(CFLAGS) -DCONFIG_DTB=\"$(2)/config.dtb\" -c $$< -o $$@
-include $(2)/config.d
else
$(2)/config_blob.o: arch/arm64/config_blob.S $(2)/config.path
	@mkdir -p $(2)
	$(CC) $(CFLAGS) -c $$< -o $$@
endif
$(2)/config.path: FORCE
	@mkdir -p $(2)
	@echo '$(abspath $(1))' | cmp -s - $$@ || echo '$(abspath $(1))' >$$@
$(2)/tessera.elf: $(OBJS) $(2)/config_blob.o $(LIBFDT_A) arch/arm64/tessera.ld
	$(LD) $(LDFLAGS) -o $$@ $(OBJS) $(2)/config_blob.o $(LIBFDT_A)
$(2)/tessera.bin: $(2)/tessera.elf
	$(OBJCOPY) -O binary $$< $$@
endef

$(eval $(call tessera_image,$(CONFIG),$(BUILD)))
# Images for the integration tests: no VMs, and one per test config. A
# config named <board>-*.dts is for that board only; the others for qemu-virt.
BOARD_CONFIGS := $(foreach b,$(notdir $(wildcard boards/*)),\
	$(wildcard tests/integration/configs/$(b)-*.dts))
ifeq ($(PLATFORM),qemu-virt)
TEST_CONFIGS := $(filter-out $(BOARD_CONFIGS),$(wildcard tests/integration/configs/*.dts))
else
TEST_CONFIGS := $(wildcard tests/integration/configs/$(PLATFORM)-*.dts)
endif
$(eval $(call tessera_image,,$(BUILD)/bare))
$(foreach c,$(TEST_CONFIGS),$(eval $(call tessera_image,$(c),$(BUILD)/configs/$(basename $(notdir $(c))))))
test-images: $(BUILD)/bare/tessera.bin \
	$(patsubst tests/integration/configs/%.dts,$(BUILD)/configs/%/tessera.bin,$(TEST_CONFIGS))

deps:
	@scripts/deps.sh

guest-assets: deps
	@scripts/guest-assets.sh

# --- running ----------------------------------------------------------------
GIC ?= 3
SMP ?= 4
MEM ?= 2G
CPU ?= max
QEMU_EXTRA ?=
QEMU := qemu-system-aarch64
# A board whose QEMU machine is fixed (rpi4: raspi4b) gives BOARD_QEMU_ARGS.
ifdef BOARD_QEMU_ARGS
QEMU_ARGS = $(BOARD_QEMU_ARGS) $(DEMO_QEMU_ARGS) -kernel $(BUILD)/tessera.bin $(QEMU_EXTRA)
else
QEMU_ARGS = -M $(BOARD_QEMU_MACHINE),gic-version=$(GIC) -cpu $(CPU) -smp $(SMP) -m $(MEM) \
	-nographic -nic none $(DEMO_QEMU_ARGS) -kernel $(BUILD)/tessera.bin $(QEMU_EXTRA)
endif

ifeq ($(filter sdcard,$(BOARD_TARGETS)),)
sdcard deploy:
	@echo "make $@: only for PLATFORM=rpi4 (docs/raspberry-pi-4.md)" >&2; exit 2
endif

# A disk whose first line says whose it is.
$(BUILD)/demo/%.img:
	@mkdir -p $(dir $@)
	printf 'tessera demo disk of %s\n' $* >$@
	truncate -s 4M $@

run: deps
	@$(MAKE) --no-print-directory all $(DEMO_DISKS)
	$(QEMU) $(QEMU_ARGS)

# Tessera is linked at 0 and relocates itself; QEMU -kernel loads it at
# RAM base + 2 MiB, so gdb needs the symbols at that offset.
DEBUG_LOAD ?= 0x40200000
debug: deps
	@$(MAKE) --no-print-directory all $(DEMO_DISKS)
	@echo "attach: gdb-multiarch -ex 'symbol-file -o $(DEBUG_LOAD) $(BUILD)/tessera.elf' -ex 'target remote :1234'"
	$(QEMU) $(QEMU_ARGS) -s -S

# --- tests ------------------------------------------------------------------
UNIT := build/unit
HOST_CFLAGS := -std=gnu11 -O1 -g $(WARN) -I. -Itests/unit/fake \
	-fsanitize=address,undefined -fno-omit-frame-pointer
UNIT_TESTS := $(patsubst tests/unit/%.c,$(UNIT)/%,$(wildcard tests/unit/test_*.c))
UNIT_FIXTURES := $(patsubst tests/unit/fixtures/%.dts,$(UNIT)/fixtures/%.dtb,\
	$(wildcard tests/unit/fixtures/*.dts))

$(UNIT)/fixtures/%.dtb: tests/unit/fixtures/%.dts
	@mkdir -p $(dir $@)
	dtc -q -I dts -O dtb -o $@ $<

# The portable sources and the fake arch, compiled once for the host.
HOST_OBJS := $(patsubst %.c,$(UNIT)/obj/%.o,$(PORTABLE_SRCS) tests/unit/fake/arch.c)

$(UNIT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(UNIT)/libtessera-host.a: $(HOST_OBJS)
	rm -f $@
	ar rcs $@ $^

$(UNIT)/test_%: tests/unit/test_%.c $(UNIT)/libtessera-host.a $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -DFIXTURES=\"$(UNIT)/fixtures\" -DPI_DTB=\"$(PI_DTB)\" -o $@ $< \
		$(UNIT)/libtessera-host.a -lcmocka -lfdt

# test_rpi4 parses the real Raspberry Pi 4 DTB.
$(UNIT)/test_rpi4: $(PI_DTB)

unit: $(UNIT_TESTS) $(UNIT_FIXTURES)

test: deps
	@$(MAKE) --no-print-directory -j$(shell nproc) all test-images guests unit $(DEMO_DISKS)
	@$(MAKE) --no-print-directory -j$(shell nproc) PLATFORM=rpi4 all test-images
	@$(PYTHON) tests/run_tests.py

# Host fuzzing (libFuzzer): tests/fuzz/fuzz.mk provides `make fuzz`.
-include tests/fuzz/fuzz.mk
# Benchmarks: tests/bench/bench.mk provides `make bench` and `make bench-compare`.
-include tests/bench/bench.mk

clean:
	rm -rf build

-include $(shell find build -name '*.d' -not -path 'build/guests/*' 2>/dev/null)
