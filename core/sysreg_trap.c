/* SPDX-License-Identifier: MIT */
/*
 * The system register trap table. What traps at all is decided by the EL2
 * controls in arch/arm64/vcpu.c; what a trapped access does is decided
 * here. docs/trap-policy.md explains both, row by row.
 */
#include "core/sysreg_trap.h"

#include "core/format.h"
#include "core/vm.h"

#define XZR 31

/* ESR_EL2.ISS for EC 0x18: exception from MSR, MRS or a System instruction */
#define ISS_OP0(iss) (((iss) >> 20) & 3)
#define ISS_OP2(iss) (((iss) >> 17) & 7)
#define ISS_OP1(iss) (((iss) >> 14) & 7)
#define ISS_CRN(iss) (((iss) >> 10) & 0xf)
#define ISS_RT(iss)  (((iss) >> 5) & 0x1f)
#define ISS_CRM(iss) (((iss) >> 1) & 0xf)
#define ISS_READ     1u

/* DC ISW/CSW/CISW operand: Level is bits [3:1]. */
#define SETWAY_LEVEL(op) (((op) >> 1) & 7)

void sysreg_decode(uint32_t iss, struct sysreg_access *a)
{
	a->enc = SYSREG(ISS_OP0(iss), ISS_OP1(iss), ISS_CRN(iss), ISS_CRM(iss), ISS_OP2(iss));
	a->rt = ISS_RT(iss);
	a->read = iss & ISS_READ;
}

static bool same_walk(const struct setway_walk *w, uint64_t exit, uint32_t enc, uint64_t operand)
{
	return w->active && exit == w->exit + 1 && SETWAY_LEVEL(operand) >= w->level &&
	       !(enc == w->first_enc && operand == w->first);
}

bool setway_flush_needed(struct setway_walk *w, uint64_t exit, uint32_t enc, uint64_t operand)
{
	bool flush = !same_walk(w, exit, enc, operand);

	if (flush)
		*w = (struct setway_walk){.first = operand, .first_enc = enc, .active = true};
	w->exit = exit;
	w->level = SETWAY_LEVEL(operand);
	return flush;
}

/* The feature ID space: reserved encodings there read as zero. */
static bool in_id_space(uint32_t enc)
{
	return SYSREG_OP0(enc) == 3 && SYSREG_OP1(enc) == 0 && SYSREG_CRN(enc) == 0 &&
	       SYSREG_CRM(enc) >= 1 && SYSREG_CRM(enc) <= 7;
}

/* What the VM reads: the same on every vCPU, from the CPUs it runs on. */
static uint64_t guest_id(const struct sysreg_ctx *c, unsigned idx)
{
	const struct vm *vm = c->v->vm;
	const struct id_regs *cpus[MAX_CPUS];

	for (unsigned i = 0; i < vm->nvcpus; i++)
		cpus[i] = &c->host[vm->vcpus[i].pcpu];
	return id_reg_guest(idx, cpus, vm->nvcpus, vm->vgic.version == 3);
}

/* ID registers are read-only: a write is UNDEFINED. */
static enum sysreg_result id_reg(const struct sysreg_ctx *c, const struct sysreg_row *r, bool read,
				 uint64_t *val)
{
	if (!read)
		return SYSREG_UNDEF;
	*val = guest_id(c, ID_IDX(SYSREG_CRM(r->enc), SYSREG_OP2(r->enc)));
	return SYSREG_DONE;
}

static enum sysreg_result raz_wi(const struct sysreg_ctx *c, const struct sysreg_row *r, bool read,
				 uint64_t *val)
{
	(void)c;
	(void)r;
	if (read)
		*val = 0;
	return SYSREG_DONE;
}

/* A read-only register that reads as zero. */
static enum sysreg_result raz_ro(const struct sysreg_ctx *c, const struct sysreg_row *r, bool read,
				 uint64_t *val)
{
	if (!read)
		return SYSREG_UNDEF;
	return raz_wi(c, r, read, val);
}

