/* SPDX-License-Identifier: MIT */
/* PSCI (Arm DEN 0022) function IDs and return codes. */
#ifndef CORE_PSCI_H
#define CORE_PSCI_H

/*
 * PSCI 1.1 function IDs: _32 is the SMC32/HVC32 form, _64 the SMC64/HVC64
 * one. PSCI_FEATURES (0x8400000a) is in core/vpsci.h.
 */
#define PSCI_VERSION			0x84000000u
#define PSCI_CPU_SUSPEND_32		0x84000001u
#define PSCI_CPU_SUSPEND_64		0xc4000001u
#define PSCI_CPU_OFF			0x84000002u
#define PSCI_CPU_ON_32			0x84000003u
#define PSCI_CPU_ON_64			0xc4000003u
#define PSCI_AFFINITY_INFO_32		0x84000004u
#define PSCI_AFFINITY_INFO_64		0xc4000004u
#define PSCI_MIGRATE_32			0x84000005u
#define PSCI_MIGRATE_64			0xc4000005u
#define PSCI_MIGRATE_INFO_TYPE		0x84000006u
#define PSCI_MIGRATE_INFO_UP_CPU_32	0x84000007u
#define PSCI_MIGRATE_INFO_UP_CPU_64	0xc4000007u
#define PSCI_SYSTEM_OFF			0x84000008u
#define PSCI_SYSTEM_RESET		0x84000009u
#define PSCI_CPU_FREEZE			0x8400000bu
#define PSCI_CPU_DEFAULT_SUSPEND_32	0x8400000cu
#define PSCI_CPU_DEFAULT_SUSPEND_64	0xc400000cu
#define PSCI_NODE_HW_STATE_32		0x8400000du
#define PSCI_NODE_HW_STATE_64		0xc400000du
#define PSCI_SYSTEM_SUSPEND_32		0x8400000eu
#define PSCI_SYSTEM_SUSPEND_64		0xc400000eu
#define PSCI_SET_SUSPEND_MODE		0x8400000fu
#define PSCI_STAT_RESIDENCY_32		0x84000010u
#define PSCI_STAT_RESIDENCY_64		0xc4000010u
#define PSCI_STAT_COUNT_32		0x84000011u
#define PSCI_STAT_COUNT_64		0xc4000011u
#define PSCI_SYSTEM_RESET2_32		0x84000012u
#define PSCI_SYSTEM_RESET2_64		0xc4000012u
#define PSCI_MEM_PROTECT		0x84000013u
#define PSCI_MEM_PROTECT_CHECK_RANGE_32 0x84000014u
#define PSCI_MEM_PROTECT_CHECK_RANGE_64 0xc4000014u

#define PSCI_RET_SUCCESS	    0
#define PSCI_RET_NOT_SUPPORTED	    (-1)
#define PSCI_RET_INVALID_PARAMETERS (-2)
#define PSCI_RET_DENIED		    (-3)
#define PSCI_RET_ALREADY_ON	    (-4)
#define PSCI_RET_ON_PENDING	    (-5)
#define PSCI_RET_INTERNAL_FAILURE   (-6)
#define PSCI_RET_NOT_PRESENT	    (-7)
#define PSCI_RET_DISABLED	    (-8)
#define PSCI_RET_INVALID_ADDRESS    (-9)

#define PSCI_VERSION_MAJOR(v) (((v) >> 16) & 0x7fff)
#define PSCI_VERSION_MINOR(v) ((v)&0xffff)

/* AFFINITY_INFO results. */
#define PSCI_AFFINITY_ON	 0
#define PSCI_AFFINITY_OFF	 1
#define PSCI_AFFINITY_ON_PENDING 2

/* MIGRATE_INFO_TYPE: no Trusted OS, or one that does not need migrating. */
#define PSCI_TOS_NOT_PRESENT 2

/* CPU_SUSPEND power_state, original format: StateID [15:0], PowerLevel [25:24]. */
#define PSCI_POWER_STATE_POWERDOWN (1u << 16)  /* StateType: 0 standby, 1 powerdown */
#define PSCI_POWER_STATE_RESERVED  0xfcfe0000u /* [31:26] and [23:17]: must be zero */

/* PSCI_FEATURES(CPU_SUSPEND) flags. */
#define PSCI_SUSPEND_FEAT_OSI	   (1u << 0) /* OS-initiated mode supported */
#define PSCI_SUSPEND_FEAT_EXTENDED (1u << 1) /* extended power_state format */

#endif
