# Host fuzzing with libFuzzer (clang), included by the top-level Makefile.
#
#   make fuzz                 install clang (scripts/deps.sh fuzz), build every
#                             target, replay seeds and regression inputs, then run
#                             each target for FUZZ_SECONDS (default 60) and print
#                             its executions; fails on any crash
#   make fuzz-build           just build build/fuzz/bin/fuzz_<target>
#   make fuzz-regress         just replay the seeds and tests/fuzz/regressions/
#   make fuzz FUZZ_TARGETS="vgic vpsci" FUZZ_SECONDS=600
#
# Targets (tests/fuzz/fuzz_<name>.c): mmio, vgic, vpsci, config, guest_dt, hostdt.
# The portable sources (core/ mm/ vgic/) and tests/unit/fake/arch.c are built
# again with clang, ASan, UBSan (no recovery) and libFuzzer's coverage.
# Seeds are text: hex files in tests/fuzz/seeds/<name>/ and the unit and
# integration .dts files, compiled by dtc at build time. A crashing input is
# kept as hex text in tests/fuzz/regressions/<name>/ and replayed by
# fuzz-regress. See tests/fuzz/README.md.

FUZZ_CC ?= clang-14
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= mmio vgic vpsci config guest_dt hostdt
FUZZ_FLAGS ?=
FUZZ := build/fuzz

FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer -Wall -Wextra -I. -Itests/unit/fake \
	$(FUZZ_SAN) -MMD -MP
# Coverage feedback comes from the code under test only: the targets' own
# checks would just add noise (and time) to it.
FUZZ_LIB_CFLAGS := $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link
FUZZ_HOST_DTB := $(FUZZ)/host/config-host.dtb

.PHONY: fuzz fuzz-build fuzz-seeds fuzz-regress fuzz-deps fuzz-clean fuzz-force

fuzz-deps:
	@scripts/deps.sh fuzz

# --- the library under test, and the targets ------------------------------
FUZZ_LIB_OBJS := $(patsubst %.c,$(FUZZ)/obj/%.o,$(PORTABLE_SRCS) tests/unit/fake/arch.c)
FUZZ_BINS := $(patsubst %,$(FUZZ)/bin/fuzz_%,$(FUZZ_TARGETS))
FUZZ_TARGET_OBJS := $(patsubst %,$(FUZZ)/obj/tests/fuzz/fuzz_%.o,$(FUZZ_TARGETS))

# Everything is rebuilt when the compiler or its flags change.
$(FUZZ)/flags: fuzz-force
	@mkdir -p $(dir $@)
	@echo '$(FUZZ_CC) $(FUZZ_LIB_CFLAGS)' | cmp -s - $@ || echo '$(FUZZ_CC) $(FUZZ_LIB_CFLAGS)' >$@

$(FUZZ_LIB_OBJS): $(FUZZ)/obj/%.o: %.c $(FUZZ)/flags
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_LIB_CFLAGS) -c $< -o $@

