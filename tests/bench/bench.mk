# make bench, make bench-compare: every trap path in instructions
# (docs/performance.md). Included from the top-level Makefile, so paths are
# relative to the repository root; tests/bench/run.py does the running.
#
#   make bench           natively, under a 2-instruction EL2 stub, under
#                        Tessera (GICv3 and GICv2), and Linux boots; prints
#                        the table, writes build/bench/results.json and
#                        build/bench/chart.png
#   make bench-compare   the same, plus the bench guest as a dom0less domU
#                        of Xen 4.17 (Debian's xen-hypervisor-4.17-arm64)

BENCH_SRC := tests/bench
BENCH_OUT := build/bench
# The configs in tests/integration/configs/ that run.py boots.
BENCH_CONFIGS := bench bench-linux bench-linux-smp4
BENCH_IMAGES := $(patsubst %,$(BUILD)/configs/%/tessera.bin,$(BENCH_CONFIGS))
BENCH_LINUX := $(BENCH_OUT)/linux-stamp.Image $(BENCH_OUT)/initramfs.cpio.gz
BENCH_ARTIFACTS := $(BENCH_IMAGES) $(BENCH_LINUX) $(BENCH_OUT)/el2stub.bin \
	$(GUEST_OUT)/bench.bin

.PHONY: bench bench-compare bench-artifacts

# The 2-instruction EL2 stub: an Image of its own, linked at 0 (PC-relative only).
$(BENCH_OUT)/el2stub.bin: $(BENCH_SRC)/el2stub.S
	@mkdir -p $(dir $@)
	$(CC) -c $< -o $(BENCH_OUT)/el2stub.o
	$(LD) -nostdlib --build-id=none -Ttext=0 -e _head -o $(BENCH_OUT)/el2stub.elf \
		$(BENCH_OUT)/el2stub.o
	$(OBJCOPY) -O binary $(BENCH_OUT)/el2stub.elf $@

# /init of the bench initramfs: a static arm64 Linux program, plain as + ld.
$(BENCH_OUT)/init-stamp: $(BENCH_SRC)/init-stamp.S
	@mkdir -p $(dir $@)
	$(CROSS)as $< -o $@.o
	$(LD) -static -nostdlib --build-id=none -o $@ $@.o

$(BENCH_OUT)/initramfs.cpio.gz: $(BENCH_OUT)/init-stamp $(BENCH_SRC)/mkinitramfs.sh
	$(BENCH_SRC)/mkinitramfs.sh $< $@

# Debian's kernel (the guest assets' Image) behind the boot stamp. The stamp's
# header must cover the kernel's own image_size (offset 16 of its header).
$(BENCH_OUT)/linux-stamp.Image: $(BENCH_SRC)/linux-stamp.S $(CACHE)/guest/Image
	@mkdir -p $(dir $@)
	$(CC) -c -DKERNEL_IMAGE='"$(CACHE)/guest/Image"' \
		-DKERNEL_IMAGE_SIZE=$$(od -An -tu8 -j16 -N8 $(CACHE)/guest/Image | tr -d ' ') \
		$< -o $(BENCH_OUT)/linux-stamp.o
	$(LD) -nostdlib --build-id=none -Ttext=0 -e _head -o $(BENCH_OUT)/linux-stamp.elf \
		$(BENCH_OUT)/linux-stamp.o
	$(OBJCOPY) -O binary $(BENCH_OUT)/linux-stamp.elf $@

# The Linux bench configs /incbin/ those two by a path relative to
# tests/integration/configs/, which is how dtc -d names them in config.d:
# build them before dtc runs, under either name.
$(patsubst %,$(BUILD)/configs/%/config.dtb,bench-linux bench-linux-smp4): $(BENCH_LINUX)
tests/integration/configs/../../../$(BENCH_OUT)/%: $(BENCH_OUT)/% ;

# make bench-compare: the bench guest behind a shim that gives Xen's domU
# device tree the stdout-path the guest framework needs (xen-shim.c).
XEN_SHIM_OBJS := $(BENCH_OUT)/xen-shim.c.o $(BENCH_OUT)/xen-shim.S.o
$(BENCH_OUT)/xen-shim.c.o: $(BENCH_SRC)/xen-shim.c | $(LIBFDT_A)
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -c $< -o $@
$(BENCH_OUT)/xen-shim.S.o: $(BENCH_SRC)/xen-shim.S $(GUEST_OUT)/bench.bin
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -DBENCH_GUEST='"$(GUEST_OUT)/bench.bin"' -c $< -o $@
$(BENCH_OUT)/xen-shim.bin: $(XEN_SHIM_OBJS) $(BENCH_SRC)/xen-shim.ld \
		$(GUEST_OUT)/obj/$(GUEST_SRC)/common/start.S.o $(GUEST_OUT)/obj/core/libc/string.c.o
	$(LD) -pie --no-dynamic-linker -nostdlib -z norelro -z noexecstack --build-id=none \
		--no-warn-rwx-segments -T $(BENCH_SRC)/xen-shim.ld \
		--defsym BENCH_IMAGE_SIZE=$$(od -An -tu8 -j16 -N8 $(GUEST_OUT)/bench.bin | tr -d ' ') \
		-o $(BENCH_OUT)/xen-shim.elf $(GUEST_OUT)/obj/$(GUEST_SRC)/common/start.S.o \
		$(XEN_SHIM_OBJS) $(GUEST_OUT)/obj/core/libc/string.c.o $(LIBFDT_A)
	$(OBJCOPY) -O binary $(BENCH_OUT)/xen-shim.elf $@

bench-artifacts: $(BENCH_ARTIFACTS)

bench: deps
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory -j$(shell nproc) bench-artifacts
	@$(PYTHON) $(BENCH_SRC)/run.py

bench-compare: deps
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory -j$(shell nproc) bench-artifacts $(BENCH_OUT)/xen-shim.bin
	@$(PYTHON) $(BENCH_SRC)/run.py --xen
