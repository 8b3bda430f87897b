/* SPDX-License-Identifier: MIT */
/*
 * AArch64 system register fields used by Tessera, named as in the Arm ARM
 * (DDI 0487). Shared by C and assembly, so only plain integer constants here.
 */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#ifdef __ASSEMBLER__
#define UL(x) x
#else
#define UL(x) x##UL
#endif

#define BIT(n) (UL(1) << (n))

/* CurrentEL */
#define CURRENTEL_EL1 UL(0x4)
#define CURRENTEL_EL2 UL(0x8)

/* MPIDR_EL1: Aff3 [39:32], Aff2 [23:16], Aff1 [15:8], Aff0 [7:0] */
#define MPIDR_AFF_MASK UL(0xff00ffffff)

/* SCTLR_EL2 (HCR_EL2.E2H == 0) */
#define SCTLR_EL2_M   BIT(0)
#define SCTLR_EL2_A   BIT(1)
#define SCTLR_EL2_C   BIT(2)
#define SCTLR_EL2_SA  BIT(3)
#define SCTLR_EL2_I   BIT(12)
#define SCTLR_EL2_WXN BIT(19)
#define SCTLR_EL2_EE  BIT(25)
/* RES1: bits 4, 5, 11, 16, 18, 22, 23, 28, 29 */
#define SCTLR_EL2_RES1 UL(0x30c50830)
/* MMU and caches off, little-endian: the state Tessera runs in before its MMU. */
#define SCTLR_EL2_BOOT SCTLR_EL2_RES1
#define SCTLR_EL2_RUN  (SCTLR_EL2_RES1 | SCTLR_EL2_M | SCTLR_EL2_C | SCTLR_EL2_SA | SCTLR_EL2_I)

/* HCR_EL2 */
#define HCR_EL2_VM     BIT(0)
#define HCR_EL2_SWIO   BIT(1)
#define HCR_EL2_FMO    BIT(3)
#define HCR_EL2_IMO    BIT(4)
#define HCR_EL2_AMO    BIT(5)
#define HCR_EL2_FB     BIT(9)
#define HCR_EL2_BSU_IS (UL(1) << 10)
#define HCR_EL2_TID3   BIT(18)
#define HCR_EL2_TSC    BIT(19)
#define HCR_EL2_TIDCP  BIT(20)
#define HCR_EL2_TACR   BIT(21)
#define HCR_EL2_TSW    BIT(22)
#define HCR_EL2_RW     BIT(31)
#define HCR_EL2_TLOR   BIT(35)
#define HCR_EL2_TERR   BIT(36)
#define HCR_EL2_APK    BIT(40)
#define HCR_EL2_API    BIT(41)
#define HCR_EL2_ENSCXT BIT(53)

/* MDCR_EL2; HPMN is bits [4:0] */
#define MDCR_EL2_TPMCR BIT(5)
#define MDCR_EL2_TPM   BIT(6)
#define MDCR_EL2_TDRA  BIT(11)
#define MDCR_EL2_TPMS  BIT(14)
#define MDCR_EL2_TTRF  BIT(19)

/* PMCR_EL0.N [15:11]: the number of event counters */
#define PMCR_EL0_N_SHIFT 11
#define PMCR_EL0_N_MASK	 UL(0x1f)

/* HFGRTR_EL2 / HFGWTR_EL2 (FEAT_FGT): "n" bits trap when 0 */
#define HFGXTR_EL2_NSMPRI_EL1  BIT(54)
#define HFGXTR_EL2_NTPIDR2_EL0 BIT(55)

/* MPAM2_EL2, MPAMHCR_EL2, MPAMIDR_EL1 (FEAT_MPAM) */
#define MPAM2_EL2_TRAPMPAM1EL1	     BIT(48)
#define MPAM2_EL2_TRAPMPAM0EL1	     BIT(49)
#define MPAMHCR_EL2_TRAP_MPAMIDR_EL1 BIT(31)
#define MPAMIDR_EL1_HAS_HCR	     BIT(17)

/* SCTLR_EL1 as the Linux boot protocol wants it: MMU and caches off. RES1 bits
 * 11, 20, 22, 23, 28, 29 (SPAN, EIS, EOS, TSCXT... read as 1 on ARMv8.0). */
#define SCTLR_EL1_RESET UL(0x30d00800)

/* ID_AA64ISAR1_EL1 / ISAR2: pointer authentication fields */
#define ID_AA64ISAR1_PAUTH_MASK UL(0xff0000ff0) /* APA, API, GPA, GPI */
#define ID_AA64ISAR2_APA3_MASK	UL(0xf000)

/* GICv3 CPU interface (ICC_SRE_EL2, ICC_CTLR_EL1, ICH_HCR_EL2) */
#define ICC_SRE_EL2_SRE	      BIT(0)
#define ICC_SRE_EL2_DFB	      BIT(1)
#define ICC_SRE_EL2_DIB	      BIT(2)
#define ICC_SRE_EL2_ENABLE    BIT(3)
#define ICC_CTLR_EL1_EOIMODE  BIT(1)
#define ICH_HCR_EL2_EN	      BIT(0)
#define ICH_HCR_EL2_UIE	      BIT(1)
#define ICH_VTR_LISTREGS_MASK UL(0x1f)