static enum sysreg_result undef(const struct sysreg_ctx *c, const struct sysreg_row *r, bool read,
				uint64_t *val)
{
	(void)c;
	(void)r;
	(void)read;
	(void)val;
	return SYSREG_UNDEF;
}

/* Group 1 SGIs, write-only; they reach this VM's vCPUs only. */
static enum sysreg_result sgi1r(const struct sysreg_ctx *c, const struct sysreg_row *r, bool read,
				uint64_t *val)
{
	struct vcpu *v = c->v;

	(void)r;
	if (read || v->vm->vgic.version != 3)
		return SYSREG_UNDEF;
	vgic_sgi1r(&v->vm->vgic, v->idx, *val);
	return SYSREG_DONE;
}

static enum sysreg_result setway(const struct sysreg_ctx *c, const struct sysreg_row *r, bool read,
				 uint64_t *val)
{
	if (read)
		return SYSREG_UNDEF;
	return setway_flush_needed(c->walk, c->exit, r->enc, *val) ? SYSREG_FLUSH : SYSREG_DONE;
}

#define ROW(op0, op1, crn, crm, op2, name, fn)                                                     \
	{                                                                                          \
		SYSREG(op0, op1, crn, crm, op2), name, fn                                          \
	}
#define ID(crm, op2, name) ROW(3, 0, 0, crm, op2, name, id_reg)

/* Sorted by (Op0, Op1, CRn, CRm, Op2). */
const struct sysreg_row sysreg_rows[] = {
	/* HCR_EL2.TSW: by VA over the VM's RAM, once per walk */
	ROW(1, 0, 7, 6, 2, "DC ISW", setway),
	ROW(1, 0, 7, 10, 2, "DC CSW", setway),
	ROW(1, 0, 7, 14, 2, "DC CISW", setway),
	/* MDCR_EL2.TDRA: no debug ROM table to point to */
	ROW(2, 0, 1, 0, 0, "MDRAR_EL1", raz_ro),
	/* HCR_EL2.TID3 */
	ID(1, 0, "ID_PFR0_EL1"),
	ID(1, 1, "ID_PFR1_EL1"),
	ID(1, 2, "ID_DFR0_EL1"),
	ID(1, 3, "ID_AFR0_EL1"),
	ID(1, 4, "ID_MMFR0_EL1"),
	ID(1, 5, "ID_MMFR1_EL1"),
	ID(1, 6, "ID_MMFR2_EL1"),
	ID(1, 7, "ID_MMFR3_EL1"),
	ID(2, 0, "ID_ISAR0_EL1"),
	ID(2, 1, "ID_ISAR1_EL1"),
	ID(2, 2, "ID_ISAR2_EL1"),
	ID(2, 3, "ID_ISAR3_EL1"),
	ID(2, 4, "ID_ISAR4_EL1"),
	ID(2, 5, "ID_ISAR5_EL1"),
	ID(2, 6, "ID_MMFR4_EL1"),
	ID(2, 7, "ID_ISAR6_EL1"),
	ID(3, 0, "MVFR0_EL1"),
	ID(3, 1, "MVFR1_EL1"),
	ID(3, 2, "MVFR2_EL1"),
	ID(3, 4, "ID_PFR2_EL1"),
	ID(3, 5, "ID_DFR1_EL1"),
	ID(3, 6, "ID_MMFR5_EL1"),
	ID(4, 0, "ID_AA64PFR0_EL1"),
	ID(4, 1, "ID_AA64PFR1_EL1"),
	ID(4, 2, "ID_AA64PFR2_EL1"),
	ID(4, 4, "ID_AA64ZFR0_EL1"),
	ID(4, 5, "ID_AA64SMFR0_EL1"),
	ID(4, 7, "ID_AA64FPFR0_EL1"),
	ID(5, 0, "ID_AA64DFR0_EL1"),
	ID(5, 1, "ID_AA64DFR1_EL1"),
	ID(5, 2, "ID_AA64DFR2_EL1"),
	ID(5, 4, "ID_AA64AFR0_EL1"),
	ID(5, 5, "ID_AA64AFR1_EL1"),
	ID(6, 0, "ID_AA64ISAR0_EL1"),
	ID(6, 1, "ID_AA64ISAR1_EL1"),
	ID(6, 2, "ID_AA64ISAR2_EL1"),
	ID(6, 3, "ID_AA64ISAR3_EL1"),
	ID(7, 0, "ID_AA64MMFR0_EL1"),
	ID(7, 1, "ID_AA64MMFR1_EL1"),
	ID(7, 2, "ID_AA64MMFR2_EL1"),
	ID(7, 3, "ID_AA64MMFR3_EL1"),
	ID(7, 4, "ID_AA64MMFR4_EL1"),
	/* HCR_EL2.TACR: IMPLEMENTATION DEFINED controls, some reaching shared caches */
	ROW(3, 0, 1, 0, 1, "ACTLR_EL1", raz_wi),
	/* HCR_EL2.IMO/FMO: SGIs are the vGIC's to deliver */
	ROW(3, 0, 12, 11, 5, "ICC_SGI1R_EL1", sgi1r),
	ROW(3, 0, 12, 11, 6, "ICC_ASGI1R_EL1", undef),
	ROW(3, 0, 12, 11, 7, "ICC_SGI0R_EL1", undef),
	/* CNTHCTL_EL2.EL1PCEN = 0: the EL1 physical timer is not the guest's */
	ROW(3, 3, 14, 2, 0, "CNTP_TVAL_EL0", undef),
	ROW(3, 3, 14, 2, 1, "CNTP_CTL_EL0", undef),
	ROW(3, 3, 14, 2, 2, "CNTP_CVAL_EL0", undef),
};

