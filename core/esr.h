/* SPDX-License-Identifier: MIT */
/* ESR_ELx exception classes and syndrome fields (Arm ARM D19.2). */
#ifndef CORE_ESR_H
#define CORE_ESR_H

#define ESR_EC_SHIFT 26
#define ESR_EC(esr)  (((esr) >> ESR_EC_SHIFT) & 0x3f)
#define ESR_IL	     (1ull << 25)
#define ESR_ISS(esr) ((esr)&0x1ffffff)

#define EC_UNKNOWN  0x00
#define EC_WFX	    0x01
#define EC_FP_ASIMD 0x07
#define EC_HVC64    0x16
#define EC_SMC64    0x17
#define EC_SYS64    0x18
#define EC_SVE	    0x19
#define EC_IABT_LOW 0x20
#define EC_IABT_CUR 0x21
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25
#define EC_BRK64    0x3c

/* Data abort ISS */
#define ISS_DABT_ISV	   (1u << 24)
#define ISS_DABT_SAS_SHIFT 22
#define ISS_DABT_SSE	   (1u << 21)
#define ISS_DABT_SRT_SHIFT 16
#define ISS_DABT_SF	   (1u << 15)
#define ISS_DABT_S1PTW	   (1u << 7)
#define ISS_DABT_WNR	   (1u << 6)
#define ISS_FSC_MASK	   0x3f
#define FSC_SEA		   0x10 /* synchronous external abort, not on a table walk */

#endif
