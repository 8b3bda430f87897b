# Tessera: ARM64 static-partitioning hypervisor. See README.md and docs/.
#
#   make [PLATFORM=qemu-virt]   build build/<platform>/tessera.bin (+ .elf)
#   make run                    boot it in QEMU (GIC=2|3 SMP=n MEM=2G CPU=max QEMU_EXTRA=...)
#   make test                   unit + integration tests
#   make debug                  like run, with a gdb stub on :1234, CPUs halted
#   make deps                   install the Debian packages (idempotent)

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

# Debian's libfdt-dev:arm64, unpacked into the cache (it conflicts with the
# host libfdt-dev, so it cannot be installed side by side).
LIBFDT := $(CACHE)/libfdt-arm64
LIBFDT_A := $(LIBFDT)/usr/lib/aarch64-linux-gnu/libfdt.a

# --- target build -----------------------------------------------------------
# core/, mm/ and vgic/ are portable: the same sources build for the host tests.
PORTABLE_SRCS := $(sort $(wildcard core/*.c mm/*.c vgic/*.c))
TARGET_SRCS := $(PORTABLE_SRCS) core/libc/string.c $(wildcard arch/arm64/*.c) \
	$(wildcard arch/arm64/*.S)
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

.PHONY: all deps run debug test unit integration clean guest-assets
all: $(BUILD)/tessera.bin

$(LIBFDT_A):
	@scripts/fetch-deb.sh libfdt-dev:arm64 $(LIBFDT)

$(BUILD)/%.c.o: %.c | $(LIBFDT_A)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/tessera.elf: $(OBJS) $(LIBFDT_A) arch/arm64/tessera.ld
	$(LD) $(LDFLAGS) -o $@ $(OBJS) $(LIBFDT_A)

$(BUILD)/tessera.bin: $(BUILD)/tessera.elf
	$(OBJCOPY) -O binary $< $@

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
QEMU_ARGS = -M $(BOARD_QEMU_MACHINE),gic-version=$(GIC) -cpu $(CPU) -smp $(SMP) -m $(MEM) \
	-nographic -nic none -kernel $(BUILD)/tessera.bin $(QEMU_EXTRA)

run: deps
	@$(MAKE) --no-print-directory all
	$(QEMU) $(QEMU_ARGS)

# Tessera is linked at 0 and relocates itself; QEMU -kernel loads it at
# RAM base + 2 MiB, so gdb needs the symbols at that offset.
DEBUG_LOAD ?= 0x40200000
debug: deps
	@$(MAKE) --no-print-directory all
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

$(UNIT)/test_%: tests/unit/test_%.c $(PORTABLE_SRCS) $(wildcard core/*.h mm/*.h vgic/*.h tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -DFIXTURES=\"$(UNIT)/fixtures\" -o $@ $< $(PORTABLE_SRCS) \
		-lcmocka -lfdt

unit: $(UNIT_TESTS) $(UNIT_FIXTURES)

test: deps
	@$(MAKE) --no-print-directory all unit
	@$(PYTHON) tests/run_tests.py

# Bare-metal test guests (tests/guests/*): built into build/guests/.
-include tests/guests/guests.mk

clean:
	rm -rf build
