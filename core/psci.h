/* SPDX-License-Identifier: MIT */
/* PSCI (Arm DEN 0022) function IDs and return codes. */
#ifndef CORE_PSCI_H
#define CORE_PSCI_H

#define PSCI_VERSION	  0x84000000u
#define PSCI_CPU_OFF	  0x84000002u
#define PSCI_CPU_ON_64	  0xc4000003u
#define PSCI_SYSTEM_OFF	  0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u

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

#endif