$(FUZZ)/libtessera-fuzz.a: $(FUZZ_LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

# The targets' own code is held to -Werror, and gets no coverage instrumentation.
$(FUZZ_TARGET_OBJS): $(FUZZ)/obj/tests/fuzz/fuzz_%.o: tests/fuzz/fuzz_%.c $(FUZZ)/flags
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Werror -DHOST_DTB=\"$(FUZZ_HOST_DTB)\" -c $< -o $@

$(FUZZ)/obj/tests/fuzz/fuzz_config.o: $(FUZZ_HOST_DTB)

$(FUZZ_BINS): $(FUZZ)/bin/fuzz_%: $(FUZZ)/obj/tests/fuzz/fuzz_%.o $(FUZZ)/libtessera-fuzz.a
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $< $(FUZZ)/libtessera-fuzz.a -lfdt

$(FUZZ_HOST_DTB): tests/unit/fixtures/config-host.dts
	@mkdir -p $(dir $@)
	dtc -q -I dts -O dtb -o $@ $<

fuzz-build: $(FUZZ_BINS)

# --- seeds and regression inputs: all text in git ---------------------------
# Built into $(FUZZ)/inputs/{seeds,regressions}/<target>/: hex text files
# (tests/fuzz/{seeds,regressions}/<target>/*.hex) through unhex, device-tree
# sources (regressions/<target>/*.dts, the unit fixtures, the VM configs)
# through dtc.
FUZZ_IN := $(FUZZ)/inputs

$(FUZZ)/tools/unhex: tests/fuzz/unhex.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -O1 -Wall -Wextra -Werror -o $@ $<

$(FUZZ_IN)/%.bin: tests/fuzz/%.hex $(FUZZ)/tools/unhex
	@mkdir -p $(dir $@)
	@$(FUZZ)/tools/unhex $< $@

# dtc's own checks are off for regressions: they may hang on such trees
# (#clock-cells = <0xffffffff> does, in dtc 1.6.1).
$(FUZZ_IN)/regressions/%.dtb: tests/fuzz/regressions/%.dts
	@mkdir -p $(dir $@)
	dtc -q -Wno-clocks_property -I dts -O dtb -o $@ $<

FUZZ_HEX_INPUTS := $(patsubst tests/fuzz/%.hex,$(FUZZ_IN)/%.bin,\
	$(wildcard tests/fuzz/seeds/*/*.hex tests/fuzz/regressions/*/*.hex))
FUZZ_DTS_REGRESSIONS := $(patsubst tests/fuzz/%.dts,$(FUZZ_IN)/%.dtb,\
	$(wildcard tests/fuzz/regressions/*/*.dts))

# Host DTBs (hostdt, guest_dt): every unit fixture but the one VM config.
FUZZ_HOST_FIXTURES := $(filter-out %/config-basic.dts,$(wildcard tests/unit/fixtures/*.dts))
FUZZ_DT_SEEDS := $(foreach t,hostdt guest_dt,\
	$(patsubst tests/unit/fixtures/%.dts,$(FUZZ_IN)/seeds/$(t)/%.dtb,$(FUZZ_HOST_FIXTURES)))
$(FUZZ_IN)/seeds/hostdt/%.dtb $(FUZZ_IN)/seeds/guest_dt/%.dtb: tests/unit/fixtures/%.dts
	@mkdir -p $(dir $@)
	dtc -q -I dts -O dtb -o $@ $<

# VM configs (config): the unit one, the integration ones, the boards' demos.
# Their /incbin/ images are all replaced by one 64-byte arm64 Image header.
FUZZ_CONFIG_DTS := tests/unit/fixtures/config-basic.dts \
	$(wildcard tests/integration/configs/*.dts boards/*/demo.dts)
FUZZ_STUB_NAMES := $(sort $(shell sed -n 's|.*/incbin/("\([^"/]*\)").*|\1|p' $(FUZZ_CONFIG_DTS)))
FUZZ_STUBS := $(patsubst %,$(FUZZ)/stubs/%,$(FUZZ_STUB_NAMES))
FUZZ_CONFIG_SEEDS := $(FUZZ_IN)/seeds/config/unit-config-basic.dtb \
	$(patsubst tests/integration/configs/%.dts,$(FUZZ_IN)/seeds/config/integration-%.dtb,\
		$(wildcard tests/integration/configs/*.dts)) \
	$(patsubst boards/%/demo.dts,$(FUZZ_IN)/seeds/config/board-%-demo.dtb,\
		$(wildcard boards/*/demo.dts))

$(FUZZ_STUBS): $(FUZZ_IN)/stub/arm64-image.bin
	@mkdir -p $(dir $@)
	cp $< $@

FUZZ_DTC_CONFIG = dtc -q -I dts -O dtb -i $(FUZZ)/stubs -o $@ $<
$(FUZZ_IN)/seeds/config/unit-%.dtb: tests/unit/fixtures/%.dts
	@mkdir -p $(dir $@)
	$(FUZZ_DTC_CONFIG)
$(FUZZ_IN)/seeds/config/integration-%.dtb: tests/integration/configs/%.dts $(FUZZ_STUBS)
	@mkdir -p $(dir $@)
	$(FUZZ_DTC_CONFIG)
$(FUZZ_IN)/seeds/config/board-%-demo.dtb: boards/%/demo.dts $(FUZZ_STUBS)
	@mkdir -p $(dir $@)
	$(FUZZ_DTC_CONFIG)

fuzz-seeds: $(FUZZ_HEX_INPUTS) $(FUZZ_DTS_REGRESSIONS) $(FUZZ_DT_SEEDS) $(FUZZ_CONFIG_SEEDS)

# --- replay: every seed and regression input once; none may crash -----------
# A regression input fails until its bug is fixed.
fuzz-regress: $(FUZZ_BINS) fuzz-seeds
	@tests/fuzz/regress.sh $(FUZZ) $(FUZZ_TARGETS)

# --- timed runs -----------------------------------------------------------
# One target per recipe, so `make -j2 fuzz` runs two at once. Each records
# ok/FAIL; the summary fails at the end, after all of them have run.
FUZZ_FLAGS_hostdt := -dict=tests/fuzz/dt.dict
FUZZ_FLAGS_guest_dt := -dict=tests/fuzz/dt.dict
FUZZ_FLAGS_config := -dict=tests/fuzz/config.dict
FUZZ_RUNS := $(patsubst %,fuzz-run-%,$(FUZZ_TARGETS))
.PHONY: $(FUZZ_RUNS)

$(FUZZ_RUNS): fuzz-run-%: $(FUZZ)/bin/fuzz_% fuzz-seeds
	@tests/fuzz/run-target.sh $* $< $(FUZZ_SECONDS) $(FUZZ) $(FUZZ_FLAGS_$*) $(FUZZ_FLAGS) \
		-- $(FUZZ_IN)/seeds/$*

# Regressions first (a failure there does not stop the timed runs), then
# every target for FUZZ_SECONDS; fails if anything failed.
fuzz: fuzz-deps
	@$(MAKE) --no-print-directory fuzz-build fuzz-seeds
	@$(MAKE) --no-print-directory fuzz-regress; echo $$? >$(FUZZ)/results-regress
	@echo "fuzz: $(words $(FUZZ_TARGETS)) targets, $(FUZZ_SECONDS) s each"
	@$(MAKE) --no-print-directory $(FUZZ_RUNS)
	@echo "fuzz: summary"; failed=""; for t in $(FUZZ_TARGETS); do \
		sed 's/^/  /' $(FUZZ)/results/$$t.line 2>/dev/null; \
		grep -qx ok $(FUZZ)/results/$$t 2>/dev/null || failed="$$failed $$t"; \
	done; \
	grep -qx 0 $(FUZZ)/results-regress || failed="$$failed fuzz-regress"; \
	if [ -n "$$failed" ]; then echo "fuzz: FAILED:$$failed"; exit 1; fi; \
	echo "fuzz: all $(words $(FUZZ_TARGETS)) targets ran $(FUZZ_SECONDS) s without a crash"

fuzz-clean:
	rm -rf $(FUZZ)