/* VTTBR_EL2 */
#define VTTBR_VMID_SHIFT 48

/* HPFAR_EL2: FIPA[47:12] in bits [43:4] */

/* CPTR_EL2 (E2H == 0): RES1 bits 13, 12 (TSM), 9, 8 (TZ), 7:0; TFP (bit 10) clear.
 * Tessera itself may use FP/SIMD (libfdt is built with it) only during boot. */
#define CPTR_EL2_TFP  BIT(10)
#define CPTR_EL2_TZ   BIT(8)
#define CPTR_EL2_TSM  BIT(12)
#define CPTR_EL2_TTA  BIT(20)
#define CPTR_EL2_TAM  BIT(30)
#define CPTR_EL2_BOOT UL(0x33ff)

/* ID register fields (4 bits each) that decide which traps exist */
#define ID_AA64PFR0_RAS_SHIFT	    28
#define ID_AA64PFR0_SVE_SHIFT	    32
#define ID_AA64PFR0_MPAM_SHIFT	    40
#define ID_AA64PFR0_AMU_SHIFT	    44
#define ID_AA64PFR0_CSV2_SHIFT	    56
#define ID_AA64PFR1_MPAM_FRAC_SHIFT 16
#define ID_AA64PFR1_SME_SHIFT	    24
#define ID_AA64PFR1_CSV2_FRAC_SHIFT 32
#define ID_AA64DFR0_PMUVER_SHIFT    8
#define ID_AA64DFR0_PMSVER_SHIFT    32
#define ID_AA64DFR0_TRACEFILT_SHIFT 40
#define ID_AA64DFR0_PMUVER_IMPDEF   0xf
#define ID_AA64MMFR0_FGT_SHIFT	    56
#define ID_AA64MMFR1_LO_SHIFT	    16
#define ID_AA64MMFR1_HCX_SHIFT	    40
/* ZCR_EL2 / SMCR_EL2: LEN = all ones asks for the largest vector length */
#define ZCR_EL2_LEN_MAX UL(0xf)
#define SMCR_EL2_FA64	BIT(31)
#define SMCR_EL2_EZT0	BIT(30)

/* CNTHCTL_EL2 (E2H == 0) */
#define CNTHCTL_EL1PCTEN    BIT(0)
#define CNTHCTL_EL1PCEN	    BIT(1)
#define CNTHCTL_EVNTEN	    BIT(2)
#define CNTHCTL_EVNTI_SHIFT 4

/* MAIR_EL2 attribute indices used in stage-1 descriptors */
#define MAIR_IDX_DEVICE	   0 /* Device-nGnRE */
#define MAIR_IDX_NORMAL	   1 /* Normal, Inner/Outer Write-Back RW-Allocate */
#define MAIR_IDX_NORMAL_NC 2
#define MAIR_EL2_VALUE	   UL(0x44ff04)

/* TCR_EL2 (E2H == 0) */
#define TCR_EL2_T0SZ(bits) (64 - (bits))
#define TCR_EL2_IRGN0_WBWA (UL(1) << 8)
#define TCR_EL2_ORGN0_WBWA (UL(1) << 10)
#define TCR_EL2_SH0_INNER  (UL(3) << 12)
#define TCR_EL2_TG0_4K	   (UL(0) << 14)
#define TCR_EL2_PS_SHIFT   16
#define TCR_EL2_RES1	   (BIT(31) | BIT(23))

/* ID_AA64MMFR0_EL1 */
#define ID_AA64MMFR0_PARANGE_MASK UL(0xf)

/* CTR_EL0: DminLine [19:16] is log2 of the line size in 4-byte words. */
#define CTR_EL0_DMINLINE_SHIFT 16
#define CTR_EL0_DMINLINE_MASK  UL(0xf)

#ifndef __ASSEMBLER__
#include <stdint.h>

#define read_sysreg(reg)                                                                           \
	({                                                                                         \
		uint64_t __v;                                                                      \
		__asm__ volatile("mrs %0, " #reg : "=r"(__v));                                     \
		__v;                                                                               \
	})

#define write_sysreg(reg, val)                                                                     \
	__asm__ volatile("msr " #reg ", %0" : : "r"((uint64_t)(val)) : "memory")

static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}
static inline void dsb_sy(void)
{
	__asm__ volatile("dsb sy" ::: "memory");
}
static inline void dsb_ish(void)
{
	__asm__ volatile("dsb ish" ::: "memory");
}
static inline void dsb_ishst(void)
{
	__asm__ volatile("dsb ishst" ::: "memory");
}
static inline void wfi(void)
{
	__asm__ volatile("wfi" ::: "memory");
}
#endif

#endif /* ARCH_SYSREG_H */
