# Bare-metal EL1 test guests: tests/guests/<name>/*.c plus the framework in
# tests/guests/common/, each linked into build/guests/<name>.bin (an arm64
# Linux Image) and <name>.elf (symbols; linked at 0). Included from the
# top-level Makefile, so paths are relative to the repository root.
# See tests/guests/README.md.

GUEST_SRC := tests/guests
GUEST_OUT := build/guests
# Every directory with a main.c is a guest (tests/guests/linux/ is not one).
GUEST_NAMES := $(patsubst $(GUEST_SRC)/%/main.c,%,$(wildcard $(GUEST_SRC)/*/main.c))
GUEST_COMMON_SRCS := $(wildcard $(GUEST_SRC)/common/*.c $(GUEST_SRC)/common/*.S) \
	core/format.c core/libc/string.c
GUEST_COMMON_OBJS := $(patsubst %,$(GUEST_OUT)/obj/%.o,$(GUEST_COMMON_SRCS))

# As for Tessera itself (docs/building.md): the guest runs with the MMU off,
# so everything is Device memory and must be accessed aligned.
GUEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fpie -fno-plt \
	-mgeneral-regs-only -mstrict-align -mno-outline-atomics \
	-fno-tree-loop-distribute-patterns -fno-stack-protector -fno-common \
	-I. -Icore/libc -I$(GUEST_SRC)/common -I$(LIBFDT)/usr/include -MMD -MP
GUEST_LDFLAGS := -pie --no-dynamic-linker -nostdlib -z norelro -z noexecstack \
	--build-id=none --no-warn-rwx-segments -T $(GUEST_SRC)/common/guest.ld

.PHONY: guests
guests: $(patsubst %,$(GUEST_OUT)/%.bin,$(GUEST_NAMES))

$(GUEST_OUT)/obj/%.c.o: %.c | $(LIBFDT_A)
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OUT)/obj/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -c $< -o $@

# One link rule per guest: its own objects, then the framework's.
define GUEST_template
$(GUEST_OUT)/$(1).elf: $(patsubst %,$(GUEST_OUT)/obj/%.o,$(wildcard $(GUEST_SRC)/$(1)/*.c \
		$(GUEST_SRC)/$(1)/*.S)) $(GUEST_COMMON_OBJS) $(LIBFDT_A) $(GUEST_SRC)/common/guest.ld
	$$(LD) $$(GUEST_LDFLAGS) -o $$@ $$(filter %.o %.a,$$^)
endef
$(foreach g,$(GUEST_NAMES),$(eval $(call GUEST_template,$(g))))

$(GUEST_OUT)/%.bin: $(GUEST_OUT)/%.elf
	$(OBJCOPY) -O binary $< $@

-include $(shell find $(GUEST_OUT)/obj -name '*.d' 2>/dev/null)