const unsigned sysreg_nrows = sizeof(sysreg_rows) / sizeof(sysreg_rows[0]);

const struct sysreg_row *sysreg_find(uint32_t enc)
{
	unsigned lo = 0, hi = sysreg_nrows;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (sysreg_rows[mid].enc == enc)
			return &sysreg_rows[mid];
		if (sysreg_rows[mid].enc < enc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* No row: reserved ID space reads as zero, anything else is UNDEFINED. */
static enum sysreg_result unknown(const struct sysreg_access *a, uint64_t *val)
{
	if (!in_id_space(a->enc) || !a->read)
		return SYSREG_UNDEF;
	*val = 0;
	return SYSREG_DONE;
}

enum sysreg_result sysreg_emulate(const struct sysreg_ctx *c, const struct sysreg_access *a)
{
	const struct sysreg_row *r = sysreg_find(a->enc);
	uint64_t *x = c->v->regs.x;
	uint64_t val = a->read || a->rt == XZR ? 0 : x[a->rt];
	enum sysreg_result res = r ? r->access(c, r, a->read, &val) : unknown(a, &val);

	if (res == SYSREG_DONE && a->read && a->rt != XZR)
		x[a->rt] = val;
	return res;
}

void sysreg_describe(const struct sysreg_access *a, char *buf, size_t size)
{
	const struct sysreg_row *r = sysreg_find(a->enc);
	bool sys = SYSREG_OP0(a->enc) == 1;
	const char *op = sys ? (a->read ? "SYSL" : "SYS") : (a->read ? "MRS" : "MSR");

	if (r && sys)
		str_format(buf, size, "%s", r->name);
	else if (r)
		str_format(buf, size, "%s %s", op, r->name);
	else
		str_format(buf, size, "%s S%u_%u_C%u_C%u_%u", op, SYSREG_OP0(a->enc),
			   SYSREG_OP1(a->enc), SYSREG_CRN(a->enc), SYSREG_CRM(a->enc),
			   SYSREG_OP2(a->enc));
}
