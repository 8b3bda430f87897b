/* SPDX-License-Identifier: MIT */
#include "core/vpsci.h"

#include "core/psci.h"

/* Function IDs this VM's firmware answers, for PSCI_FEATURES. */
static const uint32_t implemented[] = {
	PSCI_VERSION,
	PSCI_FEATURES,
	PSCI_SYSTEM_OFF,
	SMCCC_VERSION,
};

static int64_t features(uint32_t fid)
{
	for (unsigned i = 0; i < sizeof(implemented) / sizeof(implemented[0]); i++)
		if (implemented[i] == fid)
			return 0;
	return PSCI_RET_NOT_SUPPORTED;
}

enum smccc_action smccc_handle(struct vcpu *v)
{
	uint32_t fid = (uint32_t)v->regs.x[0];
	int64_t ret;

	switch (fid) {
	case PSCI_VERSION: ret = PSCI_VERSION_1_1; break;
	case PSCI_FEATURES: ret = features((uint32_t)v->regs.x[1]); break;
	case SMCCC_VERSION: ret = SMCCC_VERSION_1_1; break;
	case PSCI_SYSTEM_OFF: return SMCCC_VM_OFF;
	default: ret = SMCCC_RET_NOT_SUPPORTED; break;
	}
	v->regs.x[0] = (uint64_t)ret;
	return SMCCC_RESUME;
}
